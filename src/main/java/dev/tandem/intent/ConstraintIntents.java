package dev.tandem.intent;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Parsers of the constraint, default and index intents ({@code set_not_null}, {@code drop_not_null},
 * {@code set_default}, {@code drop_default}, {@code add_check}, {@code add_foreign_key},
 * {@code add_unique}, {@code drop_constraint}, {@code create_index}, {@code drop_index}), each
 * registered by one line in {@link ChangelogReader}. Field errors point at the field's value (for a
 * list or mapping, at the offending element). Checks against the database are the recipes' job.
 */
final class ConstraintIntents {
    private ConstraintIntents() {}

    static final IntentParser SET_NOT_NULL = IntentParser.of(List.of("table", "column", "up"), f ->
            new SetNotNull(f.position(), f.requiredTable("table"), f.requiredIdentifier("column"), f.optionalString("up")));

    static final IntentParser DROP_NOT_NULL = IntentParser.of(List.of("table", "column"), f ->
            new DropNotNull(f.position(), f.requiredTable("table"), f.requiredIdentifier("column")));

    static final IntentParser SET_DEFAULT = IntentParser.of(List.of("table", "column", "default"), f ->
            new SetDefault(f.position(), f.requiredTable("table"), f.requiredIdentifier("column"), nonBlank(f, "default")));

    static final IntentParser DROP_DEFAULT = IntentParser.of(List.of("table", "column"), f ->
            new DropDefault(f.position(), f.requiredTable("table"), f.requiredIdentifier("column")));

    static final IntentParser ADD_CHECK = IntentParser.of(List.of("table", "name", "check", "up"), f ->
            new AddCheck(f.position(), f.requiredTable("table"), f.requiredIdentifier("name"), nonBlank(f, "check"),
                    expressionMap(f, "up")));

    static final IntentParser ADD_FOREIGN_KEY = IntentParser.of(
            List.of("table", "name", "columns", "references", "on_delete", "on_update", "up"), ConstraintIntents::addForeignKey);

    static final IntentParser ADD_UNIQUE = IntentParser.of(List.of("table", "name", "columns", "include", "with", "up"), f -> {
        List<String> columns = identifierList(f, "columns", true);
        List<String> include = f.has("include") ? identifierList(f, "include", true) : List.of();
        include.stream().filter(columns::contains).findFirst().ifPresent(c -> {
            throw f.error("include", "'" + c + "' is already a key column");
        });
        return new AddUnique(f.position(), f.requiredTable("table"), f.requiredIdentifier("name"), columns, include,
                storageParameters(f, "with"), expressionMap(f, "up"));
    });

    static final IntentParser DROP_CONSTRAINT = IntentParser.of(List.of("table", "name"), f ->
            new DropConstraint(f.position(), f.requiredTable("table"), f.requiredIdentifier("name")));

    static final IntentParser CREATE_INDEX = IntentParser.of(
            List.of("table", "name", "columns", "unique", "method", "where", "include", "with"), ConstraintIntents::createIndex);

    static final IntentParser DROP_INDEX = IntentParser.of(List.of("name", "table"), f -> new DropIndex(f.position(),
            f.requiredTable("name"), f.has("table") ? Optional.of(f.requiredTable("table")) : Optional.empty()));

    private static final List<String> ACTIONS = List.of("no_action", "restrict", "cascade", "set_null", "set_default");

    private static Intent addForeignKey(IntentFields f) {
        TableRef table = f.requiredTable("table");
        String name = f.requiredIdentifier("name");
        List<String> columns = identifierList(f, "columns", true);
        Node refs = f.node("references").filter(n -> !YamlNodes.isNull(n))
                .orElseThrow(() -> f.error("missing required field 'references' ({table, columns})"));
        if (!(refs instanceof MappingNode refMap)) {
            throw f.error("references", "expected a mapping {table, columns}, got " + YamlNodes.describe(refs));
        }
        String file = f.position().file();
        Map<String, YamlNodes.Entry> entries = YamlNodes.entries(file, refMap, f.kind() + ": references: ");
        for (YamlNodes.Entry e : entries.values()) {
            if (!List.of("table", "columns").contains(e.key())) {
                throw YamlNodes.error(e.keyPosition(), f.kind() + ": references: unknown field '" + e.key() + "' (allowed: table, columns)");
            }
        }
        IntentFields ref = new IntentFields(file, f.kind() + ": references", YamlNodes.position(file, refMap), entries);
        TableRef refTable = ref.requiredTable("table");
        List<String> refColumns = identifierList(ref, "columns", true);
        if (refColumns.size() != columns.size()) {
            throw f.error("references", "names " + refColumns.size() + " column(s) but 'columns' has " + columns.size());
        }
        return new AddForeignKey(f.position(), table, name, columns, refTable, refColumns,
                action(f, "on_delete"), action(f, "on_update"), expressionMap(f, "up"));
    }

    private static Intent createIndex(IntentFields f) {
        TableRef table = f.requiredTable("table");
        String name = f.requiredIdentifier("name");
        List<String> columns = identifierList(f, "columns", false);
        boolean unique = false;
        if (f.has("unique")) {
            String u = f.requiredString("unique").toLowerCase(Locale.ROOT);
            if (!u.equals("true") && !u.equals("false")) {
                throw f.error("unique", "expected true or false, got '" + u + "'");
            }
            unique = u.equals("true");
        }
        Optional<String> method = f.has("method") ? Optional.of(f.requiredIdentifier("method")) : Optional.empty();
        Optional<String> where = f.has("where") ? Optional.of(nonBlank(f, "where")) : Optional.empty();
        List<String> include = f.has("include") ? identifierList(f, "include", true) : List.of();
        return new CreateIndex(f.position(), table, name, columns, unique, method, where, include, storageParameters(f, "with"));
    }

