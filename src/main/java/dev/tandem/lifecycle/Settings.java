package dev.tandem.lifecycle;

import dev.tandem.backfill.BackfillOptions;
import dev.tandem.db.ConnectionConfig;
import dev.tandem.execute.LockPolicy;
import dev.tandem.plan.PlanOptions;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Everything a lifecycle command needs to know besides its own arguments.
 *
 * @param connection where the database is
 * @param plan default schema and state schema
 * @param locks lock_timeout and retry policy for DDL
 * @param backfill backfill batch settings
 * @param log where progress lines go (stderr in the CLI)
 */
public record Settings(ConnectionConfig connection, PlanOptions plan, LockPolicy locks, BackfillOptions backfill,
                       Consumer<String> log) {
    public Settings {
        Objects.requireNonNull(connection);
        Objects.requireNonNull(plan);
        Objects.requireNonNull(locks);
        Objects.requireNonNull(backfill);
        Objects.requireNonNull(log);
    }
}
