package dev.tandem.intent;

import dev.tandem.TandemException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Parsers of the column-shape intents {@code add_column}, {@code drop_column}, {@code split_column}
 * and {@code merge_columns} (registered in {@link ChangelogReader}'s parser map), with a small
 * reader for their nested mappings ({@code column: {…}}, {@code into: …}, {@code references: {…}}).
 * Nested mappings are checked like intents: unknown keys, wrong shapes and missing fields are
 * errors at {@code file:line:column}.
 * <p>Does not check the SQL of {@code type}, {@code default}, {@code check}, {@code up} or
 * {@code down}: PostgreSQL does, when the steps run.
 */
final class ColumnIntentParsers {
    static final List<String> ADD_COLUMN = List.of("table", "column", "up");
    static final List<String> DROP_COLUMN = List.of("table", "column", "down");
    static final List<String> SPLIT_COLUMN = List.of("table", "column", "into", "down");
    static final List<String> MERGE_COLUMNS = List.of("table", "columns", "into", "down");

    private static final List<String> COLUMN_FIELDS = List.of("name", "type", "nullable", "default", "unique", "check", "references");
    private static final List<String> CHECK_FIELDS = List.of("name", "expression");
    private static final List<String> REFERENCE_FIELDS = List.of("table", "column", "on_delete");
    private static final List<String> DERIVED_FIELDS = List.of("name", "type", "up", "nullable");
    private static final Map<String, String> ON_DELETE = Map.of("cascade", "CASCADE", "restrict", "RESTRICT",
            "set_null", "SET NULL", "set_default", "SET DEFAULT", "no_action", "NO ACTION");

    private ColumnIntentParsers() {}

    static Intent addColumn(IntentFields f) {
        TableRef table = f.requiredTable("table");
        Nested col = Nested.of(f, "column", COLUMN_FIELDS);
        String name = col.identifier("name");
        String type = col.string("type");
        Optional<String> def = col.optionalString("default");
        Optional<AddColumn.References> refs = Optional.empty();
        if (col.has("references")) {
            Nested r = col.nested("references", REFERENCE_FIELDS);
            refs = Optional.of(new AddColumn.References(r.table("table"), r.identifier("column"),
                    r.optionalString("on_delete").map(v -> onDelete(r, v))));
        }
        Optional<String> check = Optional.empty();
        Optional<String> checkName = Optional.empty();
        if (col.has("check") && col.isMapping("check")) {
            // check: {name, expression} names the constraint
            Nested k = col.nested("check", CHECK_FIELDS);
            checkName = Optional.of(k.identifier("name"));
            check = Optional.of(k.string("expression"));
            if (check.get().isBlank()) {
                throw k.error("expression", "must not be blank");
            }
        } else {
            check = col.optionalString("check");
        }
        AddColumn.NewColumn column = new AddColumn.NewColumn(name, type, col.bool("nullable", true), def,
                col.bool("unique", false), check, refs, checkName);
        return new AddColumn(f.position(), table, column, f.optionalString("up"));
    }

    static Intent dropColumn(IntentFields f) {
        return new DropColumn(f.position(), f.requiredTable("table"), f.requiredIdentifier("column"), f.optionalString("down"));
    }

    static Intent splitColumn(IntentFields f) {
        TableRef table = f.requiredTable("table");
        String column = f.requiredIdentifier("column");
        Node into = f.node("into").orElseThrow(() -> f.error("missing required field 'into'"));
        if (!(into instanceof SequenceNode seq) || seq.getValue().isEmpty()) {
            throw f.error("into", "must be a non-empty list of {name, type, up}, got " + YamlNodes.describe(into));
        }
        List<DerivedColumn> parts = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Node item : seq.getValue()) {
            DerivedColumn d = derived(Nested.of(f, "into", item, DERIVED_FIELDS));
            if (d.name().equals(column)) {
                throw f.error("into", "'" + d.name() + "' is the column being split; name the new columns differently");
            }
            if (!names.add(d.name())) {
                throw f.error("into", "column '" + d.name() + "' is listed twice");
            }
            parts.add(d);
        }
        return new SplitColumn(f.position(), table, column, parts, f.requiredString("down"));
    }

    static Intent mergeColumns(IntentFields f) {
        TableRef table = f.requiredTable("table");
        Node cols = f.node("columns").orElseThrow(() -> f.error("missing required field 'columns'"));
        if (!(cols instanceof SequenceNode seq) || seq.getValue().size() < 2) {
            throw f.error("columns", "must be a list of at least two column names, got " + YamlNodes.describe(cols));
        }
        List<String> columns = new ArrayList<>();
        for (Node item : seq.getValue()) {
            String c = YamlNodes.scalarText(f.position().file(), item, "merge_columns: an entry of 'columns'");
            try {
                Identifiers.validate(c);
            } catch (IllegalArgumentException e) {
                throw f.error("columns", e.getMessage());
            }
            if (columns.contains(c)) {
                throw f.error("columns", "column '" + c + "' is listed twice");
            }
            columns.add(c);
        }
        DerivedColumn into = derived(Nested.of(f, "into", DERIVED_FIELDS));
        if (columns.contains(into.name())) {
            throw f.error("into", "'" + into.name() + "' is one of the merged columns; name the new column differently");
        }
        Nested down = Nested.of(f, "down", null);
        Map<String, String> downs = new LinkedHashMap<>();
        for (String key : down.keys()) {
            if (!columns.contains(key)) {
                throw down.error(key, "is not one of the merged columns (" + String.join(", ", columns) + ")");
            }
            downs.put(key, down.string(key));
        }
        for (String c : columns) {
            if (!downs.containsKey(c)) {
                throw f.error("down", "has no expression for column '" + c + "' (old-application readers need every merged column)");
            }
        }
        return new MergeColumns(f.position(), table, columns, into, downs);
    }

    private static DerivedColumn derived(Nested n) {
        return new DerivedColumn(n.identifier("name"), n.string("type"), n.string("up"), n.bool("nullable", true));
    }

    private static String onDelete(Nested r, String value) {
        String sql = ON_DELETE.get(value.toLowerCase(Locale.ROOT).replace(' ', '_'));
        if (sql == null) {
            throw r.error("on_delete", "must be one of " + String.join(", ", new java.util.TreeSet<>(ON_DELETE.keySet())) + ", got '" + value + "'");
        }
        return sql;
    }

    /** A nested mapping of an intent field, read with positions like {@link IntentFields}. */
    static final class Nested {
        private final String file;
        private final String kind;
        private final String path;
        private final String label;
        private final Node node;
        private final Map<String, YamlNodes.Entry> entries;

        private Nested(String file, String kind, String path, Node node, Map<String, YamlNodes.Entry> entries) {
            this.file = file;
            this.kind = kind;
            this.path = path;
            this.label = field(kind, path);
            this.node = node;
            this.entries = entries;
        }

        /** The mapping that is the value of {@code field}; {@code allowed} null accepts any key. */
        static Nested of(IntentFields f, String field, List<String> allowed) {
            Node value = f.node(field).orElseThrow(() -> f.error("missing required field '" + field + "'"));
            return of(f, field, value, allowed);
        }

        static Nested of(IntentFields f, String field, Node value, List<String> allowed) {
            return read(f.position().file(), f.kind(), field, value, allowed);
        }

        private static String field(String kind, String path) {
            return kind + ": field '" + path + "'";
        }

        private static Nested read(String file, String kind, String path, Node value, List<String> allowed) {
            String label = field(kind, path);
            if (!(value instanceof MappingNode map)) {
                throw YamlNodes.error(YamlNodes.position(file, value), label + ": expected a mapping"
                        + (allowed == null ? "" : " of " + String.join(", ", allowed)) + ", got " + YamlNodes.describe(value));
            }
            Map<String, YamlNodes.Entry> entries = YamlNodes.entries(file, map, label + ": ");
            if (allowed != null) {
                for (YamlNodes.Entry e : entries.values()) {
                    if (!allowed.contains(e.key())) {
                        throw YamlNodes.error(e.keyPosition(), label + ": unknown field '" + e.key()
                                + "' (allowed: " + String.join(", ", allowed) + ")");
                    }
                }
            }
            return new Nested(file, kind, path, value, entries);
        }

        Nested nested(String key, List<String> allowed) {
            return read(file, kind, path + "." + key, entries.get(key).value(), allowed);
        }

        boolean isMapping(String key) {
            return entries.containsKey(key) && entries.get(key).value() instanceof MappingNode;
        }

        List<String> keys() {
            return List.copyOf(entries.keySet());
        }

        boolean has(String key) {
            return entries.containsKey(key) && !YamlNodes.isNull(entries.get(key).value());
        }

        String string(String key) {
            YamlNodes.Entry e = entries.get(key);
            if (e == null) {
                throw YamlNodes.error(YamlNodes.position(file, node), label + ": missing required field '" + key + "'");
            }
            return YamlNodes.scalarText(file, e.value(), field(kind, path + "." + key));
        }

        Optional<String> optionalString(String key) {
            return has(key) ? Optional.of(string(key)) : Optional.empty();
        }

        String identifier(String key) {
            String text = string(key);
            try {
                return Identifiers.validate(text);
            } catch (IllegalArgumentException e) {
                throw error(key, e.getMessage());
            }
        }

        TableRef table(String key) {
            String text = string(key);
            try {
                return Identifiers.parseTable(text);
            } catch (IllegalArgumentException e) {
                throw error(key, e.getMessage());
            }
        }

        boolean bool(String key, boolean absent) {
            if (!has(key)) {
                return absent;
            }
            Node v = entries.get(key).value();
            String text = v instanceof ScalarNode s ? s.getValue().toLowerCase(Locale.ROOT) : "";
            return switch (text) {
                case "true", "yes", "on" -> true;
                case "false", "no", "off" -> false;
                default -> throw error(key, "must be true or false, got " + YamlNodes.describe(v));
            };
        }

        TandemException error(String key, String message) {
            YamlNodes.Entry e = entries.get(key);
            return YamlNodes.error(e == null ? YamlNodes.position(file, node) : YamlNodes.position(file, e.value()),
                    field(kind, path + "." + key) + ": " + message);
        }
    }
}
