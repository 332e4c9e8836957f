package dev.tandem.intent;

import dev.tandem.TandemException;
import dev.tandem.intent.CreateTable.Action;
import dev.tandem.intent.CreateTable.ColumnDef;
import dev.tandem.intent.CreateTable.ConstraintType;
import dev.tandem.intent.CreateTable.Identity;
import dev.tandem.intent.CreateTable.References;
import dev.tandem.intent.CreateTable.TableConstraint;
import dev.tandem.plan.LockLevel;
import dev.tandem.plan.Phase;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Parsers of the table-level intents ({@code create_table}, {@code drop_table}, {@code rename_table})
 * and of raw {@code sql}, registered in {@link ChangelogReader}. Nested mappings (columns,
 * constraints, references) are read with the same rules as an intent's own fields: unknown keys and
 * duplicate keys are errors, and every error starts with {@code file:line:column}.
 * <p>Checks only what needs no catalog (see {@link CreateTable}); does not parse SQL types or
 * expressions.
 */
final class TableIntentParsers {
    static final List<String> CREATE_TABLE_FIELDS = List.of("table", "columns", "constraints");
    static final List<String> DROP_TABLE_FIELDS = List.of("table");
    static final List<String> RENAME_TABLE_FIELDS = List.of("table", "to");
    static final List<String> SQL_FIELDS = List.of("phase", "up", "down", "irreversible", "lock", "transaction");

    private static final List<String> COLUMN_FIELDS = List.of("name", "type", "nullable", "default", "identity",
            "primary_key", "unique", "check", "references");
    private static final List<String> CONSTRAINT_FIELDS = List.of("type", "name", "columns", "check", "references");
    private static final List<String> REFERENCES_FIELDS = List.of("table", "column", "columns", "on_delete", "on_update");
    private static final Set<String> IDENTITY_TYPES = Set.of("smallint", "integer", "bigint", "int", "int2", "int4", "int8");

    private TableIntentParsers() {}

    // ---------------------------------------------------------------- drop_table, rename_table

    static Intent dropTable(IntentFields f) {
        return new DropTable(f.position(), f.requiredTable("table"));
    }

    static Intent renameTable(IntentFields f) {
        TableRef table = f.requiredTable("table");
        String to = f.requiredIdentifier("to");
        if (to.equals(table.name())) {
            throw f.error("to", "is the same as the table's name ('" + to + "'); nothing to rename");
        }
        return new RenameTable(f.position(), table, to);
    }

    // ---------------------------------------------------------------- sql

    static Intent sql(IntentFields f) {
        String phaseText = f.requiredString("phase");
        Phase phase = Phase.fromWireName(phaseText).orElseThrow(() -> f.error("phase", "unknown phase '" + phaseText
                + "' (expected one of " + Arrays.stream(Phase.values()).map(Phase::wireName).collect(Collectors.joining(", ")) + ")"));
        String up = f.requiredString("up");
        if (up.isBlank()) {
            throw f.error("up", "is empty");
        }
        Optional<String> down = f.optionalString("down");
        if (down.isPresent() && down.get().isBlank()) {
            throw f.error("down", "is empty; leave it out and say 'irreversible: true' if the step cannot be undone");
        }
        Optional<Boolean> irreversible = f.has("irreversible")
                ? Optional.of(bool(f.positionOf("irreversible"), f.requiredString("irreversible"), f.node("irreversible").orElseThrow(),
                        "sql: field 'irreversible'"))
                : Optional.empty();
        if (down.isEmpty() && !irreversible.orElse(false)) {
            throw f.error(irreversible.isPresent() ? "irreversible" : "down",
                    "a sql step without 'down' cannot be rolled back; give 'down' (SQL that undoes 'up'),"
                            + " or say 'irreversible: true' to accept that rolling back its phase will be refused");
        }
        if (down.isPresent() && irreversible.orElse(false)) {
            throw f.error("irreversible", "is true but 'down' is given; remove one of them");
        }
        LockLevel lock = LockLevel.ACCESS_EXCLUSIVE;
        if (f.has("lock")) {
            String text = f.requiredString("lock");
            try {
                lock = LockLevel.parse(text.replace('_', ' ').strip());
            } catch (IllegalArgumentException e) {
                throw f.error("lock", "unknown lock mode '" + text + "' (expected one of "
                        + Arrays.stream(LockLevel.values()).map(LockLevel::sqlName).collect(Collectors.joining(", ")) + ")");
            }
        }
        boolean transactional = !f.has("transaction")
                || bool(f.positionOf("transaction"), f.requiredString("transaction"), f.node("transaction").orElseThrow(),
                        "sql: field 'transaction'");
        return new RawSql(f.position(), phase, up, down, lock, transactional);
    }

