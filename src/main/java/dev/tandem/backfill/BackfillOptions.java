package dev.tandem.backfill;

/**
 * Settings of the batched backfill.
 *
 * @param batchSize rows per batch (keyset range)
 * @param lockTimeoutMs lock_timeout of each batch transaction
 * @param statementTimeoutMs statement_timeout of each batch transaction
 * @param maxRetries how often one batch may fail on a lock timeout or deadlock before the job stops (state kept)
 */
public record BackfillOptions(int batchSize, long lockTimeoutMs, long statementTimeoutMs, int maxRetries) {
    public BackfillOptions {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1");
        }
    }

    public static BackfillOptions defaults() {
        return new BackfillOptions(5000, 2000, 60_000, 10);
    }
}
