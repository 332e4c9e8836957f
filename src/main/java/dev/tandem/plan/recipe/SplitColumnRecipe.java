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
        return ColumnReshape.projectWithViews(before, intent.table().resolve(options.defaultSchema()),
                List.of(new ColumnReshape.Old(intent.column(), intent.down())), intent.into());
    }

    @Override
    public java.util.List<dev.tandem.plan.ExpressionCheck> expressions(dev.tandem.intent.SplitColumn intent, dev.tandem.catalog.CatalogSnapshot catalog,
                                                          dev.tandem.plan.PlanOptions options) {
        dev.tandem.sql.QualifiedName t = intent.table().resolve(options.defaultSchema());
        java.util.List<dev.tandem.plan.ExpressionCheck> out = new java.util.ArrayList<>();
        java.util.Map<String, String> news = new java.util.LinkedHashMap<>();
        for (var d : intent.into()) {
            news.put(d.name(), d.type());
            out.add(dev.tandem.plan.ExpressionCheck.overRow(intent.position(), intent.kind(), "into." + d.name() + ".up", t, d.up(), java.util.Optional.of(d.type())));
        }
        out.add(new dev.tandem.plan.ExpressionCheck(intent.position(), intent.kind(), "down", t, news, intent.down(), dev.tandem.plan.ExpressionCheck.typeOf(catalog, t, intent.column())));
        return out;
    }
}
