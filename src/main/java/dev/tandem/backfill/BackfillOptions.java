package dev.tandem.backfill;

import java.util.Objects;
import java.util.Optional;

/**
 * Settings of the batched backfill: batch sizing, per-batch timeouts and retries, throttles, and
 * who hears about progress. Every value has a default ({@link #defaults()}); the CLI flags that set
 * them are listed in {@code docs/backfill.md}. Change values with {@link #toBuilder()}.
 * <p>It does not validate that a throttle query is sensible SQL; the backfill runs it and treats an
 * error as "pause".
 *
 * @param batchSize rows of the first batch (later batches adapt toward {@code targetBatchMs})
 * @param lockTimeoutMs lock_timeout of each batch transaction
 * @param statementTimeoutMs statement_timeout of each batch transaction
 * @param maxRetries how often one range may fail (lock timeout, deadlock, statement timeout, lost
 *                   connection) before the job stops with its checkpoint kept
 * @param minBatch smallest batch in rows
 * @param maxBatch largest batch in rows
 * @param targetBatchMs the batch time the size adapts toward
 * @param growFactor largest growth of the batch size from one batch to the next (e.g. 2.0)
 * @param shrinkFactor factor applied to the batch size after a failed batch (e.g. 0.5)
 * @param maxReplicaLagMs pause while a physical replica replays more than this far behind (0 = off)
 * @param maxReplicaLagBytes pause while a replica's replay position is this many WAL bytes behind (0 = off)
 * @param maxSlotLagBytes pause while an active replication slot retains more WAL than this (0 = off)
 * @param maxActiveSessions pause while more sessions are active than this; 0 = automatic
 *                          (max(2 × baseline, baseline + 8), the baseline counted at start); -1 = off
 * @param maxBlockedSessions pause (and shrink) when this many sessions wait on a lock the backfill holds (0 = off)
 * @param throttleQuery SQL returning one number; greater than 0 pauses (null = none)
 * @param restart discard an unfinished checkpoint (also one whose definition changed) and start over
 * @param progressIntervalMs how often a plain progress line is logged when stderr is not a terminal
 * @param listener told about progress after every batch and on every throttle change
 * @param batchPauseMs rest after every copy batch, ms (0 = none): leaves CPU and I/O to the
 *                     application on a small server, at the cost of backfill speed
 * @param allowUserTriggers let the table's own triggers fire for backfilled rows when the role may
 *                          not set {@code session_replication_role} ({@code --allow-user-triggers});
 *                          without it such a backfill is refused before it writes (docs/privileges.md)
 */
