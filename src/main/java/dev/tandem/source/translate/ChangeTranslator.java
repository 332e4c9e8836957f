package dev.tandem.source.translate;

import dev.tandem.intent.AddColumn;
import dev.tandem.intent.AddForeignKey;
import dev.tandem.intent.AddUnique;
import dev.tandem.intent.ChangeColumnType;
import dev.tandem.intent.CreateIndex;
import dev.tandem.intent.CreateTable;
import dev.tandem.intent.DropColumn;
import dev.tandem.intent.DropConstraint;
import dev.tandem.intent.DropDefault;
import dev.tandem.intent.DropIndex;
import dev.tandem.intent.DropNotNull;
import dev.tandem.intent.DropTable;
import dev.tandem.intent.Intent;
import dev.tandem.intent.Position;
import dev.tandem.intent.RenameColumn;
import dev.tandem.intent.RenameTable;
import dev.tandem.intent.SetDefault;
import dev.tandem.intent.SetNotNull;
import dev.tandem.intent.TableRef;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import liquibase.change.AddColumnConfig;
import liquibase.change.Change;
import liquibase.change.ColumnConfig;
import liquibase.change.ConstraintsConfig;
import liquibase.change.core.AddColumnChange;
import liquibase.change.core.AddDefaultValueChange;
import liquibase.change.core.AddForeignKeyConstraintChange;
import liquibase.change.core.AddNotNullConstraintChange;
import liquibase.change.core.AddUniqueConstraintChange;
import liquibase.change.core.CreateIndexChange;
import liquibase.change.core.CreateTableChange;
import liquibase.change.core.DropColumnChange;
import liquibase.change.core.DropDefaultValueChange;
import liquibase.change.core.DropForeignKeyConstraintChange;
import liquibase.change.core.DropIndexChange;
import liquibase.change.core.DropNotNullConstraintChange;
import liquibase.change.core.DropTableChange;
import liquibase.change.core.DropUniqueConstraintChange;
import liquibase.change.core.ModifyDataTypeChange;
import liquibase.change.core.RenameColumnChange;
import liquibase.change.core.RenameTableChange;

/**
 * Translates Liquibase's structured change types into Tandem intents, field by field:
 * {@code renameColumn}, {@code modifyDataType}, {@code addNotNullConstraint} (its
 * {@code defaultNullValue} becomes {@code up}), {@code addColumn} (default, NOT NULL, unique,
 * foreign key; one intent per column), {@code dropColumn}, {@code renameTable}, {@code dropTable},
 * {@code addForeignKeyConstraint}, {@code addUniqueConstraint}, {@code createIndex},
 * {@code dropIndex}, {@code addDefaultValue}, {@code dropDefaultValue},
 * {@code dropNotNullConstraint}, {@code dropForeignKeyConstraint}, {@code dropUniqueConstraint}
 * and {@code createTable}.
 *
 * <p>It returns empty for any other change type (the caller decides: raw SQL or refusal). It
 * does not handle {@code sql}/{@code sqlFile} (see {@link SqlChangeTranslator}), sequences,
 * views, procedures, data changes ({@code insert}, {@code update}, {@code loadData}), or
 * {@code cascadeConstraints} on {@code dropTable}.
 */
public final class ChangeTranslator {
    private ChangeTranslator() {}

