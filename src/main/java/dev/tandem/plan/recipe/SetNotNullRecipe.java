package dev.tandem.plan.recipe;

import dev.tandem.catalog.CatalogSnapshot;
import dev.tandem.catalog.Column;
import dev.tandem.catalog.Table;
import dev.tandem.intent.SetNotNull;
import dev.tandem.plan.Phase;
import dev.tandem.plan.PlanBuilder;
import dev.tandem.plan.PlanOptions;
import dev.tandem.plan.Recipe;
import dev.tandem.plan.RecipeContext;
import dev.tandem.plan.mechanics.NotNullViaCheck;
import dev.tandem.plan.mechanics.ObjectNames;
import dev.tandem.plan.mechanics.RowRepair;
import dev.tandem.sql.Ident;
import dev.tandem.sql.Names;
import dev.tandem.sql.QualifiedName;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code set_not_null}: a nullable column becomes NOT NULL with no scan under a lock that blocks
 * writes.
 * <ul>
 *   <li>expand — nothing (the old application keeps writing NULLs untouched);</li>
 *   <li>dual-write — with {@code up}: a repair trigger gives NULLs the old application writes the
 *       value {@code up} computes ({@link RowRepair});</li>
 *   <li>backfill — with {@code up}: the original NULL rows are saved, then filled in batches
 *       ({@code col := coalesce(col, up)} in effect);</li>
 *   <li>switch-reads — count the NULLs (fails with the count before any DDL when there are some:
 *       the usual outcome without {@code up}), then {@link NotNullViaCheck}: CHECK NOT VALID →
 *       VALIDATE → SET NOT NULL → drop the helper check;</li>
 *   <li>contract — drop the repair trigger. Purge drops the saved originals.</li>
 * </ul>
 * Refused: unknown table or column, a column already NOT NULL. On a table without a primary key
 * the repair is cut by unique index or ctid pages (see {@link dev.tandem.plan.mechanics.RowRepair}).
 */
public final class SetNotNullRecipe implements Recipe<SetNotNull> {
    private static final String KIND = "set_not_null";

    @Override
    public void plan(SetNotNull intent, RecipeContext ctx, PlanBuilder out) {
        Lookups look = new Lookups(ctx, intent.position(), KIND);
        QualifiedName t = intent.table().resolve(ctx.options().defaultSchema());
        String col = intent.column();
        out.touch(t, col);
        Optional<Table> table = look.table(t);
        Optional<Column> column = look.column(table, col);
        if (column.map(Column::notNull).orElse(false)) {
            throw look.error(t + "." + col + " is already NOT NULL");
        }
        String check = new ObjectNames(ctx.catalog(), t).claim(Names.bounded(t.name(), col, "not_null"));
        NotNullViaCheck notNull = new NotNullViaCheck(t, col, check);

        intent.up().ifPresent(up -> {
            List<String> key = Lookups.batchKey(table);
            RowRepair repair = look.repair(t, key, col, q -> Ident.quote(col) + " IS NULL", Map.of(col, up), List.of(col),
                    Optional.of(new RowRepair.Refusal("23502", col, "null value in column " + col + " of relation " + t.name()
                            + " violates not-null constraint (a write of the new application, tandem.version = 'new':"
                            + " up repairs only the old application's writes)")));
            repair.dualWrite().forEach(s -> out.add(Phase.DUAL_WRITE, s));
            repair.backfill().forEach(s -> out.add(Phase.BACKFILL, s));
            repair.contract().forEach(s -> out.add(Phase.CONTRACT, s));
            out.purge(repair.purge());
        });
        out.add(Phase.SWITCH_READS, notNull.precheck(KIND));
        notNull.enforce().forEach(s -> out.add(Phase.SWITCH_READS, s));

        if (intent.up().isPresent()) {
            out.note(Phase.DUAL_WRITE, "NULLs written to " + t + "." + col + " by the old application now get the value of `up`.");
        }
        out.note(Phase.SWITCH_READS, t + "." + col + " is NOT NULL; the application may rely on it.");
        if (ctx.offline()) {
            out.warn("offline plan: whether " + t + "." + col + " exists, is nullable and holds NULLs is not known; pass --url");
        }
        if (intent.up().isEmpty()) {
            out.warn(t + "." + col + ": without 'up', switch-reads fails (with the count, before any DDL) if the column holds NULLs then");
        }
    }

    @Override
    public CatalogSnapshot project(SetNotNull intent, CatalogSnapshot before, PlanOptions options) {
        return Projections.column(before, intent.table().resolve(options.defaultSchema()), intent.column(),
                c -> new Column(c.name(), c.position(), c.type(), true, c.defaultExpr(), c.identity(), c.generated(), c.collation(), c.comment()));
    }

    @Override
    public java.util.List<dev.tandem.plan.ExpressionCheck> expressions(dev.tandem.intent.SetNotNull intent, dev.tandem.catalog.CatalogSnapshot catalog,
                                                          dev.tandem.plan.PlanOptions options) {
        dev.tandem.sql.QualifiedName t = intent.table().resolve(options.defaultSchema());
        java.util.List<dev.tandem.plan.ExpressionCheck> out = new java.util.ArrayList<>();
        intent.up().ifPresent(up -> out.add(dev.tandem.plan.ExpressionCheck.overRow(intent.position(), intent.kind(), "up", t, up,
                dev.tandem.plan.ExpressionCheck.typeOf(catalog, t, intent.column()))));
        return out;
    }
}