    // ---------------------------------------------------------------- create_table

    static Intent createTable(IntentFields f) {
        TableRef table = f.requiredTable("table");
        String file = f.position().file();
        Node columnsNode = f.node("columns").orElseThrow(() -> f.error("missing required field 'columns'"));
        List<Node> columnItems = list(file, columnsNode, "create_table: field 'columns'", false);
        List<ColumnDef> columns = new ArrayList<>();
        Map<String, Position> seen = new HashMap<>();
        for (int i = 0; i < columnItems.size(); i++) {
            ColumnDef c = column(new Fields(file, "create_table: columns[" + (i + 1) + "]", columnItems.get(i), COLUMN_FIELDS));
            Position previous = seen.putIfAbsent(c.name(), c.position());
            if (previous != null) {
                throw YamlNodes.error(c.position(), "create_table: duplicate column name '" + c.name() + "' (first at line "
                        + previous.line() + ", column " + previous.column() + ")");
            }
            columns.add(c);
        }
        List<TableConstraint> constraints = new ArrayList<>();
        Optional<Node> constraintsNode = f.node("constraints");
        if (constraintsNode.isPresent() && !YamlNodes.isNull(constraintsNode.get())) {
            List<Node> items = list(file, constraintsNode.get(), "create_table: field 'constraints'", true);
            for (int i = 0; i < items.size(); i++) {
                constraints.add(constraint(new Fields(file, "create_table: constraints[" + (i + 1) + "]", items.get(i),
                        CONSTRAINT_FIELDS), seen));
            }
        }
        refuseConflicts(columns, constraints);
        return new CreateTable(f.position(), table, columns, constraints);
    }

    private static ColumnDef column(Fields c) {
        String name = c.identifier("name");
        String type = c.required("type");
        if (type.isBlank()) {
            throw c.error("type", "is empty");
        }
        Optional<Boolean> nullable = c.optionalBool("nullable");
        Identity identity = Identity.NONE;
        if (c.has("identity")) {
            String v = c.required("identity").toLowerCase(Locale.ROOT);
            identity = switch (v) {
                case "true", "yes", "on", "by_default", "by default" -> Identity.BY_DEFAULT;
                case "always" -> Identity.ALWAYS;
                case "false", "no", "off" -> Identity.NONE;
                default -> throw c.error("identity", "expected true (BY DEFAULT), 'always' or false, got '" + v + "'");
            };
        }
        Optional<String> defaultExpr = c.optional("default");
        if (identity != Identity.NONE) {
            if (defaultExpr.isPresent()) {
                throw c.error("default", "an identity column cannot have a default");
            }
            if (!IDENTITY_TYPES.contains(type.strip().toLowerCase(Locale.ROOT))) {
                throw c.error("type", "an identity column must be smallint, integer or bigint, got '" + type + "'");
            }
            if (nullable.orElse(false)) {
                throw c.error("nullable", "an identity column is always NOT NULL");
            }
        }
        boolean primaryKey = c.optionalBool("primary_key").orElse(false);
        if (primaryKey && nullable.orElse(false)) {
            throw c.error("nullable", "a primary-key column is always NOT NULL");
        }
        boolean unique = c.optionalBool("unique").orElse(false);
        Optional<String> check = c.optional("check");
        if (check.isPresent() && check.get().isBlank()) {
            throw c.error("check", "is empty");
        }
        Optional<References> references = c.has("references")
                ? Optional.of(references(c.nested("references", REFERENCES_FIELDS), false)) : Optional.empty();
        references.ifPresent(r -> {
            if (r.columns().size() > 1) {
                throw c.error("references", "a column references one column; use a table-level foreign_key constraint for composite keys");
            }
        });
        return new ColumnDef(c.position, name, type, nullable.orElse(!primaryKey && identity == Identity.NONE), defaultExpr,
                identity, primaryKey, unique, check, references);
    }

