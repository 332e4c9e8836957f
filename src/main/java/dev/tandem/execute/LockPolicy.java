package dev.tandem.execute;

/**
 * How Tandem takes locks that block traffic: each attempt sets {@code lock_timeout}, starting at
 * {@code initialTimeoutMs} and doubling per attempt up to {@code maxTimeoutMs}; between attempts it
 * sleeps a jittered backoff; it gives up after {@code maxAttempts} or when {@code deadlineMs} has
 * passed since the first attempt, whichever comes first (exit code 3, naming the blockers).
 */
public record LockPolicy(long initialTimeoutMs, long maxTimeoutMs, int maxAttempts, long deadlineMs) {
    public LockPolicy {
        if (initialTimeoutMs <= 0 || maxTimeoutMs < initialTimeoutMs) {
            throw new IllegalArgumentException("lock timeouts must be positive and initial <= max");
        }
        if (maxAttempts < 1 || deadlineMs <= 0) {
            throw new IllegalArgumentException("lock retries need at least one attempt and a positive deadline");
        }
    }

    /** 100 ms growing to 2 s, at most 10 attempts within 60 s. */
    public static LockPolicy defaults() {
        return new LockPolicy(100, 2000, 10, 60_000);
    }

    public static LockPolicy withMaxTimeout(long maxTimeoutMs) {
        LockPolicy d = defaults();
        return new LockPolicy(Math.min(d.initialTimeoutMs(), maxTimeoutMs), maxTimeoutMs, d.maxAttempts(), d.deadlineMs());
    }

    /** lock_timeout for the given attempt (0-based). */
    public long timeoutFor(int attempt) {
        long t = initialTimeoutMs << Math.min(attempt, 20);
        return Math.min(t, maxTimeoutMs);
    }
}
