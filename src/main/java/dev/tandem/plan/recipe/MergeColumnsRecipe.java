package dev.tandem.plan.recipe;

import dev.tandem.catalog.CatalogSnapshot;
import dev.tandem.intent.MergeColumns;
import dev.tandem.plan.PlanBuilder;
import dev.tandem.plan.PlanOptions;
import dev.tandem.plan.Recipe;
import dev.tandem.plan.RecipeContext;
import dev.tandem.sql.QualifiedName;
import java.util.List;

/**
 * {@code merge_columns}: several old columns become one new column ({@code first_name, last_name →
 * full_name}); {@code into.up} reads the old row, {@code down} gives each old column from the new
 * row. The phases are {@link ColumnReshape}'s.
 */
public final class MergeColumnsRecipe implements Recipe<MergeColumns> {
    @Override
    public void plan(MergeColumns intent, RecipeContext ctx, PlanBuilder out) {
        QualifiedName t = intent.table().resolve(ctx.options().defaultSchema());
        List<ColumnReshape.Old> olds = intent.columns().stream().map(c -> new ColumnReshape.Old(c, intent.down().get(c))).toList();
        new ColumnReshape(intent.kind(), intent.position(), intent.into().name()).plan(t, olds, List.of(intent.into()), ctx, out);
    }

    @Override
    public CatalogSnapshot project(MergeColumns intent, CatalogSnapshot before, PlanOptions options) {
        return ColumnReshape.projectWithViews(before, intent.table().resolve(options.defaultSchema()),
                intent.columns().stream().map(c -> new ColumnReshape.Old(c, intent.down().get(c))).toList(), List.of(intent.into()));
    }

    @Override
    public java.util.List<dev.tandem.plan.ExpressionCheck> expressions(dev.tandem.intent.MergeColumns intent, dev.tandem.catalog.CatalogSnapshot catalog,
                                                          dev.tandem.plan.PlanOptions options) {
        dev.tandem.sql.QualifiedName t = intent.table().resolve(options.defaultSchema());
        java.util.List<dev.tandem.plan.ExpressionCheck> out = new java.util.ArrayList<>();
        var into = intent.into();
        out.add(dev.tandem.plan.ExpressionCheck.overRow(intent.position(), intent.kind(), "into.up", t, into.up(), java.util.Optional.of(into.type())));
        intent.down().forEach((col, expr) -> out.add(new dev.tandem.plan.ExpressionCheck(intent.position(), intent.kind(), "down." + col, t,
                java.util.Map.of(into.name(), into.type()), expr, dev.tandem.plan.ExpressionCheck.typeOf(catalog, t, col))));
        return out;
    }
}
