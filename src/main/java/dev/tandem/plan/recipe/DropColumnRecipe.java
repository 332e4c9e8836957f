package dev.tandem.plan.recipe;

import dev.tandem.catalog.CatalogSnapshot;
import dev.tandem.catalog.Column;
import dev.tandem.catalog.Constraint;
import dev.tandem.catalog.Index;
import dev.tandem.catalog.Table;
import dev.tandem.intent.DropColumn;
import dev.tandem.plan.LockLevel;
import dev.tandem.plan.Phase;
import dev.tandem.plan.PlanBuilder;
import dev.tandem.plan.PlanOptions;
import dev.tandem.plan.Recipe;
import dev.tandem.plan.RecipeContext;
import dev.tandem.plan.Step;
import dev.tandem.plan.mechanics.NotNullViaCheck;
import dev.tandem.plan.mechanics.ObjectNames;
import dev.tandem.plan.mechanics.RowExpression;
import dev.tandem.plan.mechanics.SyncTrigger;
import dev.tandem.plan.mechanics.SyncTrigger.Authority;
import dev.tandem.sql.Ddl;
import dev.tandem.sql.PlPgSql;
import dev.tandem.sql.Names;
import dev.tandem.sql.QualifiedName;
import dev.tandem.sql.SqlTokens;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code drop_column}: the new application stops using the column; the old one keeps reading it
 * until contract.
 * <ul>
 *   <li>expand — {@code DROP NOT NULL} so inserts of the new application (which omit the column)
 *       succeed; with {@code down} also {@code DROP DEFAULT}, so the trigger sees such inserts.
 *       Rollback restores both; NOT NULL is proved again by a validated check and fails, naming
 *       the check, if rows without a value were written meanwhile without {@code down};</li>
 *   <li>dual-write (with {@code down}) — a one-way trigger fills the column with {@code down(NEW)}
 *       on new-application inserts that leave it NULL and on updates of the columns {@code down}
 *       reads that leave it alone, so old-application readers see values;</li>
 *   <li>contract — the column is renamed out of sight ({@code tandem_retired_<id>_<column>}); with
 *       {@code down}, the fill function is re-pointed at the retired name in the same transaction,
 *       so rows written after contract still get {@code down(NEW)} and the rollback (rename back)
 *       is exact without guessing which rows were written since;</li>
 *   <li>purge — the trigger and function, then {@code DROP COLUMN}, which also drops every index
 *       and constraint that includes the column, multi-column ones included (the plan lists them).</li>
 * </ul>
 * Refused (exit 2): unknown table or column, primary-key columns, columns that foreign keys of other
 * tables reference, identity and generated columns; views reading the column
 * ({@link dev.tandem.plan.ViewGuard}) unless a sql step of the migration drops or replaces them.
 */
public final class DropColumnRecipe implements Recipe<DropColumn> {
    private static final String KIND = "drop_column";

