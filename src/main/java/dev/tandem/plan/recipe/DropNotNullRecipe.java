package dev.tandem.plan.recipe;

import dev.tandem.catalog.CatalogSnapshot;
import dev.tandem.catalog.Column;
import dev.tandem.catalog.Table;
import dev.tandem.intent.DropNotNull;
import dev.tandem.plan.LockLevel;
import dev.tandem.plan.Phase;
import dev.tandem.plan.PlanBuilder;
import dev.tandem.plan.PlanOptions;
import dev.tandem.plan.Recipe;
import dev.tandem.plan.RecipeContext;
import dev.tandem.plan.Step;
import dev.tandem.plan.mechanics.NotNullViaCheck;
import dev.tandem.plan.mechanics.ObjectNames;
import dev.tandem.sql.Names;
import dev.tandem.sql.QualifiedName;
import java.util.Optional;

/**
 * {@code drop_not_null}: one metadata-only step at expand ({@code DROP NOT NULL}, brief ACCESS
 * EXCLUSIVE, no scan), so the new application may write NULLs as soon as it is deployed; the old one
 * never notices. The undo re-proves NOT NULL without a scan under ACCESS EXCLUSIVE
 * ({@link NotNullViaCheck}): it first counts NULLs and fails with the count if any were written
 * since (nothing is changed then; delete or fill them and roll back again).
 * <p>Refused: unknown table or column, a column that is not NOT NULL, a primary-key column.
 */
public final class DropNotNullRecipe implements Recipe<DropNotNull> {
    private static final String KIND = "drop_not_null";

    @Override
    public void plan(DropNotNull intent, RecipeContext ctx, PlanBuilder out) {
        Lookups look = new Lookups(ctx, intent.position(), KIND);
        QualifiedName t = intent.table().resolve(ctx.options().defaultSchema());
        String col = intent.column();
        out.touch(t, col);
        Optional<Table> table = look.table(t);
        Optional<Column> column = look.column(table, col);
        if (column.isPresent() && !column.get().notNull()) {
            throw look.error(t + "." + col + " is not NOT NULL; nothing to drop");
        }
        table.flatMap(Table::primaryKey).filter(pk -> pk.columns().contains(col)).ifPresent(pk -> {
            throw look.error(t + "." + col + " is part of the primary key " + pk.name() + "; it cannot be nullable");
        });
        String check = new ObjectNames(ctx.catalog(), t).claim(Names.bounded(t.name(), col, "not_null"));
        NotNullViaCheck notNull = new NotNullViaCheck(t, col, check).named(NotNullViaCheck.constraintOf(table, col));
        out.add(Phase.EXPAND, new Step("drop NOT NULL on " + col + " (metadata only)", notNull.dropNotNullSql(),
                notNull.restoreStatements("rollback of " + KIND), LockLevel.ACCESS_EXCLUSIVE, t.toString(),
                false, false, true, Optional.empty()));
        out.note(Phase.EXPAND, t + "." + col + " accepts NULL; the new application may write NULLs"
                + " (a rollback then fails with their count until they are filled).");
        if (ctx.offline()) {
            out.warn("offline plan: whether " + t + "." + col + " exists and is NOT NULL is not known; pass --url");
        }
    }

    @Override
    public CatalogSnapshot project(DropNotNull intent, CatalogSnapshot before, PlanOptions options) {
        return Projections.column(before, intent.table().resolve(options.defaultSchema()), intent.column(),
                c -> new Column(c.name(), c.position(), c.type(), false, c.defaultExpr(), c.identity(), c.generated(), c.collation(), c.comment()));
    }
}
