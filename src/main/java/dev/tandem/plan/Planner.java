package dev.tandem.plan;

import dev.tandem.catalog.CatalogSnapshot;
import dev.tandem.intent.Intent;
import dev.tandem.intent.Migration;
import dev.tandem.intent.ChangeColumnType;
import dev.tandem.intent.RenameColumn;
import dev.tandem.plan.recipe.ChangeColumnTypeRecipe;
import dev.tandem.plan.recipe.RenameColumnRecipe;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns migrations into plans. Pure: intents and a catalog snapshot in, plans out; no connection.
 * With a snapshot, each migration is planned against the catalog as the migrations before it will
 * leave it ({@link Recipe#project}); without one (offline) types and keys are placeholders.
 */
public final class Planner {
    private static final Map<Class<? extends Intent>, Recipe<?>> RECIPES = Map.of(
            RenameColumn.class, new RenameColumnRecipe(),
            ChangeColumnType.class, new ChangeColumnTypeRecipe());

    private final PlanOptions options;

    public Planner(PlanOptions options) {
        this.options = options;
    }

    /** Plans one migration against the given catalog (or offline when empty). */
    public MigrationPlan plan(Migration migration, Optional<CatalogSnapshot> catalog) {
        RecipeContext context = new RecipeContext(migration.id(), options, catalog);
        PlanBuilder builder = new PlanBuilder();
        for (Intent intent : migration.changes()) {
            recipeFor(intent).plan(intent, context, builder);
        }
        return builder.build(migration.id(), migration.description(), migration.checksum(), catalog.isEmpty());
    }

    /** Plans migrations in order, each on the catalog the previous ones project. */
    public List<MigrationPlan> planAll(List<Migration> migrations, Optional<CatalogSnapshot> catalog) {
        List<MigrationPlan> plans = new ArrayList<>();
        Optional<CatalogSnapshot> current = catalog;
        for (Migration m : migrations) {
            plans.add(plan(m, current));
            current = current.map(c -> project(m, c));
        }
        return plans;
    }

    /** The catalog after the migration's contract. */
    public CatalogSnapshot project(Migration migration, CatalogSnapshot before) {
        CatalogSnapshot c = before;
        for (Intent intent : migration.changes()) {
            c = recipeFor(intent).project(intent, c, options);
        }
        return c;
    }

    @SuppressWarnings("unchecked")
    private static <I extends Intent> Recipe<I> recipeFor(I intent) {
        Recipe<?> r = RECIPES.get(intent.getClass());
        if (r == null) {
            throw new IllegalStateException("no recipe for intent " + intent.kind());
        }
        return (Recipe<I>) r;
    }
}
