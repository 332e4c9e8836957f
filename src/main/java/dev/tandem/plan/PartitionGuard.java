package dev.tandem.plan;

import dev.tandem.catalog.Table;
import dev.tandem.intent.ChangeColumnType;
import dev.tandem.intent.DropColumn;
import dev.tandem.intent.Intent;
import dev.tandem.intent.MergeColumns;
import dev.tandem.intent.RenameColumn;
import dev.tandem.intent.SplitColumn;
import dev.tandem.intent.TableRef;
import dev.tandem.sql.QualifiedName;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Refuses up front (exit 2, naming the table) what Tandem does not support on a partitioned table
 * (relkind {@code p}), rather than failing mid-train:
 * <ul>
 *   <li>the intent kinds in {@link #UNSUPPORTED} (none left); {@code add_foreign_key} with
 *       {@code up} or on a sub-partitioned tree;</li>
 *   <li>{@code create_index} and {@code add_unique} on a table with sub-partitioned partitions, a
 *       unique one that lacks a partition key column (named), and {@code add_unique} with {@code up};</li>
 *   <li>{@code rename_column}, {@code change_column_type}, {@code drop_column},
 *       {@code split_column} and {@code merge_columns} of a column of the partition key (of any
 *       level): these replace the column by another one, and PostgreSQL cannot drop or retype a
 *       partition key column, nor move rows between partitions under a sync trigger.</li>
 * </ul>
 * <p>Supported on a partitioned table: the column intents ({@code add_column}, {@code rename_column},
 * {@code change_column_type}, {@code set_not_null}, {@code drop_column}, {@code split_column},
 * {@code merge_columns}) — their columns and sync triggers live on the parent, which PostgreSQL
 * propagates to every partition, and their backfill fills one leaf partition at a time —,
 * {@code add_check} (validated leaf by leaf, see {@code PartitionedValidation}), {@code create_index}
 * ({@code PartitionedIndexBuild}), {@code add_unique} ({@code PartitionedUnique}), {@code drop_index} (a plain DROP INDEX, see
 * {@code DropIndexRecipe}), {@code add_foreign_key} (validated per leaf, see {@code AddForeignKeyRecipe}), plus
 * {@code set_default}, {@code drop_default}, {@code drop_not_null}, {@code drop_constraint},
 * {@code rename_table}, {@code drop_table} and {@code sql} steps. Offline (no catalog) nothing is
 * checked. Pure.
 */
public final class PartitionGuard {
    private PartitionGuard() {}

    /** Intent kinds whose mechanics do not yet handle partitions. */
    static final Set<String> UNSUPPORTED = Set.of();

    /** @throws dev.tandem.TandemException BAD_INPUT at the intent's position for an unsupported intent on a partitioned table */
    public static void check(Intent intent, RecipeContext ctx) {
        if (ctx.catalog().isEmpty() || intent.tables().isEmpty()) {
            return;
        }
        // the first table is the one changed (a foreign key may reference a partitioned table: that works)
        TableRef ref = intent.tables().get(0);
        QualifiedName name = ref.resolve(ctx.options().defaultSchema());
        Optional<Table> t = ctx.catalog().get().table(name);
        if (t.isEmpty() || !t.get().partitioned()) {
            return;
        }
        if (UNSUPPORTED.contains(intent.kind())) {
            throw RecipeContext.error(intent.position(), intent.kind(), intent.kind() + " is not supported on partitioned table "
                    + name + " yet (PostgreSQL cannot build or drop an index CONCURRENTLY on it, nor add a NOT VALID foreign key);"
                    + " nothing was changed");
        }
        List<String> keys = t.get().partitioning().map(p -> p.allKeyColumns()).orElse(List.of());
        if (intent instanceof dev.tandem.intent.AddForeignKey fk && (!fk.up().isEmpty() || t.get().partitioning().map(p -> p.nested()).orElse(false))) {
            throw RecipeContext.error(intent.position(), intent.kind(), "add_foreign_key " + (fk.up().isEmpty() ? "" : "with up ")
                    + "on partitioned table " + name + " is not supported yet" + (fk.up().isEmpty() ? " (sub-partitioned partitions)" : "")
                    + "; nothing was changed");
        }
        if (intent instanceof dev.tandem.intent.AddUnique au) {
            String key = t.get().partitioning().map(p -> p.key()).orElse("");
            if (t.get().partitioning().map(p -> p.nested()).orElse(false)) {
                throw RecipeContext.error(intent.position(), intent.kind(), "add_unique on " + name + " is not supported yet: it has"
                        + " sub-partitioned partitions; nothing was changed");
            }
            if (!au.up().isEmpty()) {
                throw RecipeContext.error(intent.position(), intent.kind(), "add_unique with up on partitioned table " + name
                        + " is not supported yet (de-duplicate the rows first, then add the constraint without up); nothing was changed");
            }
            List<String> missing = keys.stream().filter(k -> !au.columns().contains(k)).toList();
            if (!missing.isEmpty() || t.get().partitioning().map(p -> p.expressionKey()).orElse(false)) {
                throw RecipeContext.error(intent.position(), intent.kind(), "unique constraint " + au.name() + " on partitioned table " + name
                        + " must include every column of its partition key (" + key + ")" + (missing.isEmpty() ? "" : "; missing: "
                        + String.join(", ", missing)) + "; nothing was changed");
            }
        }
        if (intent instanceof dev.tandem.intent.CreateIndex ci) {
            if (t.get().partitioning().map(p -> p.nested()).orElse(false)) {
                throw RecipeContext.error(intent.position(), intent.kind(), "create_index on " + name + " is not supported yet: it has"
                        + " sub-partitioned partitions (each needs an index ON ONLY of its own); nothing was changed");
            }
            String key = t.get().partitioning().map(p -> p.key()).orElse("");
            List<String> missing = keys.stream().filter(k -> !ci.columns().stream().map(String::strip).toList().contains(k)
                    && !ci.columns().stream().map(String::strip).toList().contains(dev.tandem.sql.Ident.quote(k))).toList();
            if (ci.unique() && (!missing.isEmpty() || t.get().partitioning().map(p -> p.expressionKey()).orElse(false))) {
                throw RecipeContext.error(intent.position(), intent.kind(), "unique index " + ci.name() + " on partitioned table " + name
                        + " must include every column of its partition key (" + key + ")" + (missing.isEmpty() ? "" : "; missing: "
                        + String.join(", ", missing)) + "; nothing was changed");
            }
        }
        for (String column : replacedColumns(intent)) {
            if (keys.contains(column)) {
                String key = t.get().partitioning().map(p -> p.key()).orElse("");
                throw RecipeContext.error(intent.position(), intent.kind(), intent.kind() + " of column " + column
                        + " is not supported: it is part of the partition key of " + name + " (" + key + "), which PostgreSQL"
                        + " cannot drop or retype; nothing was changed");
            }
        }
    }

    /**
     * After the recipe planned: refuses (exit 2) an intent on a partitioned table whose steps or
     * rollbacks would build or drop an index {@code CONCURRENTLY} on it, or add a NOT VALID foreign
     * key to it — PostgreSQL refuses both on a partitioned table (PostgreSQL 17: "cannot create
     * index on partitioned table concurrently", "cannot add NOT VALID foreign key on partitioned
     * table") — e.g. a type change of an indexed column. Names the statement's object.
     */
    public static void checkSteps(Intent intent, RecipeContext ctx, List<dev.tandem.plan.Step> steps) {
        if (ctx.catalog().isEmpty() || intent.tables().isEmpty()) {
            return;
        }
        QualifiedName name = intent.tables().get(0).resolve(ctx.options().defaultSchema());
        Optional<Table> t = ctx.catalog().get().table(name);
        if (t.isEmpty() || !t.get().partitioned()) {
            return;
        }
        String on = " ON " + name.sql();
        for (dev.tandem.plan.Step step : steps) {
            List<String> statements = new java.util.ArrayList<>(List.of(step.sql()));
            statements.addAll(step.rollbackStatements());
            for (String sql : statements) {
                String flat = sql.replaceAll("\\s+", " ");
                boolean concurrentIndex = flat.contains("INDEX CONCURRENTLY") && (flat.contains(on)
                        || flat.startsWith("DROP INDEX") && t.get().indexes().stream().anyMatch(i -> flat.endsWith(
                                dev.tandem.sql.Ident.quote(name.schema()) + "." + dev.tandem.sql.Ident.quote(i.name()))));
                boolean notValidFk = flat.contains("FOREIGN KEY") && flat.contains("NOT VALID") && flat.contains(name.sql());
                if (concurrentIndex || notValidFk) {
                    throw RecipeContext.error(intent.position(), intent.kind(), intent.kind() + " on partitioned table " + name
                            + " is not supported yet: step \"" + step.description() + "\" needs "
                            + (concurrentIndex ? "an index built or dropped CONCURRENTLY" : "a NOT VALID foreign key")
                            + " on it, which PostgreSQL refuses on a partitioned table; nothing was changed");
                }
            }
        }
    }

    /** The existing columns an intent replaces by another column. */
    private static List<String> replacedColumns(Intent intent) {
        if (intent instanceof RenameColumn r) {
            return List.of(r.column());
        }
        if (intent instanceof ChangeColumnType c) {
            return List.of(c.column());
        }
        if (intent instanceof DropColumn d) {
            return List.of(d.column());
        }
        if (intent instanceof SplitColumn s) {
            return List.of(s.column());
        }
        if (intent instanceof MergeColumns m) {
            return m.columns();
        }
        return List.of();
    }
}