    @Override
    public void plan(DropColumn intent, RecipeContext ctx, PlanBuilder out) {
        QualifiedName t = intent.table().resolve(ctx.options().defaultSchema());
        String col = intent.column();
        String id = ctx.migrationId();
        String tableName = t.toString();
        out.touch(t, col);

        Optional<Table> table = ctx.catalog().map(cat -> cat.table(t).orElseThrow(() ->
                RecipeContext.error(intent.position(), KIND, "unknown table " + t)));
        Column c = table.map(tb -> tb.column(col).orElseThrow(() ->
                RecipeContext.error(intent.position(), KIND, "unknown column " + col + " on table " + t)))
                .orElse(new Column(col, 0, "<type of " + col + ">", true, Optional.of("<default of " + col + ">"), "", "",
                        Optional.empty(), Optional.empty()));
        table.ifPresent(tb -> refuse(intent, tb, c, ctx.catalog().orElseThrow()));
        Optional<String> down = intent.down();
        ObjectNames names = new ObjectNames(ctx.catalog(), t);
        String retired = Names.bounded("tandem_retired", id, col);

        // expand
        if (c.notNull()) {
            String restore = names.claim(Names.bounded(t.name(), col, "not_null_restore"));
            out.add(Phase.EXPAND, new Step("drop NOT NULL on " + col + " (the new application omits it)", Ddl.dropNotNull(t, col),
                    new NotNullViaCheck(t, col, restore).named(NotNullViaCheck.constraintOf(table, col)).restoreStatements("cannot restore NOT NULL on " + t + "." + col), LockLevel.ACCESS_EXCLUSIVE, tableName, false, false, true, Optional.empty()));
        }
        if (down.isPresent() && c.defaultExpr().isPresent()) {
            out.add(Phase.EXPAND, Step.ddl("drop the default of " + col + " (down fills it instead)", Ddl.dropDefault(t, col),
                    Ddl.setDefault(t, col, c.defaultExpr().get()), LockLevel.ACCESS_EXCLUSIVE, tableName));
        }

        // dual-write
        SyncTrigger sync = null;
        if (down.isPresent()) {
            sync = new SyncTrigger(t, new QualifiedName(ctx.options().stateSchema(), Names.bounded("tg", id, t.schema(), t.name(), col)),
                    Names.bounded("tandem_sync", id, col),
                    new SyncTrigger.Mapping(List.of(col), sources(down.get(), table, col), Map.of(), Map.of(col, RowExpression.overNew(down.get()))))
                    .observedAs(ctx.options().stateSchema(), id);
            out.add(Phase.DUAL_WRITE, Step.ddl("create the fill function " + sync.function() + " (" + col + " := down(NEW) for new-app writes)",
                    sync.createFunction(Authority.NEW), sync.dropFunction(), LockLevel.NONE, null));
            out.add(Phase.DUAL_WRITE, Step.ddl("create the fill trigger " + sync.triggerName(), sync.createTrigger(), sync.dropTrigger(),
                    LockLevel.SHARE_ROW_EXCLUSIVE, tableName));
        }

        // contract
        if (sync != null) {
            // The fill trigger stays until purge, re-pointed at the retired column in the same transaction as the
            // rename: rows the new application writes after contract still get down(NEW), so rolling contract back
            // is a rename and nothing else (no guess at which NULLs were written since).
            SyncTrigger retiredSync = new SyncTrigger(t, sync.function(), sync.triggerName(), new SyncTrigger.Mapping(
                    List.of(retired), sources(down.get(), table, col), Map.of(), Map.of(retired, RowExpression.overNew(down.get()))));
            out.add(Phase.CONTRACT, Step.ddl("retire " + col + " out of sight as " + retired + " (the fill trigger follows it until purge)",
                    PlPgSql.doBlock("", Ddl.renameColumn(t, col, retired) + ";\n" + retiredSync.createFunction(Authority.NEW) + ";"),
                    PlPgSql.doBlock("", Ddl.renameColumn(t, retired, col) + ";\n" + sync.createFunction(Authority.NEW) + ";"),
                    LockLevel.ACCESS_EXCLUSIVE, tableName));
        } else {
            out.add(Phase.CONTRACT, Step.ddl("retire " + col + " out of sight as " + retired,
                    Ddl.renameColumn(t, col, retired), Ddl.renameColumn(t, retired, col), LockLevel.ACCESS_EXCLUSIVE, tableName));
        }

        // purge
        if (sync != null) {
            out.purge(Step.ddl("drop the fill trigger", sync.dropTrigger(), null, LockLevel.ACCESS_EXCLUSIVE, tableName));
            out.purge(Step.ddl("drop the fill function", sync.dropFunction(), null, LockLevel.NONE, null));
        }
        out.purge(Step.ddl("drop the retired column " + retired, Ddl.dropColumn(t, retired), null, LockLevel.ACCESS_EXCLUSIVE, tableName));

        out.note(down.isPresent() ? Phase.DUAL_WRITE : Phase.EXPAND, "Roll out the application version that no longer reads or writes "
                + col + (down.isPresent() ? " (its rows get " + col + " = down for old readers)" : "")
                + ". When no instance of the old version is left, run `tandem contract " + id + "`.");
        out.note(Phase.CONTRACT, col + " is retired as " + retired + "; `tandem rollback " + id + "` can still restore it,"
                + " `tandem purge " + id + "` drops it for good.");
        if (down.isEmpty()) {
            out.warn("drop_column " + t + "." + col + " has no down: rows the new application inserts have "
                    + (c.defaultExpr().isPresent() ? "its default" : "NULL") + " there, which old-application readers see until contract");
        }
        if (ctx.offline()) {
            out.warn("offline plan: NOT NULL, default, indexes and constraints of " + t + "." + col + " are not known; pass --url");
        }
        table.ifPresent(tb -> {
            List<String> dropped = new ArrayList<>();
            tb.indexes().stream().filter(i -> !i.primary() && (i.covers(col) || SqlTokens.mentionsColumn(SqlTokens.afterKeyword(i.definition(), "using"), col)))
                    .forEach(i -> dropped.add("index " + i.name()));
            tb.constraints().stream().filter(k -> !k.isPrimaryKey() && (k.columns().contains(col)
                            || (k.isCheck() && SqlTokens.mentionsColumn(k.definition(), col))))
                    .forEach(k -> dropped.add("constraint " + k.name()));
            if (!dropped.isEmpty()) {
                out.warn("purge of " + t + "." + col + " also drops " + String.join(", ", dropped)
                        + " (PostgreSQL drops every index and constraint that includes the column); until then they stay on the retired"
                        + " column and must accept NULL for rows the new application writes");
            }
            boolean unique = tb.indexes().stream().anyMatch(i -> i.unique() && i.covers(col));
            if (unique && down.isPresent()) {
                out.warn(t + "." + col + " is in a unique index; down must give distinct values or new-application inserts fail");
            }
        });
    }

