package dev.tandem.plan.recipe;

import dev.tandem.catalog.CatalogSnapshot;
import dev.tandem.catalog.Column;
import dev.tandem.catalog.Table;
import dev.tandem.intent.DropDefault;
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
 * {@code drop_default}: one metadata-only step ({@code DROP DEFAULT}, brief ACCESS EXCLUSIVE) at
 * <b>contract</b>: the old application may insert rows that omit the column and rely on the default
 * (on a NOT NULL column its inserts would fail without it), so the default stays until no old
 * instance is left. The undo restores the default from the catalog definition. Offline the undo is
 * a placeholder and the plan warns.
 * <p>Refused: unknown table or column, a column without a default, identity and generated columns.
 */
public final class DropDefaultRecipe implements Recipe<DropDefault> {
    private static final String KIND = "drop_default";

    @Override
    public void plan(DropDefault intent, RecipeContext ctx, PlanBuilder out) {
        Lookups look = new Lookups(ctx, intent.position(), KIND);
        QualifiedName t = intent.table().resolve(ctx.options().defaultSchema());
        String col = intent.column();
        out.touch(t, col);
        Optional<Table> table = look.table(t);
        Optional<Column> column = look.column(table, col);
        column.filter(Column::automatic).ifPresent(c -> {
            throw look.error(t + "." + col + " is an identity or generated column; use a column change instead");
        });
        if (column.isPresent() && column.get().defaultExpr().isEmpty()) {
            throw look.error(t + "." + col + " has no default; nothing to drop");
        }
        String previous = column.flatMap(Column::defaultExpr).orElse("<default of " + col + ", read at apply>");
        out.add(Phase.CONTRACT, Step.ddl("drop the default of " + col + " (metadata only)", Ddl.dropDefault(t, col),
                Ddl.setDefault(t, col, previous), LockLevel.ACCESS_EXCLUSIVE, t.toString()));
        out.note(Phase.SWITCH_READS, "The default of " + t + "." + col + " goes at contract: the new application must"
                + " write the column on insert.");
        if (ctx.offline()) {
            out.warn("offline plan: the current default of " + t + "." + col + " is not known, so the rollback shown is a placeholder; pass --url");
        }
    }

    @Override
    public CatalogSnapshot project(DropDefault intent, CatalogSnapshot before, PlanOptions options) {
        return Projections.column(before, intent.table().resolve(options.defaultSchema()), intent.column(),
                c -> new Column(c.name(), c.position(), c.type(), c.notNull(), Optional.empty(), c.identity(),
                        c.generated(), c.collation(), c.comment()));
    }
}
