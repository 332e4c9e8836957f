package dev.tandem.plan.recipe;

import dev.tandem.catalog.Column;
import dev.tandem.catalog.Table;
import dev.tandem.intent.AddCheck;
import dev.tandem.intent.AddUnique;
import dev.tandem.intent.Intent;
import dev.tandem.intent.SetComment;
import dev.tandem.intent.SetDefault;
import dev.tandem.intent.SetNotNull;
import dev.tandem.plan.ColumnChangeSet;
import dev.tandem.plan.PlanBuilder;
import dev.tandem.plan.RecipeContext;
import dev.tandem.plan.mechanics.RowExpression;
import dev.tandem.sql.Ident;
import java.util.Set;

/**
 * Plans a {@link ColumnChangeSet}: a {@code change_column_type} with the default, NOT NULL,
 * comment, checks and unique constraints the same migration gives its column, as one set of phases.
 * <p>When the type needs a new column (the usual case) the members shape that column, through the
 * type change's swap ({@link ChangeColumnTypeRecipe}): the comment is set on it at expand; the
 * backfill copies {@code up} (with {@code set_not_null}'s {@code up} filling the old column's NULLs
 * first), then counts what would violate NOT NULL, each check and each unique key over the new
 * column (failing with the count before any DDL), adds the checks NOT VALID and builds the unique
 * indexes CONCURRENTLY; switch-reads validates, sets NOT NULL without a scan and, in the swap's one
 * short transaction, gives the checks their names, attaches the unique constraints to their indexes
 * and sets the new default. Rollback of every phase is exact: the old column was never written by
 * the members, and the swap's rollback puts the old default back.
 * <p>When the type changes in place (metadata only) each member is planned by its own recipe, after
 * the in-place change.
 * <p>Refused (exit 2): a set_not_null on a column that is already NOT NULL, a set_default on an
 * identity or sequence-fed column, a check or unique constraint whose name is taken.
 */
public final class ColumnChangeSetRecipe {
    private final ChangeColumnTypeRecipe type = new ChangeColumnTypeRecipe();

    public void plan(ColumnChangeSet set, RecipeContext ctx, PlanBuilder out) {
        if (type.planSet(set, ctx, out)) {
            return;
        }
        for (Intent m : set.members()) {
            if (m instanceof SetDefault d) {
                new SetDefaultRecipe().plan(d, ctx, out);
            } else if (m instanceof SetNotNull n) {
                new SetNotNullRecipe().plan(n, ctx, out);
            } else if (m instanceof dev.tandem.intent.DropDefault d) {
                new DropDefaultRecipe().plan(d, ctx, out);
            } else if (m instanceof SetComment k) {
                new SetCommentRecipe().plan(k, ctx, out);
            } else if (m instanceof AddCheck k) {
                new AddCheckRecipe().plan(k, ctx, out);
            } else if (m instanceof AddUnique u) {
                new AddUniqueRecipe().plan(u, ctx, out);
            }
        }
    }

    /**
     * The expression for the new column: the type change's {@code up} (a cast when absent) over the
     * old column, whose NULLs first get {@code set_not_null}'s {@code up} when the set has one.
     */
    static String up(ColumnChangeSet set, String column, String newType) {
        String up = set.type().up().orElse(ChangeColumnTypeRecipe.defaultCast(column, newType));
        if (set.setNotNull().flatMap(SetNotNull::up).isEmpty()) {
            return up;
        }
        String filled = "coalesce(" + Ident.quote(column) + ", (" + set.setNotNull().get().up().get() + "))";
        return RowExpression.substitute(up, column, filled, Set.of(column)).orElseThrow();
    }

    /** Refusals that need the catalog, for the new-column path (see the class comment). */
    static void refuseMembers(ColumnChangeSet set, RecipeContext ctx, Table table, Column col) {
        String at = table.name() + "." + col.name();
        set.setNotNull().ifPresent(n -> {
            if (col.notNull()) {
                throw RecipeContext.error(n.position(), n.kind(), at + " is already NOT NULL");
            }
        });
        set.dropDefault().ifPresent(d -> {
            if (set.setDefault().isPresent()) {
                throw RecipeContext.error(d.position(), d.kind(), at + ": set_default and drop_default of one column in one migration");
            }
            if (!col.identity().isEmpty() || col.defaultExpr().map(x -> x.contains("nextval(")).orElse(false)) {
                throw RecipeContext.error(d.position(), d.kind(), at + " is an identity column or fed by a sequence;"
                        + " its default moves with the type change and cannot be dropped in the same migration");
            }
        });
        set.setDefault().ifPresent(d -> {
            if (!col.identity().isEmpty() || col.defaultExpr().map(x -> x.contains("nextval(")).orElse(false)) {
                throw RecipeContext.error(d.position(), d.kind(), at + " is an identity column or fed by a sequence;"
                        + " its default moves with the type change and cannot be replaced in the same migration");
            }
        });
        for (AddCheck k : set.checks()) {
            new Lookups(ctx, k.position(), k.kind()).nameFree(java.util.Optional.of(table), k.name(), false);
        }
        for (AddUnique u : set.uniques()) {
            Lookups look = new Lookups(ctx, u.position(), u.kind());
            look.columns(java.util.Optional.of(table), u.columns());
            look.nameFree(java.util.Optional.of(table), u.name(), true);
        }
    }
}
