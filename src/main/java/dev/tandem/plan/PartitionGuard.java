package dev.tandem.plan;

import dev.tandem.catalog.Table;
import dev.tandem.intent.Intent;
import dev.tandem.intent.TableRef;
import dev.tandem.sql.QualifiedName;
import java.util.Optional;
import java.util.Set;

/**
 * Refuses up front (exit 2, naming the table) the intents that Tandem does not support on a
 * partitioned table (relkind {@code p}) yet: everything that backfills, builds an index
 * {@code CONCURRENTLY} (PostgreSQL cannot build one on a partitioned table), adds a NOT VALID
 * constraint to validate later, or retires a column — rather than failing mid-train.
 * <p>Allowed on a partitioned table: {@code set_default}, {@code drop_default},
 * {@code drop_not_null}, {@code drop_constraint}, {@code rename_table}, {@code drop_table} and
 * {@code sql} steps (and {@code create_table}, which makes ordinary tables). Offline (no catalog)
 * nothing is checked. Pure.
 */
public final class PartitionGuard {
    private PartitionGuard() {}

    /** Intent kinds whose mechanics do not yet handle partitions. */
    static final Set<String> UNSUPPORTED = Set.of("change_column_type", "split_column", "merge_columns",
            "drop_column", "set_not_null", "create_index", "add_unique", "add_check", "add_foreign_key",
            "drop_index");

    /** @throws dev.tandem.TandemException BAD_INPUT at the intent's position for an unsupported intent on a partitioned table */
    public static void check(Intent intent, RecipeContext ctx) {
        if (ctx.catalog().isEmpty() || !UNSUPPORTED.contains(intent.kind())) {
            return;
        }
        // the first table is the one changed (a foreign key may reference a partitioned table: that works)
        for (TableRef ref : intent.tables().subList(0, Math.min(1, intent.tables().size()))) {
            QualifiedName name = ref.resolve(ctx.options().defaultSchema());
            Optional<Table> t = ctx.catalog().get().table(name);
            if (t.isPresent() && "p".equals(t.get().kind())) {
                throw RecipeContext.error(intent.position(), intent.kind(), intent.kind() + " is not supported on partitioned table "
                        + name + " yet (its backfill, CONCURRENTLY index builds and NOT VALID constraints are per partition);"
                        + " nothing was changed");
            }
        }
    }
}