    private static TableConstraint constraint(Fields k, Map<String, Position> columns) {
        String typeText = k.required("type");
        ConstraintType type = Arrays.stream(ConstraintType.values()).filter(t -> t.yaml().equals(typeText)).findFirst()
                .orElseThrow(() -> k.error("type", "unknown constraint type '" + typeText
                        + "' (expected unique, check, primary_key or foreign_key)"));
        Optional<String> name = k.has("name") ? Optional.of(k.identifier("name")) : Optional.empty();
        List<String> cols = k.has("columns") ? k.identifierList("columns") : List.of();
        Optional<String> check = k.optional("check");
        Optional<References> references = Optional.empty();
        if (type == ConstraintType.CHECK) {
            if (check.isEmpty() || check.get().isBlank()) {
                throw k.error("a check constraint needs 'check' (a SQL boolean expression)");
            }
            if (k.has("columns")) {
                throw k.error("columns", "a check constraint takes no 'columns'; write the expression in 'check'");
            }
        } else {
            if (cols.isEmpty()) {
                throw k.error("a " + type.yaml() + " constraint needs 'columns'");
            }
            if (check.isPresent()) {
                throw k.error("check", "only a check constraint takes 'check'");
            }
            for (int i = 0; i < cols.size(); i++) {
                if (!columns.containsKey(cols.get(i))) {
                    throw k.error("columns", "column '" + cols.get(i) + "' is not among the table's columns");
                }
                if (cols.indexOf(cols.get(i)) != i) {
                    throw k.error("columns", "column '" + cols.get(i) + "' is listed twice");
                }
            }
        }
        if (type == ConstraintType.FOREIGN_KEY) {
            if (!k.has("references")) {
                throw k.error("a foreign_key constraint needs 'references: {table, columns}'");
            }
            References r = references(k.nested("references", REFERENCES_FIELDS), true);
            if (!r.columns().isEmpty() && r.columns().size() != cols.size()) {
                throw k.error("references", "references " + r.columns().size() + " column(s) but 'columns' has " + cols.size());
            }
            references = Optional.of(r);
        } else if (k.has("references")) {
            throw k.error("references", "only a foreign_key constraint takes 'references'");
        }
        return new TableConstraint(k.position, type, name, cols, check, references);
    }

    private static References references(Fields r, boolean tableLevel) {
        TableRef table;
        try {
            table = Identifiers.parseTable(r.required("table"));
        } catch (IllegalArgumentException e) {
            throw r.error("table", e.getMessage());
        }
        if (r.has("column") && r.has("columns")) {
            throw r.error("columns", "give 'column' or 'columns', not both");
        }
        List<String> columns = r.has("column") ? List.of(r.identifier("column"))
                : r.has("columns") ? r.identifierList("columns") : List.of();
        return new References(r.position, table, columns, action(r, "on_delete"), action(r, "on_update"));
    }

    private static Action action(Fields r, String field) {
        if (!r.has(field)) {
            return Action.NO_ACTION;
        }
        String v = r.required(field).strip().toLowerCase(Locale.ROOT).replace(' ', '_');
        return Arrays.stream(Action.values()).filter(a -> a.name().toLowerCase(Locale.ROOT).equals(v)).findFirst()
                .orElseThrow(() -> r.error(field, "unknown action '" + v + "' (expected cascade, restrict, set_null, set_default or no_action)"));
    }

    private static void refuseConflicts(List<ColumnDef> columns, List<TableConstraint> constraints) {
        List<Position> primaryKeys = new ArrayList<>();
        columns.stream().filter(ColumnDef::primaryKey).forEach(c -> primaryKeys.add(c.position()));
        constraints.stream().filter(k -> k.type() == ConstraintType.PRIMARY_KEY).forEach(k -> primaryKeys.add(k.position()));
        if (primaryKeys.size() > 1) {
            Position first = primaryKeys.get(0);
            throw YamlNodes.error(primaryKeys.get(1), "create_table: a second primary key (the first is at line " + first.line()
                    + ", column " + first.column() + "); for a composite key use one constraint {type: primary_key, columns: [...]}");
        }
        Map<String, Position> names = new HashMap<>();
        for (TableConstraint k : constraints) {
            k.name().ifPresent(n -> {
                Position previous = names.putIfAbsent(n, k.position());
                if (previous != null) {
                    throw YamlNodes.error(k.position(), "create_table: duplicate constraint name '" + n + "' (first at line "
                            + previous.line() + ", column " + previous.column() + ")");
                }
            });
        }
    }

