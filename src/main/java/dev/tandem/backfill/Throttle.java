package dev.tandem.backfill;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * Decides whether the backfill may run its next batch. It reads, about every 250 ms, on a
 * connection of its own (a daemon thread), each signal whose limit is set:
 * <ul>
 *   <li>the manual pause flag ({@code tandem backfill ID --pause});</li>
 *   <li>physical replica lag, time and bytes ({@code pg_stat_replication});</li>
 *   <li>WAL retained by active replication slots ({@code pg_replication_slots});</li>
 *   <li>active client sessions against a limit derived from the count at start;</li>
 *   <li>sessions waiting on a lock held by the backfill ({@code pg_blocking_pids}); seeing one
 *       also asks the worker to shrink its batch, and holds the backfill for a second;</li>
 *   <li>the user's throttle query (a number greater than 0 pauses).</li>
 * </ul>
 * A signal that cannot be read (an error, a lost connection, a NULL) counts as a reason to wait.
 * Without a connection factory it reads the signals on the worker's connection between batches
 * instead, and cannot see sessions blocked by a running batch.
 */
final class Throttle implements AutoCloseable {
    private static final long POLL_MS = 250;
    private static final long BLOCKED_HOLD_MS = 1000;

    private final BackfillOptions options;
    private final String migrationId;
    private final CheckpointStore store;
    private final Supplier<Connection> connector;
    private final Collection<Integer> ownPids = new CopyOnWriteArrayList<>();
    private volatile Optional<String> reason = Optional.empty();
    private volatile boolean shrinkRequested;
    private volatile long heldUntil;
    private volatile boolean closed;
    private long lastInlinePoll;
    private int activeLimit = -1;
    private Connection monitor;
    private Thread thread;

    Throttle(BackfillOptions options, String migrationId, CheckpointStore store, Supplier<Connection> connector) {
        this.options = options;
        this.migrationId = migrationId;
        this.store = store;
        this.connector = connector;
    }

    /** Counts the baseline of active sessions and starts watching (in a thread when it can open connections). */
    void start(Connection worker) throws SQLException {
        addOwn(worker);
        if (options.maxActiveSessions() == 0) {
            long baseline = activeSessions(worker);
            activeLimit = (int) Math.max(2 * baseline, baseline + 8);
        } else {
            activeLimit = options.maxActiveSessions();
        }
        if (connector != null) {
            thread = new Thread(this::loop, "tandem-backfill-throttle");
            thread.setDaemon(true);
            poll();
            thread.start();
        } else {
            reason = check(worker);
            lastInlinePoll = System.nanoTime();
        }
    }

    /** The active-session limit in use (for the start message). */
    int activeLimit() {
        return activeLimit;
    }

