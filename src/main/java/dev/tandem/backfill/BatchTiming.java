package dev.tandem.backfill;

import java.util.Locale;

/**
 * Where the copy batches spend their time (begin + SET LOCAL, range end lookup, UPDATE,
 * checkpoint + COMMIT), summed over a run; printed with {@code -Dtandem.backfill.timing=true} to
 * find what bounds the backfill.
 */
final class BatchTiming {
    private long batches;
    private long begin;
    private long bound;
    private long update;
    private long commit;

    void add(long t0, long t1, long t2, long t3, long t4) {
        batches++;
        begin += t1 - t0;
        bound += t2 - t1;
        update += t3 - t2;
        commit += t4 - t3;
    }

    @Override
    public String toString() {
        double total = Math.max(1, begin + bound + update + commit);
        return String.format(Locale.ROOT, "%d batches, %.1f s: begin+set %.1f%%, range end %.1f%%, update %.1f%%, checkpoint+commit %.1f%%",
                batches, total / 1e9, 100 * begin / total, 100 * bound / total, 100 * update / total, 100 * commit / total);
    }
}
