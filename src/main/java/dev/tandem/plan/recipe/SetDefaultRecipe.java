package dev.tandem.plan.recipe;

import dev.tandem.catalog.CatalogSnapshot;
import dev.tandem.catalog.Column;
import dev.tandem.catalog.Table;
import dev.tandem.intent.SetDefault;
import dev.tandem.plan.LockLevel;
import dev.tandem.plan.Phase;
import dev.tandem.plan.PlanBuilder;
import dev.tandem.plan.PlanOptions;
import dev.tandem.plan.Recipe;
import dev.tandem.plan.RecipeContext;
import dev.tandem.plan.Step;
import dev.tandem.sql.Ddl;
import dev.tandem.sql.QualifiedName;
import java.util.Optional;

/**
 * {@code set_default}: one metadata-only step at expand ({@code SET DEFAULT}, brief ACCESS
 * EXCLUSIVE; existing rows keep their values, nothing is rewritten). Both application versions get
 * the default for inserts that omit the column. The undo restores the previous default from the
 * catalog (or drops it when there was none). Offline the previous default is not known: the undo is
 * a placeholder and the plan warns.
 * <p>Refused: unknown table or column, identity and generated columns.
 */
public final class SetDefaultRecipe implements Recipe<SetDefault> {
    private static final String KIND = "set_default";

    @Override
    public void plan(SetDefault intent, RecipeContext ctx, PlanBuilder out) {
        Lookups look = new Lookups(ctx, intent.position(), KIND);
        QualifiedName t = intent.table().resolve(ctx.options().defaultSchema());
        String col = intent.column();
        out.touch(t, col);
        Optional<Table> table = look.table(t);
        Optional<Column> column = look.column(table, col);
        column.filter(Column::automatic).ifPresent(c -> {
            throw look.error(t + "." + col + " is an identity or generated column; it cannot have a default");
        });
        String undo = ctx.offline() ? Ddl.setDefault(t, col, "<previous default of " + col + ", read at apply>")
                : column.flatMap(Column::defaultExpr).map(d -> Ddl.setDefault(t, col, d)).orElse(Ddl.dropDefault(t, col));
        out.add(Phase.EXPAND, Step.ddl("set the default of " + col + " (metadata only, no rewrite)",
                Ddl.setDefault(t, col, intent.defaultExpr()), undo, LockLevel.ACCESS_EXCLUSIVE, t.toString()));
        if (ctx.offline()) {
            out.warn("offline plan: the current default of " + t + "." + col + " is not known, so the rollback shown is a placeholder; pass --url");
        }
    }

    @Override
    public CatalogSnapshot project(SetDefault intent, CatalogSnapshot before, PlanOptions options) {
        return Projections.column(before, intent.table().resolve(options.defaultSchema()), intent.column(),
                c -> new Column(c.name(), c.position(), c.type(), c.notNull(), Optional.of(intent.defaultExpr()), c.identity(),
                        c.generated(), c.collation(), c.comment()));
    }

    @Override
    public java.util.List<dev.tandem.plan.ExpressionCheck> expressions(dev.tandem.intent.SetDefault intent, dev.tandem.catalog.CatalogSnapshot catalog,
                                                          dev.tandem.plan.PlanOptions options) {
        dev.tandem.sql.QualifiedName t = intent.table().resolve(options.defaultSchema());
        java.util.List<dev.tandem.plan.ExpressionCheck> out = new java.util.ArrayList<>();
        out.add(dev.tandem.plan.ExpressionCheck.overRow(intent.position(), intent.kind(), "default", t, intent.defaultExpr(), dev.tandem.plan.ExpressionCheck.typeOf(catalog, t, intent.column())));
        return out;
    }
}
