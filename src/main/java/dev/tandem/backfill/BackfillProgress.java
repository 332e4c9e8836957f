package dev.tandem.backfill;

import java.util.Optional;

/**
 * A snapshot of one backfill, as shown on the progress line and by {@code tandem status}.
 *
 * @param table the table being filled (SQL name)
 * @param pass "copy" or "verify"
 * @param rowsDone rows of this pass whose range is done
 * @param rowsEstimate rows the pass will cover (planner estimate, so it may be off; 0 when unknown)
 * @param rowsCopied rows changed by the copy pass so far (across resumes)
 * @param rowsRepaired rows the verify pass found different and repaired
 * @param batches batches committed so far (across resumes)
 * @param batchSize the current batch size in rows
 * @param rowsPerSecond rows done per second in this run (this pass)
 * @param throttle why the backfill is waiting right now, if it is
 * @param finished whether both passes are done
 */
public record BackfillProgress(String table, String pass, long rowsDone, long rowsEstimate, long rowsCopied,
                               long rowsRepaired, long batches, int batchSize, double rowsPerSecond,
                               Optional<String> throttle, boolean finished) {
    /** Seconds left at the current rate, when both the rate and the estimate are known. */
    public Optional<Long> etaSeconds() {
        if (rowsPerSecond <= 0 || rowsEstimate <= 0 || rowsDone >= rowsEstimate) {
            return Optional.empty();
        }
        return Optional.of((long) Math.ceil((rowsEstimate - rowsDone) / rowsPerSecond));
    }

    /** Done as a fraction 0..1 of the estimate (1 once finished; capped at 0.99 before). */
    public double fraction() {
        if (finished) {
            return 1.0;
        }
        if (rowsEstimate <= 0) {
            return 0.0;
        }
        return Math.min(0.99, (double) rowsDone / rowsEstimate);
    }
}