    /** A connection of the backfill itself: its sessions are not counted as application sessions. */
    void addOwn(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            ownPids.add(rs.getInt(1));
        }
    }

    /** Why the backfill must wait now, if it must. In inline mode reads the signals when they are due. */
    Optional<String> reason(Connection worker) {
        if (thread == null && System.nanoTime() - lastInlinePoll > POLL_MS * 1_000_000) {
            reason = check(worker);
            lastInlinePoll = System.nanoTime();
        }
        return reason;
    }

    /** True once after the throttle saw sessions blocked by the backfill: the worker should shrink. */
    boolean takeShrinkRequest() {
        boolean r = shrinkRequested;
        shrinkRequested = false;
        return r;
    }

    private void loop() {
        while (!closed) {
            try {
                Thread.sleep(POLL_MS);
            } catch (InterruptedException e) {
                return;
            }
            poll();
        }
    }

    private void poll() {
        try {
            if (monitor == null || monitor.isClosed()) {
                monitor = connector.get();
                addOwn(monitor);
                try (Statement s = monitor.createStatement()) {
                    s.execute("SET statement_timeout = '5s'");
                }
            }
            reason = check(monitor);
        } catch (RuntimeException | SQLException e) {
            reason = Optional.of("cannot read the throttle signals: " + e.getMessage());
            closeMonitor();
        }
    }

    private Optional<String> check(Connection c) {
        try {
            Optional<String> paused = store.pausedBy(c, migrationId);
            if (paused.isPresent()) {
                return Optional.of("paused by " + paused.get() + " (resume: tandem backfill " + migrationId + " --resume)");
            }
            if (options.maxReplicaLagMs() > 0 || options.maxReplicaLagBytes() > 0) {
                Optional<String> r = replicaLag(c);
                if (r.isPresent()) {
                    return r;
                }
            }
            if (options.maxSlotLagBytes() > 0) {
                Optional<String> r = slotLag(c);
                if (r.isPresent()) {
                    return r;
                }
            }
            if (activeLimit > 0) {
                long active = activeSessions(c);
                if (active > activeLimit) {
                    return Optional.of(active + " active sessions > " + activeLimit);
                }
            }
            if (options.maxBlockedSessions() > 0 && c != null && thread != null) {
                long blocked = blockedByUs(c);
                if (blocked >= options.maxBlockedSessions()) {
                    shrinkRequested = true;
                    heldUntil = System.nanoTime() + BLOCKED_HOLD_MS * 1_000_000;
                    return Optional.of(blocked + " session" + (blocked == 1 ? "" : "s") + " waiting on the backfill's locks");
                }
                if (System.nanoTime() < heldUntil) {
                    return Optional.of("sessions were waiting on the backfill's locks; holding a moment");
                }
            }
            if (options.throttleQuery() != null) {
                Optional<String> r = throttleQuery(c);
                if (r.isPresent()) {
                    return r;
                }
            }
            return Optional.empty();
        } catch (SQLException e) {
            return Optional.of("cannot read the throttle signals: " + e.getMessage().strip());
        }
    }

    private Optional<String> replicaLag(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT application_name, (extract(epoch FROM replay_lag) * 1000)::bigint,"
                        + " pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)::bigint FROM pg_stat_replication")) {
            while (rs.next()) {
                String name = rs.getString(1);
                long ms = rs.getLong(2);
                boolean msNull = rs.wasNull();
                long bytes = rs.getLong(3);
                if (rs.wasNull()) {
                    return Optional.of("cannot read the lag of replica " + name + " (needs pg_monitor)");
                }
                if (options.maxReplicaLagMs() > 0 && !msNull && ms > options.maxReplicaLagMs()) {
                    return Optional.of("replica " + name + " lags " + ms + " ms > " + options.maxReplicaLagMs() + " ms");
                }
                if (options.maxReplicaLagBytes() > 0 && bytes > options.maxReplicaLagBytes()) {
                    return Optional.of("replica " + name + " lags " + mb(bytes) + " of WAL > " + mb(options.maxReplicaLagBytes()));
                }
            }
        }
        return Optional.empty();
    }

    private Optional<String> slotLag(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT slot_name, pg_wal_lsn_diff(pg_current_wal_lsn(), coalesce(confirmed_flush_lsn, restart_lsn))::bigint"
                        + " FROM pg_replication_slots WHERE active")) {
            while (rs.next()) {
                long bytes = rs.getLong(2);
                if (!rs.wasNull() && bytes > options.maxSlotLagBytes()) {
                    return Optional.of("replication slot " + rs.getString(1) + " retains " + mb(bytes) + " > " + mb(options.maxSlotLagBytes()));
                }
            }
        }
        return Optional.empty();
    }

    private long activeSessions(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM pg_stat_activity WHERE state = 'active'"
                + " AND backend_type = 'client backend' AND pid <> ALL (?)")) {
            ps.setArray(1, c.createArrayOf("int4", ownPids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private long blockedByUs(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                + " AND pid <> ALL (?) AND pg_blocking_pids(pid) && ?")) {
            java.sql.Array own = c.createArrayOf("int4", ownPids.toArray());
            ps.setArray(1, own);
            ps.setArray(2, own);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private Optional<String> throttleQuery(Connection c) {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(options.throttleQuery())) {
            if (!rs.next()) {
                return Optional.of("the throttle query returned no row");
            }
            java.math.BigDecimal v = rs.getBigDecimal(1);
            if (v == null) {
                return Optional.of("the throttle query returned NULL");
            }
            return v.signum() > 0 ? Optional.of("throttle query returned " + v.toPlainString()) : Optional.empty();
        } catch (SQLException e) {
            return Optional.of("the throttle query failed: " + e.getMessage().strip());
        }
    }

    private static String mb(long bytes) {
        return (bytes >> 20) + " MB";
    }

    /** The pids of the backfill's own sessions (for tests and messages). */
    List<Integer> ownPids() {
        return List.copyOf(ownPids);
    }

    private void closeMonitor() {
        if (monitor != null) {
            try {
                monitor.close();
            } catch (SQLException ignored) {
                // gone already
            }
            monitor = null;
        }
    }

    @Override
    public void close() {
        closed = true;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        closeMonitor();
    }
}
