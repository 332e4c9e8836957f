package dev.tandem.plan;

import dev.tandem.catalog.CatalogSnapshot;
import dev.tandem.intent.Intent;
import dev.tandem.intent.Migration;
import dev.tandem.intent.ChangeColumnType;
import dev.tandem.intent.RenameColumn;
import dev.tandem.intent.CreateTable;
import dev.tandem.intent.DropTable;
import dev.tandem.intent.RawSql;
import dev.tandem.intent.RenameTable;
import dev.tandem.plan.recipe.CreateTableRecipe;
import dev.tandem.plan.recipe.DropTableRecipe;
import dev.tandem.plan.recipe.RawSqlRecipe;
import dev.tandem.plan.recipe.ChangeColumnTypeRecipe;
import dev.tandem.plan.recipe.RenameColumnRecipe;
import dev.tandem.plan.recipe.RenameTableRecipe;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns migrations into plans. Pure: intents and a catalog snapshot in, plans out; no connection.
 * With a snapshot, each migration is planned against the catalog as the migrations before it will
 * leave it ({@link Recipe#project}); without one (offline) types and keys are placeholders.
 */
public final class Planner {
    private static final Map<Class<? extends Intent>, Recipe<?>> RECIPES = Map.ofEntries(
            Map.entry(RenameColumn.class, new RenameColumnRecipe()),
            Map.entry(CreateTable.class, new CreateTableRecipe()),
            Map.entry(DropTable.class, new DropTableRecipe()),
            Map.entry(RenameTable.class, new RenameTableRecipe()),
            Map.entry(RawSql.class, new RawSqlRecipe()),
            Map.entry(dev.tandem.intent.SetNotNull.class, new dev.tandem.plan.recipe.SetNotNullRecipe()),
            Map.entry(dev.tandem.intent.DropNotNull.class, new dev.tandem.plan.recipe.DropNotNullRecipe()),
            Map.entry(dev.tandem.intent.SetDefault.class, new dev.tandem.plan.recipe.SetDefaultRecipe()),
            Map.entry(dev.tandem.intent.DropDefault.class, new dev.tandem.plan.recipe.DropDefaultRecipe()),
            Map.entry(dev.tandem.intent.AddCheck.class, new dev.tandem.plan.recipe.AddCheckRecipe()),
            Map.entry(dev.tandem.intent.AddForeignKey.class, new dev.tandem.plan.recipe.AddForeignKeyRecipe()),
            Map.entry(dev.tandem.intent.AddUnique.class, new dev.tandem.plan.recipe.AddUniqueRecipe()),
            Map.entry(dev.tandem.intent.DropConstraint.class, new dev.tandem.plan.recipe.DropConstraintRecipe()),
            Map.entry(dev.tandem.intent.CreateIndex.class, new dev.tandem.plan.recipe.CreateIndexRecipe()),
            Map.entry(dev.tandem.intent.DropIndex.class, new dev.tandem.plan.recipe.DropIndexRecipe()),
            Map.entry(dev.tandem.intent.AddColumn.class, new dev.tandem.plan.recipe.AddColumnRecipe()),
            Map.entry(dev.tandem.intent.DropColumn.class, new dev.tandem.plan.recipe.DropColumnRecipe()),
            Map.entry(dev.tandem.intent.SplitColumn.class, new dev.tandem.plan.recipe.SplitColumnRecipe()),
            Map.entry(dev.tandem.intent.MergeColumns.class, new dev.tandem.plan.recipe.MergeColumnsRecipe()),
            Map.entry(ChangeColumnType.class, new ChangeColumnTypeRecipe()),
            Map.entry(dev.tandem.intent.SetComment.class, new dev.tandem.plan.recipe.SetCommentRecipe()),
            Map.entry(dev.tandem.intent.RenameConstraint.class, new dev.tandem.plan.recipe.RenameConstraintRecipe()),
            Map.entry(dev.tandem.intent.SetReplicaIdentity.class, new dev.tandem.plan.recipe.SetReplicaIdentityRecipe()),
            Map.entry(dev.tandem.intent.CreateEnum.class, new dev.tandem.plan.recipe.EnumRecipes.Create()),
            Map.entry(dev.tandem.intent.AddEnumValue.class, new dev.tandem.plan.recipe.EnumRecipes.AddValue()),
            Map.entry(dev.tandem.intent.RenameEnumValue.class, new dev.tandem.plan.recipe.EnumRecipes.RenameValue()),
            Map.entry(dev.tandem.intent.AddExclusion.class, new dev.tandem.plan.recipe.AddExclusionRecipe()));

    private static final dev.tandem.plan.recipe.ColumnChangeSetRecipe COLUMN_CHANGE_SETS = new dev.tandem.plan.recipe.ColumnChangeSetRecipe();

    private final PlanOptions options;

    public Planner(PlanOptions options) {
        this.options = options;
    }

    /** Plans one migration against the given catalog (or offline when empty). */
    public MigrationPlan plan(Migration migration, Optional<CatalogSnapshot> catalog) {
        return plan(migration, catalog, ViewGuard.handledBySql(migration, options.defaultSchema()));
    }

    /**
     * As {@link #plan(Migration, Optional)}, with the views that the migration's {@code sql} steps
     * drop or replace given by the caller (for planning one intent of a larger migration on its own).
     */
    public MigrationPlan plan(Migration migration, Optional<CatalogSnapshot> catalog, Set<dev.tandem.sql.QualifiedName> viewsHandledBySql) {
        RecipeContext context = new RecipeContext(migration.id(), options, catalog, viewsHandledBySql);
        PlanBuilder builder = new PlanBuilder();
        Map<String, Intent> owners = new java.util.LinkedHashMap<>(); // touched column (or table.*) -> the intent that changes it
        ColumnChangeSet.Groups sets = ColumnChangeSet.group(migration.changes(), options.defaultSchema());
        for (Intent intent : migration.changes()) {
            if (sets.absorbed(intent)) {
                continue; // planned with the change_column_type of its column
            }
            builder.mark();
            PartitionGuard.check(intent, context);
            Optional<ColumnChangeSet> set = sets.led(intent);
            if (set.isPresent()) {
                set.get().members().forEach(m -> PartitionGuard.check(m, context));
                COLUMN_CHANGE_SETS.plan(set.get(), context, builder);
                set.get().members().forEach(m -> PartitionGuard.checkSteps(m, context, builder.stepsSinceMark()));
                set.get().members().forEach(m -> ViewGuard.check(m, context));
                set.get().members().forEach(m -> RoundTripRule.warnings(m, options.defaultSchema(), catalog).forEach(builder::warn));
            } else {
                recipeFor(intent).plan(intent, context, builder);
                PartitionGuard.checkSteps(intent, context, builder.stepsSinceMark());
                RoundTripRule.warnings(intent, options.defaultSchema(), catalog).forEach(builder::warn);
            }
            ViewGuard.check(intent, context);
            Set<String> mine = builder.touchedSinceMark();
            refuseSharedColumns(intent, mine, owners);
            mine.forEach(c -> owners.putIfAbsent(c, intent));
        }
        MigrationPlan plan = builder.build(migration.id(), migration.description(), migration.checksum(), catalog.isEmpty());
        return catalog.map(c -> withTriggerWarnings(plan, c)).orElse(plan);
    }

    /** Adds, for each backfill that would meet user triggers, what happens to them as the catalog's role ({@link UserTriggerFiring}). */
    private static MigrationPlan withTriggerWarnings(MigrationPlan plan, CatalogSnapshot catalog) {
        List<UserTriggerFiring.Firing> firings = UserTriggerFiring.find(plan, catalog);
        if (firings.isEmpty()) {
            return plan;
        }
        List<String> warnings = new ArrayList<>(plan.warnings());
        firings.forEach(f -> warnings.add(UserTriggerFiring.warning(f, catalog.role())));
        return new MigrationPlan(plan.id(), plan.description(), plan.checksum(), plan.offline(), plan.phases(), plan.purge(),
                plan.touches(), warnings);
    }

    /**
     * Two intents of one migration may not change the same column (or one the table of another's
     * {@code table.*}) when {@link SameColumnRule} says they clash. Exit 2 at the second intent,
     * naming the first.
     */
    private static void refuseSharedColumns(Intent intent, Set<String> mine, Map<String, Intent> owners) {
        for (String col : mine) {
            Intent other = owners.get(col);
            if (other == null) {
                String table = col.substring(0, col.lastIndexOf('.'));
                other = col.endsWith(".*")
                        ? owners.entrySet().stream().filter(e -> e.getKey().startsWith(table + ".")).map(Map.Entry::getValue)
                                .findFirst().orElse(null)
                        : owners.get(table + ".*");
            }
            if (other != null && other != intent && SameColumnRule.clash(intent.kind(), other.kind())) {
                throw RecipeContext.error(intent.position(), intent.kind(),
                        SameColumnRule.message(col, intent.kind(), other.kind(), other.position().line()));
            }
        }
    }

    /** Plans migrations in order, each on the catalog the previous ones project. */
    public List<MigrationPlan> planAll(List<Migration> migrations, Optional<CatalogSnapshot> catalog) {
        List<MigrationPlan> plans = new ArrayList<>();
        Optional<CatalogSnapshot> current = catalog;
        for (Migration m : migrations) {
            MigrationPlan p = plan(m, current);
            plans.add(current.isPresent() ? RawSqlRecipe.warnAfter(p, migrations.subList(0, plans.size())) : p);
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

    /** Every author-written expression of the migration, to compile against the live catalog before its DDL. */
    public List<ExpressionCheck> expressions(Migration migration, CatalogSnapshot catalog) {
        List<ExpressionCheck> out = new ArrayList<>();
        for (Intent intent : migration.changes()) {
            out.addAll(recipeFor(intent).expressions(intent, catalog, options));
        }
        return out;
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