    /** The intents for one change, or empty when the change type has no recipe. */
    public static Optional<List<Intent>> translate(Change change, Position at, String changeSetId) {
        if (change instanceof RenameColumnChange c) {
            return one(new RenameColumn(at, table(c.getSchemaName(), c.getTableName()), c.getOldColumnName(), c.getNewColumnName()));
        }
        if (change instanceof ModifyDataTypeChange c) {
            return one(new ChangeColumnType(at, table(c.getSchemaName(), c.getTableName()), c.getColumnName(),
                    c.getNewDataType(), Optional.empty(), Optional.empty()));
        }
        if (change instanceof AddNotNullConstraintChange c) {
            Optional<String> up = Optional.ofNullable(c.getDefaultNullValue())
                    .map(v -> "coalesce(" + dev.tandem.sql.Ident.quote(c.getColumnName()) + ", " + literal(v) + ")");
            return one(new SetNotNull(at, table(c.getSchemaName(), c.getTableName()), c.getColumnName(), up));
        }
        if (change instanceof DropNotNullConstraintChange c) {
            return one(new DropNotNull(at, table(c.getSchemaName(), c.getTableName()), c.getColumnName()));
        }
        if (change instanceof AddColumnChange c) {
            List<Intent> out = new ArrayList<>();
            for (AddColumnConfig col : c.getColumns()) {
                out.add(addColumn(at, changeSetId, table(c.getSchemaName(), c.getTableName()), col));
            }
            return Optional.of(out);
        }
        if (change instanceof DropColumnChange c) {
            TableRef t = table(c.getSchemaName(), c.getTableName());
            List<Intent> out = new ArrayList<>();
            if (c.getColumnName() != null) {
                out.add(new DropColumn(at, t, c.getColumnName(), Optional.empty()));
            }
            for (ColumnConfig col : c.getColumns()) {
                out.add(new DropColumn(at, t, col.getName(), Optional.empty()));
            }
            return Optional.of(out);
        }
        if (change instanceof RenameTableChange c) {
            return one(new RenameTable(at, table(c.getSchemaName(), c.getOldTableName()), c.getNewTableName()));
        }
        if (change instanceof DropTableChange c) {
            if (Boolean.TRUE.equals(c.isCascadeConstraints())) {
                throw Untranslatable.at(at, changeSetId, "dropTable with cascadeConstraints=true would drop other tables'"
                        + " foreign keys without notice; drop them with dropForeignKeyConstraint in an earlier changeSet");
            }
            return one(new DropTable(at, table(c.getSchemaName(), c.getTableName())));
        }
        if (change instanceof AddForeignKeyConstraintChange c) {
            Optional<String> onDelete = Optional.ofNullable(c.getOnDelete()).map(ChangeTranslator::action);
            if (Boolean.TRUE.equals(c.getDeleteCascade())) {
                onDelete = Optional.of("CASCADE");
            }
            return one(new AddForeignKey(at, table(c.getBaseTableSchemaName(), c.getBaseTableName()), c.getConstraintName(),
                    names(c.getBaseColumnNames()), table(c.getReferencedTableSchemaName(), c.getReferencedTableName()),
                    names(c.getReferencedColumnNames()), onDelete,
                    Optional.ofNullable(c.getOnUpdate()).map(ChangeTranslator::action), Map.of()));
        }
        if (change instanceof AddUniqueConstraintChange c) {
            return one(new AddUnique(at, table(c.getSchemaName(), c.getTableName()), c.getConstraintName(), names(c.getColumnNames())));
        }
        if (change instanceof DropForeignKeyConstraintChange c) {
            return one(new DropConstraint(at, table(c.getBaseTableSchemaName(), c.getBaseTableName()), c.getConstraintName()));
        }
        if (change instanceof DropUniqueConstraintChange c) {
            return one(new DropConstraint(at, table(c.getSchemaName(), c.getTableName()), c.getConstraintName()));
        }
        if (change instanceof CreateIndexChange c) {
            List<String> cols = new ArrayList<>();
            for (AddColumnConfig col : c.getColumns()) {
                String expr = Boolean.TRUE.equals(col.getComputed()) ? col.getName() : dev.tandem.sql.Ident.quote(col.getName());
                cols.add(Boolean.TRUE.equals(col.getDescending()) ? expr + " DESC" : expr);
            }
            return one(new CreateIndex(at, table(c.getSchemaName(), c.getTableName()), c.getIndexName(), cols,
                    Boolean.TRUE.equals(c.isUnique()), Optional.ofNullable(c.getUsing()), Optional.empty(), List.of()));
        }
        if (change instanceof DropIndexChange c) {
            Optional<String> schema = Optional.ofNullable(c.getSchemaName());
            return one(new DropIndex(at, new TableRef(schema, c.getIndexName()),
                    Optional.ofNullable(c.getTableName()).map(t -> table(c.getSchemaName(), t))));
        }
        if (change instanceof AddDefaultValueChange c) {
            return one(new SetDefault(at, table(c.getSchemaName(), c.getTableName()), c.getColumnName(),
                    defaultOf(at, changeSetId, c.getDefaultValue(), c.getDefaultValueNumeric(), c.getDefaultValueBoolean(),
                            c.getDefaultValueComputed(), c.getDefaultValueDate())
                            .orElseThrow(() -> Untranslatable.at(at, changeSetId, "addDefaultValue without a value"))));
        }
        if (change instanceof DropDefaultValueChange c) {
            return one(new DropDefault(at, table(c.getSchemaName(), c.getTableName()), c.getColumnName()));
        }
        if (change instanceof CreateTableChange c) {
            return one(createTable(at, changeSetId, c));
        }
        return Optional.empty();
    }