    private static final java.util.regex.Pattern PARAMETER = java.util.regex.Pattern.compile("[a-z_][a-z0-9_]*");
    private static final java.util.regex.Pattern VALUE = java.util.regex.Pattern.compile("[A-Za-z0-9_.+-]+");

    /**
     * An optional mapping of storage parameters ({@code with: {fillfactor: 70}}): each name a
     * lower-case word, each value a number or a word (on, off, auto…), so that rendering them
     * into {@code WITH (…)} needs no quoting; absent is empty.
     */
    static Map<String, String> storageParameters(IntentFields f, String field) {
        Map<String, String> out = new LinkedHashMap<>();
        if (!f.has(field)) {
            return out;
        }
        Node n = f.node(field).orElseThrow();
        String file = f.position().file();
        if (!(n instanceof MappingNode map)) {
            throw f.error(field, "expected a mapping {parameter: value}, e.g. {fillfactor: 70}, got " + YamlNodes.describe(n));
        }
        for (YamlNodes.Entry e : YamlNodes.entries(file, map, f.kind() + ": " + field + ": ").values()) {
            if (!PARAMETER.matcher(e.key()).matches()) {
                throw YamlNodes.error(e.keyPosition(), f.kind() + ": field '" + field + "': '" + e.key() + "' is not a storage parameter name");
            }
            String value = YamlNodes.scalarText(file, e.value(), f.kind() + ": field '" + field + "." + e.key() + "'");
            if (!VALUE.matcher(value).matches()) {
                throw YamlNodes.error(YamlNodes.position(file, e.value()), f.kind() + ": field '" + field + "." + e.key()
                        + "': expected a number or a word, got '" + value + "'");
            }
            out.put(e.key(), value);
        }
        if (out.isEmpty()) {
            throw f.error(field, "must name at least one parameter");
        }
        return out;
    }

    private static Optional<String> action(IntentFields f, String field) {
        if (!f.has(field)) {
            return Optional.empty();
        }
        String a = f.requiredString(field).toLowerCase(Locale.ROOT).replace(' ', '_');
        if (!ACTIONS.contains(a)) {
            throw f.error(field, "unknown action '" + a + "' (allowed: " + String.join(", ", ACTIONS) + ")");
        }
        return Optional.of(a.replace('_', ' ').toUpperCase(Locale.ROOT));
    }

    private static String nonBlank(IntentFields f, String field) {
        String s = f.requiredString(field);
        if (s.isBlank()) {
            throw f.error(field, "must not be blank");
        }
        return s;
    }

    /**
     * A non-empty list of scalars, without duplicates. With {@code identifiers}, each element is
     * validated as an identifier; otherwise (index keys) it is kept as SQL text.
     */
    private static List<String> identifierList(IntentFields f, String field, boolean identifiers) {
        Node n = f.node(field).filter(x -> !YamlNodes.isNull(x))
                .orElseThrow(() -> f.error("missing required field '" + field + "'"));
        String file = f.position().file();
        if (!(n instanceof SequenceNode seq)) {
            throw f.error(field, "expected a list, got " + YamlNodes.describe(n));
        }
        if (seq.getValue().isEmpty()) {
            throw f.error(field, "must not be empty");
        }
        List<String> out = new ArrayList<>();
        for (Node item : seq.getValue()) {
            String text = YamlNodes.scalarText(file, item, f.kind() + ": field '" + field + "' element");
            Position at = YamlNodes.position(file, item);
            if (identifiers) {
                try {
                    Identifiers.validate(text);
                } catch (IllegalArgumentException e) {
                    throw YamlNodes.error(at, f.kind() + ": field '" + field + "': " + e.getMessage());
                }
            } else if (text.isBlank()) {
                throw YamlNodes.error(at, f.kind() + ": field '" + field + "': element must not be blank");
            }
            if (out.contains(text)) {
                throw YamlNodes.error(at, f.kind() + ": field '" + field + "': '" + text + "' is listed twice");
            }
            out.add(text);
        }
        return out;
    }

    /** An optional mapping column → SQL expression (for {@code up}); absent is empty. */
    private static Map<String, String> expressionMap(IntentFields f, String field) {
        Map<String, String> out = new LinkedHashMap<>();
        if (!f.has(field)) {
            return out;
        }
        Node n = f.node(field).orElseThrow();
        String file = f.position().file();
        if (!(n instanceof MappingNode map)) {
            throw f.error(field, "expected a mapping {column: expression}, got " + YamlNodes.describe(n));
        }
        for (YamlNodes.Entry e : YamlNodes.entries(file, map, f.kind() + ": " + field + ": ").values()) {
            try {
                Identifiers.validate(e.key());
            } catch (IllegalArgumentException ex) {
                throw YamlNodes.error(e.keyPosition(), f.kind() + ": field '" + field + "': " + ex.getMessage());
            }
            String expr = YamlNodes.scalarText(file, e.value(), f.kind() + ": field '" + field + "." + e.key() + "'");
            if (expr.isBlank()) {
                throw YamlNodes.error(YamlNodes.position(file, e.value()), f.kind() + ": field '" + field + "." + e.key() + "' must not be blank");
            }
            out.put(e.key(), expr);
        }
        if (out.isEmpty()) {
            throw f.error(field, "must name at least one column");
        }
        return out;
    }
}