public record BackfillOptions(int batchSize, long lockTimeoutMs, long statementTimeoutMs, int maxRetries,
                              int minBatch, int maxBatch, long targetBatchMs, double growFactor, double shrinkFactor,
                              long maxReplicaLagMs, long maxReplicaLagBytes, long maxSlotLagBytes,
                              int maxActiveSessions, int maxBlockedSessions, String throttleQuery,
                              boolean restart, long progressIntervalMs, BackfillListener listener, long batchPauseMs,
                              boolean allowUserTriggers) {
    public BackfillOptions {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1");
        }
        if (minBatch < 1 || maxBatch < minBatch) {
            throw new IllegalArgumentException("batch bounds must satisfy 1 <= min <= max (got " + minBatch + ", " + maxBatch + ")");
        }
        if (lockTimeoutMs < 1 || statementTimeoutMs < 1 || targetBatchMs < 1) {
            throw new IllegalArgumentException("timeouts and the target batch time must be at least 1 ms");
        }
        if (batchPauseMs < 0) {
            throw new IllegalArgumentException("the pause between batches must not be negative");
        }
        if (maxRetries < 0) {
            throw new IllegalArgumentException("max retries must not be negative");
        }
        if (!(growFactor >= 1.0) || !(shrinkFactor > 0.0 && shrinkFactor < 1.0)) {
            throw new IllegalArgumentException("grow factor must be >= 1 and shrink factor in (0, 1)");
        }
        if (maxReplicaLagMs < 0 || maxReplicaLagBytes < 0 || maxSlotLagBytes < 0 || maxBlockedSessions < 0 || maxActiveSessions < -1) {
            throw new IllegalArgumentException("throttle limits must not be negative (0 turns one off)");
        }
        if (throttleQuery != null && throttleQuery.isBlank()) {
            throttleQuery = null;
        }
        listener = listener == null ? BackfillListener.NONE : listener;
    }

    /** The settings of earlier versions: first batch size, timeouts and retries; everything else default. */
    public BackfillOptions(int batchSize, long lockTimeoutMs, long statementTimeoutMs, int maxRetries) {
        this(defaults().toBuilder().batchSize(batchSize).lockTimeoutMs(lockTimeoutMs)
                .statementTimeoutMs(statementTimeoutMs).maxRetries(maxRetries).build());
    }

    private BackfillOptions(BackfillOptions o) {
        this(o.batchSize, o.lockTimeoutMs, o.statementTimeoutMs, o.maxRetries, o.minBatch, o.maxBatch, o.targetBatchMs,
                o.growFactor, o.shrinkFactor, o.maxReplicaLagMs, o.maxReplicaLagBytes, o.maxSlotLagBytes,
                o.maxActiveSessions, o.maxBlockedSessions, o.throttleQuery, o.restart, o.progressIntervalMs, o.listener, o.batchPauseMs,
                o.allowUserTriggers);
    }

    public static BackfillOptions defaults() {
        return new BackfillOptions(5000, 2000, 60_000, 10, 100, 200_000, 200, 2.0, 0.5,
                10_000, 256L << 20, 1L << 30, 0, 1, null, false, 3000, BackfillListener.NONE, 0, false);
    }

    public Optional<String> throttleQueryOpt() {
        return Optional.ofNullable(throttleQuery);
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Mutable copy of the options; {@link #build()} validates. */
    public static final class Builder {
        private int batchSize;
        private long lockTimeoutMs;
        private long statementTimeoutMs;
        private int maxRetries;
        private int minBatch;
        private int maxBatch;
        private long targetBatchMs;
        private double growFactor;
        private double shrinkFactor;
        private long maxReplicaLagMs;
        private long maxReplicaLagBytes;
        private long maxSlotLagBytes;
        private int maxActiveSessions;
        private int maxBlockedSessions;
        private String throttleQuery;
        private boolean restart;
        private long progressIntervalMs;
        private BackfillListener listener;
        private long batchPauseMs;
        private boolean allowUserTriggers;

        private Builder(BackfillOptions o) {
            batchSize = o.batchSize;
            lockTimeoutMs = o.lockTimeoutMs;
            statementTimeoutMs = o.statementTimeoutMs;
            maxRetries = o.maxRetries;
            minBatch = o.minBatch;
            maxBatch = o.maxBatch;
            targetBatchMs = o.targetBatchMs;
            growFactor = o.growFactor;
            shrinkFactor = o.shrinkFactor;
            maxReplicaLagMs = o.maxReplicaLagMs;
            maxReplicaLagBytes = o.maxReplicaLagBytes;
            maxSlotLagBytes = o.maxSlotLagBytes;
            maxActiveSessions = o.maxActiveSessions;
            maxBlockedSessions = o.maxBlockedSessions;
            throttleQuery = o.throttleQuery;
            restart = o.restart;
            progressIntervalMs = o.progressIntervalMs;
            listener = o.listener;
            batchPauseMs = o.batchPauseMs;
            allowUserTriggers = o.allowUserTriggers;
        }

        public Builder batchSize(int v) { batchSize = v; return this; }
        public Builder lockTimeoutMs(long v) { lockTimeoutMs = v; return this; }
        public Builder statementTimeoutMs(long v) { statementTimeoutMs = v; return this; }
        public Builder maxRetries(int v) { maxRetries = v; return this; }
        public Builder minBatch(int v) { minBatch = v; return this; }
        public Builder maxBatch(int v) { maxBatch = v; return this; }
        public Builder targetBatchMs(long v) { targetBatchMs = v; return this; }
        public Builder growFactor(double v) { growFactor = v; return this; }
        public Builder shrinkFactor(double v) { shrinkFactor = v; return this; }
        public Builder maxReplicaLagMs(long v) { maxReplicaLagMs = v; return this; }
        public Builder maxReplicaLagBytes(long v) { maxReplicaLagBytes = v; return this; }
        public Builder maxSlotLagBytes(long v) { maxSlotLagBytes = v; return this; }
        public Builder maxActiveSessions(int v) { maxActiveSessions = v; return this; }
        public Builder maxBlockedSessions(int v) { maxBlockedSessions = v; return this; }
        public Builder throttleQuery(String v) { throttleQuery = v; return this; }
        public Builder restart(boolean v) { restart = v; return this; }
        public Builder progressIntervalMs(long v) { progressIntervalMs = v; return this; }
        public Builder listener(BackfillListener v) { listener = Objects.requireNonNullElse(v, BackfillListener.NONE); return this; }

        public Builder batchPauseMs(long v) { batchPauseMs = v; return this; }
        public Builder allowUserTriggers(boolean v) { allowUserTriggers = v; return this; }

        public BackfillOptions build() {
            return new BackfillOptions(batchSize, lockTimeoutMs, statementTimeoutMs, maxRetries, minBatch, maxBatch,
                    targetBatchMs, growFactor, shrinkFactor, maxReplicaLagMs, maxReplicaLagBytes, maxSlotLagBytes,
                    maxActiveSessions, maxBlockedSessions, throttleQuery, restart, progressIntervalMs, listener, batchPauseMs,
                    allowUserTriggers);
        }
    }
}
