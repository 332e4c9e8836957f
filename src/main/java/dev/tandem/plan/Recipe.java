package dev.tandem.plan;

import dev.tandem.catalog.CatalogSnapshot;
import dev.tandem.intent.Intent;

/**
 * How one intent kind becomes steps in the five phases. A recipe is pure: it reads the intent and
 * the catalog snapshot (absent when planning offline) and appends to a {@link PlanBuilder}; it
 * never touches a connection.
 * <p>{@link #project} tells what the catalog looks like once the intent has been contracted, so
 * the next migration in the changelog can be planned on top of it without a database.
 *
 * @param <I> the intent kind
 */
public interface Recipe<I extends Intent> {
    /** Contributes this intent's steps. Throws {@link dev.tandem.TandemException} (exit 2) for an intent the catalog cannot satisfy. */
    void plan(I intent, RecipeContext context, PlanBuilder out);

    /** The catalog after this intent's contract phase. Returns {@code before} unchanged when it cannot tell (offline). */
    CatalogSnapshot project(I intent, CatalogSnapshot before, PlanOptions options);

    /**
     * The author-written expressions of the intent to compile against the live catalog before any
     * DDL ({@link ExpressionCheck}); none by default. Only called with a catalog in which the
     * intent planned without error.
     */
    default java.util.List<ExpressionCheck> expressions(I intent, CatalogSnapshot catalog, PlanOptions options) {
        return java.util.List.of();
    }
}