    private static List<String> sources(String down, Optional<Table> table, String col) {
        List<String> sources = new ArrayList<>(RowExpression.columnsOf(down, table));
        sources.remove(col);
        return sources;
    }

    private static void refuse(DropColumn intent, Table tb, Column col, CatalogSnapshot catalog) {
        String at = tb.name() + "." + col.name();
        if (col.automatic()) {
            throw RecipeContext.error(intent.position(), KIND, at + " is an identity or generated column; dropping it is not supported yet");
        }
        Optional<Constraint> pk = tb.primaryKey();
        if (pk.isPresent() && pk.get().columns().contains(col.name())) {
            throw RecipeContext.error(intent.position(), KIND, at + " is part of the primary key " + pk.get().name() + "; not supported");
        }
        for (var ref : catalog.foreignKeysReferencing(tb.name())) {
            if (ref.getValue().referencedColumns().contains(col.name())) {
                throw RecipeContext.error(intent.position(), KIND, at + " is referenced by foreign key " + ref.getValue().name()
                        + " on " + ref.getKey().name() + "; drop that foreign key first");
            }
        }
    }

    @Override
    public CatalogSnapshot project(DropColumn intent, CatalogSnapshot before, PlanOptions options) {
        QualifiedName t = intent.table().resolve(options.defaultSchema());
        return before.table(t).filter(tb -> tb.column(intent.column()).isPresent())
                .map(tb -> before.with(withoutColumns(tb, List.of(intent.column())))).orElse(before);
    }

    /** The table without the columns and every index and constraint that includes them (what DROP COLUMN does). */
    static Table withoutColumns(Table tb, List<String> gone) {
        List<Column> columns = new ArrayList<>();
        for (Column c : tb.columns()) {
            if (!gone.contains(c.name())) {
                columns.add(new Column(c.name(), columns.size() + 1, c.type(), c.notNull(), c.defaultExpr(), c.identity(),
                        c.generated(), c.collation(), c.comment()));
            }
        }
        List<Constraint> constraints = tb.constraints().stream().filter(k -> gone.stream().noneMatch(g -> k.columns().contains(g)
                || (k.isCheck() && SqlTokens.mentionsColumn(k.definition(), g)))).toList();
        List<Index> indexes = tb.indexes().stream().filter(i -> gone.stream().noneMatch(g -> i.covers(g)
                || SqlTokens.mentionsColumn(SqlTokens.afterKeyword(i.definition(), "using"), g))).toList();
        return tb.withColumns(columns).withConstraints(constraints).withIndexes(indexes);
    }

    @Override
    public java.util.List<dev.tandem.plan.ExpressionCheck> expressions(dev.tandem.intent.DropColumn intent, dev.tandem.catalog.CatalogSnapshot catalog,
                                                          dev.tandem.plan.PlanOptions options) {
        dev.tandem.sql.QualifiedName t = intent.table().resolve(options.defaultSchema());
        java.util.List<dev.tandem.plan.ExpressionCheck> out = new java.util.ArrayList<>();
        intent.down().ifPresent(d -> out.add(dev.tandem.plan.ExpressionCheck.overRow(intent.position(), intent.kind(), "down", t, d,
                dev.tandem.plan.ExpressionCheck.typeOf(catalog, t, intent.column()))));
        return out;
    }
}
