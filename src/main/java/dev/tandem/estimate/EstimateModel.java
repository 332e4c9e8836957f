package dev.tandem.estimate;

/**
 * The assumed rates behind {@code tandem plan}'s estimates. They are round, deliberately
 * conservative figures, not measurements of the target server: the batched backfill rate is the
 * busy-machine figure of docs/benchmarks.md (44,000–190,000 rows/s measured), the others are
 * orders of magnitude for a sequential scan, a table rewrite and a concurrent index build on
 * ordinary hardware. It does not model I/O limits, TOAST, bloat, replication or contention.
 *
 * @param backfillRowsPerSecond rows a batched backfill copies per second
 * @param scanRowsPerSecond rows a validating scan (CHECK, NOT NULL, foreign key) reads per second
 * @param rewriteRowsPerSecond rows a table rewrite writes per second
 * @param indexRowsPerSecond rows a concurrent index build (two scans and a sort) indexes per second
 * @param variableWidthBytes assumed average width of a value whose type has no fixed width (text, jsonb, numeric, …)
 * @param tupleOverheadBytes bytes per row version beyond its values (tuple header and line pointer)
 * @param indexEntryBytes bytes per index entry of a new index (header, line pointer, one key)
 * @param batchSeconds how long a backfill batch holds its row locks (the engine's target batch time)
 */
public record EstimateModel(long backfillRowsPerSecond, long scanRowsPerSecond, long rewriteRowsPerSecond,
                            long indexRowsPerSecond, int variableWidthBytes, int tupleOverheadBytes, int indexEntryBytes,
                            double batchSeconds) {
    /** The model {@code tandem plan} uses. */
    public static final EstimateModel DEFAULT = new EstimateModel(50_000, 1_000_000, 200_000, 300_000, 32, 28, 32, 0.2);
}