    private static Intent addColumn(Position at, String changeSetId, TableRef table, AddColumnConfig col) {
        if (col.getBeforeColumn() != null || col.getAfterColumn() != null || col.getPosition() != null) {
            throw Untranslatable.at(at, changeSetId, "addColumn " + col.getName()
                    + ": PostgreSQL cannot place a column (beforeColumn/afterColumn/position); remove the attribute");
        }
        ConstraintsConfig k = col.getConstraints();
        boolean nullable = k == null || k.isNullable() == null || k.isNullable();
        boolean unique = k != null && Boolean.TRUE.equals(k.isUnique());
        if (k != null && Boolean.TRUE.equals(k.isPrimaryKey())) {
            throw Untranslatable.at(at, changeSetId, "addColumn " + col.getName()
                    + " as primary key rewrites the table under ACCESS EXCLUSIVE; add it nullable, backfill, then add the key");
        }
        Optional<AddColumn.References> refs = Optional.empty();
        if (k != null && (k.getReferencedTableName() != null || k.getReferences() != null)) {
            if (k.getReferencedTableName() == null || k.getReferencedColumnNames() == null) {
                throw Untranslatable.at(at, changeSetId, "addColumn " + col.getName()
                        + ": give the foreign key as referencedTableName + referencedColumnNames (the 'references' text form is not translated)");
            }
            refs = Optional.of(new AddColumn.References(table(k.getReferencedTableSchemaName(), k.getReferencedTableName()),
                    k.getReferencedColumnNames().strip(), Boolean.TRUE.equals(k.isDeleteCascade()) ? Optional.of("CASCADE") : Optional.empty()));
        }
        Optional<String> def = defaultOf(at, changeSetId, col.getDefaultValue(), col.getDefaultValueNumeric(),
                col.getDefaultValueBoolean(), col.getDefaultValueComputed(), col.getDefaultValueDate());
        Optional<String> check = k == null ? Optional.empty() : Optional.ofNullable(k.getCheckConstraint());
        // Liquibase's own semantics: existing rows get the default; Tandem makes that explicit as up
        Optional<String> up = nullable ? Optional.empty() : def;
        return new AddColumn(at, table, new AddColumn.NewColumn(col.getName(), col.getType(), nullable, def, unique, check, refs), up);
    }

    private static Intent createTable(Position at, String changeSetId, CreateTableChange c) {
        List<CreateTable.ColumnDef> cols = new ArrayList<>();
        for (ColumnConfig col : c.getColumns()) {
            ConstraintsConfig k = col.getConstraints();
            boolean pk = k != null && Boolean.TRUE.equals(k.isPrimaryKey());
            boolean identity = Boolean.TRUE.equals(col.isAutoIncrement());
            boolean nullable = !pk && !identity && (k == null || k.isNullable() == null || k.isNullable());
            Optional<CreateTable.References> refs = Optional.empty();
            if (k != null && k.getReferencedTableName() != null) {
                refs = Optional.of(new CreateTable.References(at, table(k.getReferencedTableSchemaName(), k.getReferencedTableName()),
                        k.getReferencedColumnNames() == null ? List.of() : names(k.getReferencedColumnNames()),
                        Boolean.TRUE.equals(k.isDeleteCascade()) ? CreateTable.Action.CASCADE : CreateTable.Action.NO_ACTION,
                        CreateTable.Action.NO_ACTION));
            }
            cols.add(new CreateTable.ColumnDef(at, col.getName(), col.getType(), nullable,
                    defaultOf(at, changeSetId, col.getDefaultValue(), col.getDefaultValueNumeric(), col.getDefaultValueBoolean(),
                            col.getDefaultValueComputed(), col.getDefaultValueDate()),
                    identity ? CreateTable.Identity.BY_DEFAULT : CreateTable.Identity.NONE, pk,
                    k != null && Boolean.TRUE.equals(k.isUnique()),
                    k == null ? Optional.empty() : Optional.ofNullable(k.getCheckConstraint()), refs));
        }
        return new CreateTable(at, table(c.getSchemaName(), c.getTableName()), cols, List.of());
    }

    private static Optional<String> defaultOf(Position at, String changeSetId, String text, Object numeric, Boolean bool,
                                              liquibase.statement.DatabaseFunction computed, Object date) {
        if (computed != null) {
            return Optional.of(computed.getValue());
        }
        if (numeric != null) {
            String n = numeric.toString().strip();
            if (!n.matches("-?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?")) {
                throw Untranslatable.at(at, changeSetId, "defaultValueNumeric '" + n + "' is not a number");
            }
            return Optional.of(n);
        }
        if (bool != null) {
            return Optional.of(bool ? "true" : "false");
        }
        if (text != null) {
            return Optional.of(literal(text));
        }
        if (date != null) {
            throw Untranslatable.at(at, changeSetId, "defaultValueDate is not translated; write the default as defaultValueComputed");
        }
        return Optional.empty();
    }

    /** A SQL string literal for a Liquibase value attribute. */
    static String literal(String v) {
        return "'" + v.replace("'", "''") + "'";
    }

    private static String action(String liquibaseAction) {
        return liquibaseAction.strip().toUpperCase(java.util.Locale.ROOT);
    }

    private static List<String> names(String commaSeparated) {
        return Arrays.stream(commaSeparated.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    private static TableRef table(String schema, String name) {
        return new TableRef(Optional.ofNullable(schema).filter(s -> !s.isBlank()), name);
    }

    private static Optional<List<Intent>> one(Intent i) {
        return Optional.of(List.of(i));
    }
}