    // ---------------------------------------------------------------- YAML helpers

    private static List<Node> list(String file, Node node, String what, boolean mayBeEmpty) {
        if (!(node instanceof SequenceNode seq)) {
            throw YamlNodes.error(YamlNodes.position(file, node), what + " must be a list, got " + YamlNodes.describe(node));
        }
        if (seq.getValue().isEmpty() && !mayBeEmpty) {
            throw YamlNodes.error(YamlNodes.position(file, node), what + " must not be empty");
        }
        return seq.getValue();
    }

    private static boolean bool(Position at, String text, Node node, String what) {
        String v = text.strip().toLowerCase(Locale.ROOT);
        if (node instanceof ScalarNode) {
            switch (v) {
                case "true", "yes", "on": return true;
                case "false", "no", "off": return false;
                default: break;
            }
        }
        throw YamlNodes.error(at, what + ": expected true or false, got '" + text + "'");
    }

    /** The fields of a nested mapping (a column, a constraint, a references), with positions. */
    private static final class Fields {
        final String file;
        final String context;
        final Position position;
        final Map<String, YamlNodes.Entry> entries;

        Fields(String file, String context, Node node, List<String> allowed) {
            this.file = file;
            this.context = context;
            this.position = YamlNodes.position(file, node);
            if (!(node instanceof MappingNode map)) {
                throw YamlNodes.error(position, context + ": expected a mapping (" + String.join(", ", allowed) + "), got "
                        + YamlNodes.describe(node));
            }
            this.entries = YamlNodes.entries(file, map, context + ": ");
            for (YamlNodes.Entry e : entries.values()) {
                if (!allowed.contains(e.key())) {
                    throw YamlNodes.error(e.keyPosition(), context + ": unknown field '" + e.key() + "' (allowed: "
                            + String.join(", ", allowed) + ")");
                }
            }
        }

        boolean has(String field) {
            return entries.containsKey(field) && !YamlNodes.isNull(entries.get(field).value());
        }

        Position positionOf(String field) {
            YamlNodes.Entry e = entries.get(field);
            return e == null ? position : YamlNodes.position(file, e.value());
        }

        TandemException error(String field, String message) {
            return YamlNodes.error(positionOf(field), context + ": field '" + field + "': " + message);
        }

        TandemException error(String message) {
            return YamlNodes.error(position, context + ": " + message);
        }

        String required(String field) {
            YamlNodes.Entry e = entries.get(field);
            if (e == null) {
                throw error("missing required field '" + field + "'");
            }
            return YamlNodes.scalarText(file, e.value(), context + ": field '" + field + "'");
        }

        Optional<String> optional(String field) {
            return has(field) ? Optional.of(required(field)) : Optional.empty();
        }

        Optional<Boolean> optionalBool(String field) {
            return has(field) ? Optional.of(bool(positionOf(field), required(field), entries.get(field).value(),
                    context + ": field '" + field + "'")) : Optional.empty();
        }

        String identifier(String field) {
            String text = required(field);
            try {
                return Identifiers.validate(text);
            } catch (IllegalArgumentException e) {
                throw error(field, e.getMessage());
            }
        }

        List<String> identifierList(String field) {
            Node node = entries.get(field).value();
            List<Node> items = list(file, node, context + ": field '" + field + "'", false);
            List<String> out = new ArrayList<>();
            for (Node item : items) {
                String text = YamlNodes.scalarText(file, item, context + ": field '" + field + "' item");
                try {
                    out.add(Identifiers.validate(text));
                } catch (IllegalArgumentException e) {
                    throw YamlNodes.error(YamlNodes.position(file, item), context + ": field '" + field + "': " + e.getMessage());
                }
            }
            return out;
        }

        Fields nested(String field, List<String> allowed) {
            return new Fields(file, context + ": " + field, entries.get(field).value(), allowed);
        }
    }
}
