package dev.tandem.backfill;

import java.util.List;

/**
 * Where one backfill is, as stored in {@code backfill_checkpoints} (written in the same
 * transaction as each batch).
 *
 * @param pass "copy" or "verify"
 * @param lastKey the end of the last range done in this pass (null: none yet)
 * @param upperKey the fixed end of the job (null: empty table, or not fixed yet)
 * @param keyKind "keyset" or "ctid"
 * @param specHash hash of the backfill definition the checkpoint belongs to
 * @param rowsUpdated rows changed in this pass (copy: copied; verify: repaired)
 * @param rowsCopied rows changed by the copy pass
 * @param rowsRepaired rows changed by the verify pass
 * @param rowsDone rows of this pass whose range is done
 * @param rowsEstimate rows the table holds (estimate at start)
 * @param batches batches committed, across passes and resumes
 * @param batchSize the batch size at the last batch
 * @param rowsPerSecond the rate at the last report
 * @param throttle why it was waiting at the last report, or null
 * @param finished both passes done
 */
public record BackfillCheckpoint(String pass, List<String> lastKey, List<String> upperKey, String keyKind, String specHash,
                                 long rowsUpdated, long rowsCopied, long rowsRepaired, long rowsDone, long rowsEstimate,
                                 long batches, int batchSize, double rowsPerSecond, String throttle, boolean finished) {
    public static final String COPY = "copy";
    public static final String VERIFY = "verify";

    /** A fresh copy pass. */
    static BackfillCheckpoint start(List<String> upperKey, String keyKind, String specHash, long estimate, int batchSize) {
        return new BackfillCheckpoint(COPY, null, upperKey, keyKind, specHash, 0, 0, 0, 0, estimate, 0, batchSize, 0, null,
                upperKey == null);
    }

    /** After one more range [.., upper] with {@code rows} rows covered and {@code updated} changed. */
    BackfillCheckpoint advance(List<String> upper, long rows, long updated, int size, double rate) {
        boolean copy = pass.equals(COPY);
        return new BackfillCheckpoint(pass, upper, upperKey, keyKind, specHash, rowsUpdated + updated,
                copy ? rowsCopied + updated : rowsCopied, copy ? rowsRepaired : rowsRepaired + updated,
                rowsDone + rows, rowsEstimate, batches + 1, size, rate, null, false);
    }

    /** The verify pass from the start, over pages up to {@code endPage} (null: an empty table). */
    BackfillCheckpoint toVerify(List<String> endPage) {
        return new BackfillCheckpoint(VERIFY, null, endPage, "ctid", specHash, 0, rowsCopied, rowsRepaired, 0, rowsEstimate,
                batches, batchSize, rowsPerSecond, null, false);
    }

    BackfillCheckpoint done() {
        return new BackfillCheckpoint(VERIFY, lastKey, upperKey, keyKind, specHash, rowsUpdated, rowsCopied, rowsRepaired,
                Math.max(rowsDone, rowsEstimate), rowsEstimate, batches, batchSize, rowsPerSecond, null, true);
    }

    BackfillCheckpoint withRate(double rate, String why) {
        return new BackfillCheckpoint(pass, lastKey, upperKey, keyKind, specHash, rowsUpdated, rowsCopied, rowsRepaired,
                rowsDone, rowsEstimate, batches, batchSize, rate, why, finished);
    }

    /** Whether the pass has reached the fixed end. */
    boolean atEnd() {
        return upperKey == null || upperKey.equals(lastKey);
    }
}
