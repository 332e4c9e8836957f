package dev.tandem.plan.recipe;

import dev.tandem.catalog.CatalogSnapshot;
import dev.tandem.catalog.Column;
import dev.tandem.catalog.Constraint;
import dev.tandem.catalog.Index;
import dev.tandem.catalog.Table;
import dev.tandem.intent.Position;
import dev.tandem.plan.RecipeContext;
import dev.tandem.plan.mechanics.RowRepair;
import dev.tandem.sql.Names;
import dev.tandem.sql.QualifiedName;
import dev.tandem.sql.SqlTokens;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Catalog look-ups shared by the constraint, default and index recipes, each failing with a
 * {@code file:line:column: kind: message} bad-input error (exit 2) that names the missing or
 * clashing object. Every method is a no-op (empty result) when planning offline.
 */
final class Lookups {
    private final RecipeContext ctx;
    private final Position at;
    private final String kind;

    Lookups(RecipeContext ctx, Position at, String kind) {
        this.ctx = ctx;
        this.at = at;
        this.kind = kind;
    }

    RuntimeException error(String message) {
        return RecipeContext.error(at, kind, message);
    }

    Optional<Table> table(QualifiedName t) {
        return ctx.catalog().map(c -> c.table(t).orElseThrow(() -> error("unknown table " + t)));
    }

    Optional<Column> column(Optional<Table> table, String column) {
        return table.map(tb -> tb.column(column).orElseThrow(() -> error("unknown column " + column + " on table " + tb.name())));
    }

    void columns(Optional<Table> table, List<String> columns) {
        columns.forEach(c -> column(table, c));
    }

    Optional<Constraint> constraint(Optional<Table> table, String name) {
        return table.map(tb -> tb.constraints().stream().filter(k -> k.name().equals(name)).findFirst()
                .orElseThrow(() -> error("unknown constraint " + name + " on table " + tb.name())));
    }

    /** Refuses a constraint name already used on the table, or an index/relation name already used in the schema. */
    void nameFree(Optional<Table> table, String name, boolean alsoRelation) {
        table.ifPresent(tb -> {
            if (tb.constraints().stream().anyMatch(k -> k.name().equals(name))) {
                throw error("name " + name + " is already taken by a constraint on table " + tb.name());
            }
        });
        if (alsoRelation) {
            QualifiedName t = table.map(Table::name).orElse(null);
            ctx.catalog().ifPresent(c -> relationFree(c, t.schema(), name));
        }
    }

    private void relationFree(CatalogSnapshot c, String schema, String name) {
        for (Table tb : c.allTables()) {
            if (!tb.name().schema().equals(schema)) continue;
            if (tb.name().name().equals(name)) {
                throw error("name " + name + " is already taken by table " + tb.name());
            }
            if (tb.indexes().stream().anyMatch(i -> i.name().equals(name))) {
                throw error("name " + name + " is already taken by an index on table " + tb.name());
            }
        }
    }

    /** The index of that name in the schema, with its table. */
    Optional<Map.Entry<Table, Index>> index(String schema, String name) {
        return ctx.catalog().map(c -> c.allTables().stream().filter(tb -> tb.name().schema().equals(schema))
                .flatMap(tb -> tb.indexes().stream().filter(i -> i.name().equals(name)).map(i -> Map.entry(tb, i)))
                .findFirst().orElseThrow(() -> error("unknown index " + schema + "." + name)));
    }

    /**
     * The primary key columns the backfill keys on; empty for a table without one (the backfill
     * then cuts it by unique index or ctid pages).
     */
    static List<String> batchKey(Optional<Table> table) {
        return table.map(tb -> tb.primaryKey().map(dev.tandem.catalog.Constraint::columns).orElse(List.of()))
                .orElse(List.of("<primary key>"));
    }

    /** Columns of the table the SQL mentions (for a trigger's UPDATE OF list); empty offline (every UPDATE). */
    static List<String> mentioned(Optional<Table> table, String sql) {
        return table.map(tb -> tb.columns().stream().map(Column::name).filter(c -> SqlTokens.mentionsColumn(sql, c)).toList())
                .orElse(List.of());
    }

    /** The repair mechanics for one intent: names derived from the migration id and the constraint/column name. */
    RowRepair repair(QualifiedName t, List<String> key, String name, Function<String, String> violation,
                     Map<String, String> up, List<String> watched) {
        return repair(t, key, name, violation, up, watched, Optional.empty());
    }

    /** As above; with a refusal, the repair is for the old application's writes only ({@link RowRepair#refusal}). */
    RowRepair repair(QualifiedName t, List<String> key, String name, Function<String, String> violation,
                     Map<String, String> up, List<String> watched, Optional<RowRepair.Refusal> refusal) {
        String schema = ctx.options().stateSchema();
        String id = ctx.migrationId();
        return new RowRepair(t, key, new QualifiedName(schema, Names.bounded("repair", id, t.schema(), t.name(), name)),
                Names.bounded("tandem_repair", id, name), new QualifiedName(schema, Names.bounded("saved", id, t.schema(), t.name(), name)),
                violation, up, watched, refusal);
    }

    /** Drops a trailing " NOT VALID". */
    static String withoutNotValid(String definition) {
        return definition.endsWith(" NOT VALID") ? definition.substring(0, definition.length() - " NOT VALID".length()) : definition;
    }
}
