package dev.tandem.plan.recipe;

import dev.tandem.catalog.CatalogSnapshot;
import dev.tandem.catalog.Column;
import dev.tandem.catalog.Constraint;
import dev.tandem.catalog.Table;
import dev.tandem.intent.DerivedColumn;
import dev.tandem.intent.Position;
import dev.tandem.plan.BackfillSpec;
import dev.tandem.plan.LockLevel;
import dev.tandem.plan.Phase;
import dev.tandem.plan.PlanBuilder;
import dev.tandem.plan.RecipeContext;
import dev.tandem.plan.Step;
import dev.tandem.plan.mechanics.NotNullViaCheck;
import dev.tandem.plan.mechanics.ObjectNames;
import dev.tandem.plan.mechanics.ValidatedConstraint;
import dev.tandem.plan.mechanics.RowExpression;
import dev.tandem.plan.mechanics.SyncTrigger;
import dev.tandem.plan.mechanics.SyncTrigger.Authority;
import dev.tandem.sql.Ddl;
import dev.tandem.sql.Ident;
import dev.tandem.sql.Names;
import dev.tandem.sql.QualifiedName;
import dev.tandem.sql.SqlTokens;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The plan shared by {@code split_column} (one old column → several new) and {@code merge_columns}
 * (several old → one new): old columns, each with its {@code down} over the new row; new columns,
 * each with its {@code up} over the old row.
 * <ul>
 *   <li>expand — the new columns in one {@code ALTER TABLE} (nullable, no default);</li>
 *   <li>dual-write — one sync trigger for the whole mapping (old app writes → new := up(old); new
 *       app writes → old := down(new); see {@link SyncTrigger});</li>
 *   <li>backfill — all new columns in one batched pass; then {@code CHECK (c IS NOT NULL) NOT
 *       VALID} for the new columns marked {@code nullable: false};</li>
 *   <li>switch-reads — validate those checks, SET NOT NULL (no scan), the new side becomes
 *       authoritative;</li>
 *   <li>contract — old NOT NULL columns drop NOT NULL, the trigger goes, the old columns are
 *       renamed out of sight. Rollback renames them back, puts the trigger back and re-syncs in
 *       batches every row whose new columns no longer equal up(old) (written since contract):
 *       old := down(new); rows nobody touched keep their exact old values;</li>
 *   <li>purge — drop the retired columns (with their indexes and constraints) and the checks.</li>
 * </ul>
 * A simple view reading an old column ({@link dev.tandem.plan.ViewGuard#carried}) is re-pointed at
 * the new columns as the first step of contract ({@code CREATE OR REPLACE VIEW}, the old column
 * computed as {@code CAST((down) AS <old type>)}, output names and types unchanged, so views over
 * it keep working); rollback restores its definition. Other views are refused by the guard.
 * Indexes and constraints of the old columns are not translated to the new ones (the plan warns;
 * add them with index/constraint intents). Refused (exit 2): unknown table or column, a new column
 * that exists, primary-key, identity or generated old columns, old columns referenced by foreign
 * keys. A table without a primary key is backfilled (both ways) by unique index or ctid pages.
 */
final class ColumnReshape {
    /** An old column and the SQL over the new row that computes it. */
    record Old(String name, String down) {}

    private final String kind;
    private final Position position;
    private final String label;

    /** @param label the column naming the generated trigger and function (split: the old column, merge: the new one) */
    ColumnReshape(String kind, Position position, String label) {
        this.kind = kind;
        this.position = position;
        this.label = label;
    }

    void plan(QualifiedName t, List<Old> olds, List<DerivedColumn> news, RecipeContext ctx, PlanBuilder out) {
        String id = ctx.migrationId();
        String tableName = t.toString();
        List<String> oldNames = olds.stream().map(Old::name).toList();
        List<String> newNames = news.stream().map(DerivedColumn::name).toList();
        oldNames.forEach(o -> out.touch(t, o));
        newNames.forEach(n -> out.touch(t, n));

        Optional<Table> table = ctx.catalog().map(cat -> cat.table(t).orElseThrow(() -> error("unknown table " + t)));
        Map<String, Column> oldColumns = new LinkedHashMap<>();
        for (String o : oldNames) {
            oldColumns.put(o, table.map(tb -> tb.column(o).orElseThrow(() -> error("unknown column " + o + " on table " + t)))
                    .orElse(new Column(o, 0, "<type>", true, Optional.empty(), "", "", Optional.empty(), Optional.empty())));
        }
        table.ifPresent(tb -> refuse(tb, oldColumns.values(), newNames, ctx.catalog().orElseThrow()));
        // without a primary key the backfill cuts the table by unique index or ctid pages (empty key)
        List<String> key = table.map(tb -> tb.primaryKey().map(Constraint::columns).orElse(List.of())).orElse(List.of("<primary key>"));
        ObjectNames names = new ObjectNames(ctx.catalog(), t);
        SyncTrigger sync = new SyncTrigger(t, new QualifiedName(ctx.options().stateSchema(), Names.bounded("tg", id, t.schema(), t.name(), label)),
                Names.bounded("tandem_sync", id, label), mapping(olds, news))
                .withRequiredOld(oldColumns.values().stream().filter(Column::notNull).map(Column::name).toList())
                .observedAs(ctx.options().stateSchema(), id);

        // expand
        List<String> adds = new ArrayList<>();
        List<String> drops = new ArrayList<>();
        for (DerivedColumn n : news) {
            adds.add("ADD COLUMN " + Ident.quote(n.name()) + " " + n.type());
            drops.add("DROP COLUMN " + Ident.quote(n.name()));
        }
        out.add(Phase.EXPAND, Step.ddl("add column" + (news.size() > 1 ? "s " : " ") + String.join(", ", newNames) + " beside "
                        + String.join(", ", oldNames), "ALTER TABLE " + t.sql() + " " + String.join(", ", adds),
                "ALTER TABLE " + t.sql() + " " + String.join(", ", drops), LockLevel.ACCESS_EXCLUSIVE, tableName));

        // dual-write
        out.add(Phase.DUAL_WRITE, Step.ddl("create the sync function " + sync.function(), sync.createFunction(Authority.OLD),
                sync.dropFunction(), LockLevel.NONE, null));
        out.add(Phase.DUAL_WRITE, Step.ddl("create the sync trigger " + sync.triggerName() + " (" + String.join(", ", oldNames)
                + " <-> " + String.join(", ", newNames) + ")", sync.createTrigger(), sync.dropTrigger(), LockLevel.SHARE_ROW_EXCLUSIVE, tableName));

        // backfill
        List<BackfillSpec.Assignment> fill = new ArrayList<>();
        List<String> sets = new ArrayList<>();
        List<String> differs = new ArrayList<>();
        for (DerivedColumn n : news) {
            fill.add(new BackfillSpec.Assignment(n.name(), "(" + n.up() + ")"));
            sets.add(Ident.quote(n.name()) + " = (" + n.up() + ")");
            differs.add(Ident.quote(n.name()) + " IS DISTINCT FROM (" + n.up() + ")");
        }
        out.add(Phase.BACKFILL, new Step("fill " + String.join(", ", newNames) + " from up in one batched pass",
                "UPDATE " + t.sql() + " SET " + String.join(", ", sets) + " WHERE " + String.join(" OR ", differs),
                List.of(), LockLevel.ROW_EXCLUSIVE, tableName, false, true, true, Optional.of(new BackfillSpec(t, key, fill))));
        Map<String, String> checks = new LinkedHashMap<>(); // column -> check name
        for (DerivedColumn n : news) {
            if (!n.nullable()) {
                String check = names.claim(Names.bounded(t.name(), n.name(), "not_null"));
                checks.put(n.name(), check);
                out.add(Phase.BACKFILL, ValidatedConstraint.checkStep(t, check, NotNullViaCheck.isNotNull(n.name())));
            }
        }

        // switch-reads
        checks.forEach((column, check) -> {
            out.add(Phase.SWITCH_READS, ValidatedConstraint.validateCheckStep(t, check, NotNullViaCheck.isNotNull(column)));
            out.add(Phase.SWITCH_READS, Step.ddl("set " + column + " NOT NULL (proved by the validated check, no scan)",
                    Ddl.setNotNull(t, column), Ddl.dropNotNull(t, column), LockLevel.ACCESS_EXCLUSIVE, tableName));
        });
        out.add(Phase.SWITCH_READS, Step.ddl("make " + String.join(", ", newNames) + " authoritative in the sync function",
                sync.createFunction(Authority.NEW), sync.createFunction(Authority.OLD), LockLevel.NONE, null));

        // contract: views first, while the trigger still keeps the old columns equal to down(new)
        Map<String, String> computed = new LinkedHashMap<>(); // old column -> its value computed from the new ones
        olds.forEach(o -> computed.put(o.name(), "CAST((" + o.down() + ") AS " + oldColumns.get(o.name()).type() + ")"
                + oldColumns.get(o.name()).collation().map(x -> " COLLATE " + Ident.quote(x)).orElse("")));
        for (dev.tandem.catalog.View v : dev.tandem.plan.ViewGuard.carried(t, oldNames, ctx)) {
            out.add(Phase.CONTRACT, Step.ddl("re-point view " + v.name() + " at " + String.join(", ", newNames)
                            + " (down computes " + String.join(", ", oldNames.stream().filter(o -> v.reads(t, o)).toList())
                            + "; its output columns keep their names and types)",
                    reshapedView(v, computed), "CREATE OR REPLACE VIEW " + v.name().sql() + " AS "
                            + dev.tandem.plan.mechanics.ViewRebuild.select(v.definition()),
                    LockLevel.ACCESS_EXCLUSIVE, v.name().toString()));
        }
        for (Column o : oldColumns.values()) {
            if (o.notNull()) {
                String restore = names.claim(Names.bounded(t.name(), o.name(), "not_null_restore"));
                out.add(Phase.CONTRACT, new Step("drop NOT NULL on " + o.name() + " (the new application no longer writes it)",
                        Ddl.dropNotNull(t, o.name()), new NotNullViaCheck(t, o.name(), restore).named(NotNullViaCheck.constraintOf(table, o.name())).restoreStatements("cannot restore NOT NULL on " + t + "." + o.name()),
                        LockLevel.ACCESS_EXCLUSIVE, tableName, false, false, true, Optional.empty()));
            }
        }
        out.add(Phase.CONTRACT, Step.ddl("drop the sync trigger (" + String.join(", ", oldNames) + " stop being written)",
                sync.dropTrigger(), sync.createTrigger(), LockLevel.ACCESS_EXCLUSIVE, tableName)
                .withUndoBackfill(new BackfillSpec(t, key, resync(olds, news))));
        out.add(Phase.CONTRACT, Step.ddl("drop the sync function", sync.dropFunction(), sync.createFunction(Authority.NEW),
                LockLevel.NONE, null));
        List<String> retired = new ArrayList<>();
        for (String o : oldNames) {
            String r = Names.bounded("tandem_retired", id, o);
            retired.add(r);
            out.add(Phase.CONTRACT, Step.ddl("retire " + o + " out of sight as " + r,
                    Ddl.renameColumn(t, o, r), Ddl.renameColumn(t, r, o), LockLevel.ACCESS_EXCLUSIVE, tableName));
        }

        // purge
        for (String r : retired) {
            out.purge(Step.ddl("drop the retired column " + r, Ddl.dropColumn(t, r), null, LockLevel.ACCESS_EXCLUSIVE, tableName));
        }
        checks.values().forEach(check -> out.purge(Step.ddl("drop check " + check + " (NOT NULL now holds it)",
                Ddl.dropConstraint(t, check), null, LockLevel.ACCESS_EXCLUSIVE, tableName)));

        out.note(Phase.BACKFILL, "Now roll out the application version that reads and writes " + String.join(", ", newNames)
                + "; old and new instances may run side by side. Then run `tandem switch-reads " + id + "`.");
        out.note(Phase.SWITCH_READS, String.join(", ", newNames) + " authoritative. When no instance of the old version is left, run `tandem contract " + id + "`.");
        out.note(Phase.CONTRACT, String.join(", ", oldNames) + " retired and no longer written; `tandem rollback " + id
                + "` can still restore, `tandem purge " + id + "` drops for good.");
        if (ctx.offline()) {
            out.warn("offline plan: NOT NULL, indexes and constraints of " + t + "." + String.join(", ", oldNames) + " are not known; pass --url");
        }
        table.ifPresent(tb -> {
            List<String> kept = new ArrayList<>();
            for (String o : oldNames) {
                tb.indexes().stream().filter(i -> !i.primary() && (i.covers(o)
                        || SqlTokens.mentionsColumn(SqlTokens.afterKeyword(i.definition(), "using"), o))).forEach(i -> kept.add("index " + i.name()));
                tb.constraints().stream().filter(k -> k.columns().contains(o) || (k.isCheck() && SqlTokens.mentionsColumn(k.definition(), o)))
                        .forEach(k -> kept.add("constraint " + k.name()));
            }
            if (!kept.isEmpty()) {
                out.warn(String.join(", ", kept.stream().distinct().toList()) + " on " + t + " stay with the old column(s), are not copied to "
                        + String.join(", ", newNames) + ", and are dropped at purge; add what the new columns need with index/constraint intents");
            }
        });
    }

    /**
     * {@code CREATE OR REPLACE VIEW} of a simple view generated from its known target list, every
     * old column replaced by its {@code down} over the new columns cast to the old type, every
     * output column under its old name (so the view's shape does not change).
     */
    static String reshapedView(dev.tandem.catalog.View v, Map<String, String> computed) {
        List<String> items = new ArrayList<>();
        for (int i = 0; i < v.columns().size(); i++) {
            String source = v.sources().get(i);
            items.add(computed.getOrDefault(source, Ident.quote(source)) + " AS " + Ident.quote(v.columns().get(i)));
        }
        return "CREATE OR REPLACE VIEW " + v.name().sql() + " AS SELECT " + String.join(", ", items)
                + " FROM " + v.table().orElseThrow().sql();
    }

    private static SyncTrigger.Mapping mapping(List<Old> olds, List<DerivedColumn> news) {
        Map<String, String> up = new LinkedHashMap<>();
        news.forEach(n -> up.put(n.name(), RowExpression.overNew(n.up())));
        Map<String, String> down = new LinkedHashMap<>();
        olds.forEach(o -> down.put(o.name(), RowExpression.overNew(o.down())));
        return new SyncTrigger.Mapping(olds.stream().map(Old::name).toList(), news.stream().map(DerivedColumn::name).toList(), up, down);
    }

    /**
     * Undo of contract: {@code old := CASE WHEN every new column equals up(old) THEN old ELSE down(new) END}
     * — only rows the new application changed since contract get down(new); the rest keep their value.
     */
    static List<BackfillSpec.Assignment> resync(List<Old> olds, List<DerivedColumn> news) {
        List<String> same = news.stream().map(n -> Ident.quote(n.name()) + " IS NOT DISTINCT FROM (" + n.up() + ")").toList();
        String consistent = "(" + String.join(") AND (", same) + ")";
        return olds.stream().map(o -> new BackfillSpec.Assignment(o.name(),
                "CASE WHEN " + consistent + " THEN " + Ident.quote(o.name()) + " ELSE (" + o.down() + ") END")).toList();
    }

    private void refuse(Table tb, Iterable<Column> olds, List<String> newNames, CatalogSnapshot catalog) {
        for (String n : newNames) {
            if (tb.column(n).isPresent()) {
                throw error("column " + n + " already exists on table " + tb.name());
            }
        }
        Optional<Constraint> pk = tb.primaryKey();
        for (Column col : olds) {
            String at = tb.name() + "." + col.name();
            if (col.automatic()) {
                throw error(at + " is an identity or generated column; not supported");
            }
            if (pk.isPresent() && pk.get().columns().contains(col.name())) {
                throw error(at + " is part of the primary key " + pk.get().name() + "; not supported");
            }
            for (var ref : catalog.foreignKeysReferencing(tb.name())) {
                if (ref.getValue().referencedColumns().contains(col.name())) {
                    throw error(at + " is referenced by foreign key " + ref.getValue().name() + " on " + ref.getKey().name() + "; not supported");
                }
            }
        }
    }

    private RuntimeException error(String message) {
        return RecipeContext.error(position, kind, message);
    }

    /**
     * As {@link #project(CatalogSnapshot, QualifiedName, List, List)}, and the views that read an old
     * column (carried at contract) read, instead, the new columns its {@code down} mentions; they are
     * no longer simple (an output column is an expression now), so a later intent does not try to
     * regenerate them.
     */
    static CatalogSnapshot projectWithViews(CatalogSnapshot before, QualifiedName t, List<Old> olds, List<DerivedColumn> news) {
        CatalogSnapshot after = project(before, t, olds.stream().map(Old::name).toList(), news);
        if (after == before) {
            return before;
        }
        Map<QualifiedName, dev.tandem.catalog.View> views = new java.util.TreeMap<>(after.views());
        for (dev.tandem.catalog.View v : before.views().values()) {
            if (olds.stream().noneMatch(o -> v.reads(t, o.name()))) {
                continue;
            }
            java.util.LinkedHashSet<dev.tandem.catalog.View.Read> reads = new java.util.LinkedHashSet<>();
            for (dev.tandem.catalog.View.Read r : v.reads()) {
                Optional<Old> old = olds.stream().filter(o -> r.equals(new dev.tandem.catalog.View.Read(t, o.name()))).findFirst();
                if (old.isEmpty()) {
                    reads.add(r);
                } else {
                    news.stream().filter(n -> SqlTokens.mentionsColumn(old.get().down(), n.name()))
                            .forEach(n -> reads.add(new dev.tandem.catalog.View.Read(t, n.name())));
                }
            }
            views.put(v.name(), new dev.tandem.catalog.View(v.name(), v.materialized(), v.definition(), v.columns(),
                    List.copyOf(reads), Optional.empty(), List.of(), v.tandem()));
        }
        return new CatalogSnapshot(after.serverVersionNum(), after.tables(), views, after.role());
    }

    /** The table after contract: the old columns gone (with what includes them), the new ones added. */
    static CatalogSnapshot project(CatalogSnapshot before, QualifiedName t, List<String> olds, List<DerivedColumn> news) {
        Optional<Table> table = before.table(t);
        if (table.isEmpty() || olds.stream().anyMatch(o -> table.get().column(o).isEmpty())) {
            return before;
        }
        Table without = DropColumnRecipe.withoutColumns(table.get(), olds);
        List<Column> columns = new ArrayList<>(without.columns());
        for (DerivedColumn n : news) {
            columns.add(new Column(n.name(), columns.size() + 1, n.type(), !n.nullable(), Optional.empty(), "", "",
                    Optional.empty(), Optional.empty()));
        }
        return before.with(without.withColumns(columns));
    }
}
