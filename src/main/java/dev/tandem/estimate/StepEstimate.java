package dev.tandem.estimate;

import dev.tandem.plan.LockLevel;

/**
 * The estimate for one step: how long it holds its lock and what it costs. Nullable figures are
 * unknown (offline, or a table without statistics); a step that depends on no row count has
 * known zero figures.
 *
 * @param lock the step's declared lock
 * @param table the table it locks (null when none)
 * @param hold how the lock is held
 * @param lockSeconds how long the lock is held once granted (per batch for a backfill), null when unknown
 * @param rowsToCopy rows a backfill copies (0 for other steps), null when unknown
 * @param seconds the step's estimated run time, null when unknown
 * @param extraDiskBytes disk the step adds (new row versions, a rewrite's copy, a new index), null when unknown
 */
public record StepEstimate(LockLevel lock, String table, Hold hold, Double lockSeconds, Long rowsToCopy,
                           Double seconds, Long extraDiskBytes) {
    /** How a step holds its lock. */
    public enum Hold {
        /** No table lock. */
        NONE("none"),
        /** A catalog change: milliseconds once granted (waiting is bounded by lock_timeout and retries). */
        BRIEF("brief"),
        /** A batched backfill: row locks per batch, ROW EXCLUSIVE on the table per batch. */
        PER_BATCH("per batch"),
        /** Held while the table is scanned. */
        SCAN("scan"),
        /** Held while the table is rewritten. */
        REWRITE("rewrite");

        private final String wireName;

        Hold(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }
    }
}
