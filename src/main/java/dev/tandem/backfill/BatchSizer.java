package dev.tandem.backfill;

/**
 * Adapts the batch size toward a target batch time: after each batch the size is scaled by
 * target/elapsed, limited to the grow factor upward and to halving downward, and kept within the
 * bounds; a failed batch (lock timeout, deadlock, statement timeout) multiplies it by the shrink
 * factor. Not thread-safe: one per worker.
 */
final class BatchSizer {
    private final int min;
    private final int max;
    private final double targetMs;
    private final double grow;
    private final double shrink;
    private int size;

    BatchSizer(BackfillOptions o) {
        this.min = o.minBatch();
        this.max = o.maxBatch();
        this.targetMs = o.targetBatchMs();
        this.grow = o.growFactor();
        this.shrink = o.shrinkFactor();
        this.size = clamp(o.batchSize());
    }

    int size() {
        return size;
    }

    /** A batch of {@code rows} rows took {@code millis}. */
    void observe(int rows, double millis) {
        if (rows < size / 2) {
            return; // a short last batch says little about the rate
        }
        double factor = targetMs / Math.max(millis, 0.5);
        factor = Math.max(0.5, Math.min(grow, factor));
        size = clamp((long) Math.round(rows * factor));
    }

    /** A batch failed on a lock or a timeout. */
    void failed() {
        size = clamp((long) Math.floor(size * shrink));
    }

    private int clamp(long v) {
        return (int) Math.max(min, Math.min(max, v));
    }
}
