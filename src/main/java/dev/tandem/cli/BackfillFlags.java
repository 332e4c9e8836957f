package dev.tandem.cli;

import dev.tandem.TandemException;
import dev.tandem.backfill.BackfillOptions;
import picocli.CommandLine.Option;

/**
 * The backfill engine's flags, shared by every command that may run a backfill (apply, backfill,
 * rollback). A flag left out keeps the default of {@link BackfillOptions#defaults()}; the defaults
 * are documented in docs/backfill.md.
 */
final class BackfillFlags {
    @Option(names = "--batch-size", description = "Rows of the first backfill batch; later batches adapt (default 5000).")
    Integer batchSize;

    @Option(names = "--min-batch-size", description = "Smallest backfill batch in rows (default 100).")
    Integer minBatch;

    @Option(names = "--max-batch-size", description = "Largest backfill batch in rows (default 200000).")
    Integer maxBatch;

    @Option(names = "--target-batch-ms", description = "Batch time the batch size adapts toward, ms (default 200).")
    Long targetBatchMs;

    @Option(names = "--batch-pause-ms", description = "Rest after every copy batch, ms, to leave CPU and I/O to the application (default 0).")
    Long batchPauseMs;

    @Option(names = "--batch-grow", description = "Largest growth of the batch size per batch (default 2.0).")
    Double grow;

    @Option(names = "--batch-shrink", description = "Factor applied to the batch size after a lock or statement timeout (default 0.5).")
    Double shrink;

    @Option(names = "--batch-lock-timeout", description = "lock_timeout of each backfill batch, ms (default 2000).")
    Long batchLockTimeoutMs;

    @Option(names = "--batch-statement-timeout", description = "statement_timeout of each backfill batch, ms (default 60000).")
    Long batchStatementTimeoutMs;

    @Option(names = "--batch-retries", description = "Failures of one range before the backfill stops, state kept (default 10).")
    Integer retries;

    @Option(names = "--max-replica-lag", description = "Pause while a replica replays more than this many ms behind; 0 = off (default 10000).")
    Long maxReplicaLagMs;

    @Option(names = "--max-replica-lag-bytes", description = "Pause while a replica is this many WAL bytes behind; 0 = off (default 268435456).")
    Long maxReplicaLagBytes;

    @Option(names = "--max-slot-lag-bytes", description = "Pause while an active replication slot retains more WAL bytes; 0 = off (default 1073741824).")
    Long maxSlotLagBytes;

    @Option(names = "--max-active-sessions", description = "Pause while more sessions are active; 0 = max(2 x baseline, baseline + 8), -1 = off (default 0).")
    Integer maxActiveSessions;

    @Option(names = "--max-blocked-sessions", description = "Pause and shrink when this many sessions wait on the backfill's locks; 0 = off (default 1).")
    Integer maxBlockedSessions;

    @Option(names = "--throttle-query", description = "SQL returning one number; the backfill pauses while it is > 0.")
    String throttleQuery;

    @Option(names = "--restart", description = "Start an unfinished backfill over (needed when its definition changed since it started).")
    boolean restart;

    @Option(names = "--allow-user-triggers", description = "Let the table's own triggers fire for backfilled rows when the role may not set session_replication_role (refused otherwise; see docs/privileges.md).")
    boolean allowUserTriggers;

    /** The keys of a config file's {@code backfill} mapping: every flag above but --restart, without the dashes. */
    static final java.util.Set<String> CONFIG_KEYS = configFields().keySet();

    private static java.util.Map<String, java.lang.reflect.Field> configFields() {
        java.util.Map<String, java.lang.reflect.Field> out = new java.util.TreeMap<>();
        for (java.lang.reflect.Field f : BackfillFlags.class.getDeclaredFields()) {
            Option o = f.getAnnotation(Option.class);
            if (o != null && f.getType() != boolean.class) {
                out.put(o.names()[0].substring(2), f);
            }
        }
        return java.util.Collections.unmodifiableMap(out);
    }

    /** Fills every flag not given on the command line from the config file's backfill settings (flag wins). */
    void defaultsFrom(java.util.Map<String, String> config) {
        java.util.Map<String, java.lang.reflect.Field> fields = configFields();
        for (var e : config.entrySet()) {
            java.lang.reflect.Field f = fields.get(e.getKey());
            if (f == null) {
                continue;
            }
            try {
                if (f.get(this) != null) {
                    continue;
                }
                String v = e.getValue().strip();
                Object value = f.getType() == Integer.class ? Integer.valueOf(v) : f.getType() == Long.class ? Long.valueOf(v)
                        : f.getType() == Double.class ? Double.valueOf(v) : v;
                f.set(this, value);
            } catch (NumberFormatException ex) {
                throw TandemException.badInput("config backfill." + e.getKey() + ": \"" + e.getValue() + "\" is not a number");
            } catch (IllegalAccessException ex) {
                throw new IllegalStateException(ex);
            }
        }
    }

    BackfillOptions options() {
        BackfillOptions.Builder b = BackfillOptions.defaults().toBuilder();
        if (batchSize != null) {
            b.batchSize(batchSize);
        }
        if (minBatch != null) {
            b.minBatch(minBatch);
        }
        if (maxBatch != null) {
            b.maxBatch(maxBatch);
        }
        if (targetBatchMs != null) {
            b.targetBatchMs(targetBatchMs);
        }
        if (batchPauseMs != null) {
            b.batchPauseMs(batchPauseMs);
        }
        if (grow != null) {
            b.growFactor(grow);
        }
        if (shrink != null) {
            b.shrinkFactor(shrink);
        }
        if (batchLockTimeoutMs != null) {
            b.lockTimeoutMs(batchLockTimeoutMs);
        }
        if (batchStatementTimeoutMs != null) {
            b.statementTimeoutMs(batchStatementTimeoutMs);
        }
        if (retries != null) {
            b.maxRetries(retries);
        }
        if (maxReplicaLagMs != null) {
            b.maxReplicaLagMs(maxReplicaLagMs);
        }
        if (maxReplicaLagBytes != null) {
            b.maxReplicaLagBytes(maxReplicaLagBytes);
        }
        if (maxSlotLagBytes != null) {
            b.maxSlotLagBytes(maxSlotLagBytes);
        }
        if (maxActiveSessions != null) {
            b.maxActiveSessions(maxActiveSessions);
        }
        if (maxBlockedSessions != null) {
            b.maxBlockedSessions(maxBlockedSessions);
        }
        b.throttleQuery(throttleQuery).restart(restart).allowUserTriggers(allowUserTriggers);
        if (batchSize != null && batchSize > 0 && minBatch == null && batchSize < 100) {
            b.minBatch(batchSize); // a small first batch asked for explicitly is allowed
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw TandemException.badInput("backfill options: " + e.getMessage());
        }
    }
}
