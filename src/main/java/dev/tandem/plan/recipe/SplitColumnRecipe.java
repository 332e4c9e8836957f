package dev.tandem.plan.recipe;

import dev.tandem.catalog.CatalogSnapshot;
import dev.tandem.intent.SplitColumn;
import dev.tandem.plan.PlanBuilder;
import dev.tandem.plan.PlanOptions;
import dev.tandem.plan.Recipe;
import dev.tandem.plan.RecipeContext;
import dev.tandem.sql.QualifiedName;
import java.util.List;

/**
 * {@code split_column}: one old column becomes several new ones ({@code users.full_name →
 * first_name, last_name}); each new column's {@code up} reads the old row, {@code down} rebuilds the
 * old column from the new row. The phases are {@link ColumnReshape}'s.
 */
public final class SplitColumnRecipe implements Recipe<SplitColumn> {
    @Override
    public void plan(SplitColumn intent, RecipeContext ctx, PlanBuilder out) {
        QualifiedName t = intent.table().resolve(ctx.options().defaultSchema());
        new ColumnReshape(intent.kind(), intent.position(), intent.column())
                .plan(t, List.of(new ColumnReshape.Old(intent.column(), intent.down())), intent.into(), ctx, out);
    }

    @Override
    public CatalogSnapshot project(SplitColumn intent, CatalogSnapshot before, PlanOptions options) {
        return ColumnReshape.project(before, intent.table().resolve(options.defaultSchema()), List.of(intent.column()), intent.into());
    }
}
