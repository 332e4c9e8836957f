package dev.tandem.demo;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the simulated application saw during one phase of one run: every request scheduled in the
 * phase (latency from its scheduled time, so time spent queued for a connection counts), the
 * failures with their messages, and the longest lock wait the sampler observed. Thread-safe.
 * <p>It keeps every latency (a few tens of thousands per phase at demo rates), so percentiles are
 * exact; it is not meant for hours of traffic.
 */
public final class PhaseStats {
    private final String phase;
    private final double newFraction;
    private long[] micros = new long[1024];
    private boolean[] reads = new boolean[1024];
    private int count;
    private long failed;
    private final Map<String, Long> errors = new TreeMap<>();
    private long maxLockWaitMs;
    private String maxLockWaitEvent;
    private long startNs;
    private long endNs;
    private long workNs;
    private long backfillRows = -1;

    /** @param newFraction share of requests made by new-version clients in this phase (0 … 1) */
    public PhaseStats(String phase, double newFraction) {
        this.phase = phase;
        this.newFraction = newFraction;
    }

    public double newFraction() {
        return newFraction;
    }

    /** Which application versions send requests: old, new, or old+new (and the split). */
    public String clients() {
        if (newFraction <= 0) {
            return "old";
        }
        if (newFraction >= 1) {
            return "new";
        }
        return "old+new " + Math.round((1 - newFraction) * 100) + "/" + Math.round(newFraction * 100);
    }

    public String phase() {
        return phase;
    }

    /** A request (a read or a write) that completed, successfully or not, {@code micros} after its scheduled time. */
    public synchronized void record(long latencyMicros, boolean read, String error) {
        if (count == micros.length) {
            micros = Arrays.copyOf(micros, count * 2);
            reads = Arrays.copyOf(reads, count * 2);
        }
        reads[count] = read;
        micros[count++] = latencyMicros;
        if (error != null) {
            failed++;
            String key = error.length() > 160 ? error.substring(0, 160) + "…" : error;
            errors.merge(key, 1L, Long::sum);
        }
    }

    /** A backend of the application seen waiting on a lock for {@code ms}; {@code event} is the lock type (relation, transactionid, tuple, …). */
    public synchronized void lockWait(long ms, String event) {
        if (ms > maxLockWaitMs) {
            maxLockWaitMs = ms;
            maxLockWaitEvent = event;
        }
    }

    /** The lock type of the longest wait (pg_stat_activity.wait_event), or null when none was seen. */
    public synchronized String maxLockWaitEvent() {
        return maxLockWaitEvent;
    }

    public synchronized void window(long startNs, long endNs, long workNs) {
        this.startNs = startNs;
        this.endNs = endNs;
        this.workNs = workNs;
    }

    /** Rows the backfill covered in this phase (the table's row count), for rows/s. */
    public synchronized void backfillRows(long rows) {
        this.backfillRows = rows;
    }

    public synchronized long requests() {
        return count;
    }

    public synchronized long failed() {
        return failed;
    }

    public synchronized long maxLockWaitMs() {
        return maxLockWaitMs;
    }

    /** Latency percentile in milliseconds (nearest rank); 0 when there were no requests. */
    public synchronized double percentileMs(double p) {
        return percentile(Arrays.copyOf(micros, count), p);
    }

    /** Latency percentile of reads only ({@code reads = true}) or writes only, in milliseconds. */
    public synchronized double percentileMs(double p, boolean ofReads) {
        long[] some = new long[count];
        int n = 0;
        for (int i = 0; i < count; i++) {
            if (reads[i] == ofReads) {
                some[n++] = micros[i];
            }
        }
        return percentile(Arrays.copyOf(some, n), p);
    }

    private static double percentile(long[] values, double p) {
        if (values.length == 0) {
            return 0;
        }
        Arrays.sort(values);
        int rank = (int) Math.ceil(p / 100.0 * values.length);
        return values[Math.max(0, Math.min(values.length - 1, rank - 1))] / 1000.0;
    }

    public synchronized double maxMs() {
        long max = 0;
        for (int i = 0; i < count; i++) {
            max = Math.max(max, micros[i]);
        }
        return max / 1000.0;
    }

    public synchronized double seconds() {
        return Math.max(0, endNs - startNs) / 1e9;
    }

    /** Seconds Tandem (or the naive DDL) worked in this phase; the rest of the window was steady traffic. */
    public synchronized double workSeconds() {
        return workNs / 1e9;
    }

    /** Backfill rows per second of the phase's work, or empty when no backfill ran. */
    public synchronized java.util.OptionalDouble backfillRowsPerSecond() {
        if (backfillRows < 0 || workNs <= 0) {
            return java.util.OptionalDouble.empty();
        }
        return java.util.OptionalDouble.of(backfillRows / (workNs / 1e9));
    }

    public synchronized Map<String, Long> errors() {
        return new LinkedHashMap<>(errors);
    }

    /** The JSON object of this phase (see {@code docs/demo.md}). */
    public synchronized Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("phase", phase);
        m.put("clients", clients());
        m.put("seconds", round(seconds()));
        m.put("work_seconds", round(workSeconds()));
        m.put("requests", (long) count);
        m.put("failed", failed);
        m.put("p50_ms", round(percentileMs(50)));
        m.put("p99_ms", round(percentileMs(99)));
        m.put("max_ms", round(maxMs()));
        m.put("p99_read_ms", round(percentileMs(99, true)));
        m.put("p99_write_ms", round(percentileMs(99, false)));
        m.put("max_lock_wait_ms", maxLockWaitMs);
        m.put("max_lock_wait_on", maxLockWaitEvent);
        m.put("backfill_rows_per_s", backfillRowsPerSecond().isPresent() ? (Object) Math.round(backfillRowsPerSecond().getAsDouble()) : null);
        m.put("errors", new LinkedHashMap<>(errors));
        return m;
    }

    static double round(double v) {
        return Math.round(v * 100.0) / 100.0;
    }
}
