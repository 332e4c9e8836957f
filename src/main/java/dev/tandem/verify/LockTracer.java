package dev.tandem.verify;

import dev.tandem.execute.StatementRunner;
import dev.tandem.plan.LockLevel;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Records what each statement the executor runs does to relations that existed before: plugged
 * into {@link StatementRunner} as its {@link StatementRunner.Observer}. For a statement in a
 * transaction it reads, just before the commit and on the executing connection,
 * <ul>
 *   <li>{@code pg_locks} of the own backend (relation locks, strongest mode per relation),</li>
 *   <li>{@code pg_class.relfilenode} of every relation, compared with the value before the
 *       statement (a change means a rewrite),</li>
 *   <li>{@code pg_stat_xact_user_tables.seq_scan} just before the statement and before the commit
 *       (the backend's not yet flushed counts; they are not flushed inside a transaction, so the
 *       difference is the statement's own sequential scans).</li>
 * </ul>
 * A statement outside a transaction (CONCURRENTLY) cannot be read before its commit: its locks are
 * sampled every few milliseconds from a second session while it runs (brief locks can be missed),
 * relfilenodes are compared afterwards, and scans are not detected.
 * <p>"Existing" means existing when {@link #begin} was called (at the start of a phase, a phase
 * rollback or purge), in every schema except the system schemas and Tandem's state schema.
 * It does not see what the batched backfill does (it runs outside the runner; its batches take
 * ROW EXCLUSIVE by construction).
 */
final class LockTracer implements StatementRunner.Observer {
    private record Relation(String name, char kind) {
        boolean isTable() {
            return kind == 'r' || kind == 'p' || kind == 'm';
        }
    }

    private final String stateSchema;
    private final Supplier<Connection> sideConnection;
    private final Map<Long, Relation> relations = new HashMap<>();
    private final Map<Long, Long> fileNodes = new HashMap<>();
    private final List<StatementTrace> traces = new ArrayList<>();
    private Sampler sampler;
    private Map<Long, Long> scansBefore = Map.of();

    LockTracer(String stateSchema, Supplier<Connection> sideConnection) {
        this.stateSchema = stateSchema;
        this.sideConnection = sideConnection;
    }

    /** Starts a new recording: the relations existing now are the ones traced. */
    void begin(Connection c) throws SQLException {
        relations.clear();
        fileNodes.clear();
        traces.clear();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT c.oid::bigint, n.nspname, c.relname, c.relkind, c.relfilenode::bigint
                  FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                 WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
                   AND n.nspname <> ? AND c.relkind IN ('r', 'p', 'm', 'i', 'I', 'S', 'f')""")) {
            ps.setString(1, stateSchema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long oid = rs.getLong(1);
                    relations.put(oid, new Relation(rs.getString(2) + "." + rs.getString(3), rs.getString(4).charAt(0)));
                    fileNodes.put(oid, rs.getLong(5));
                }
            }
        }
    }

    /** The traces recorded since {@link #begin}, in execution order. */
    List<StatementTrace> traces() {
        return List.copyOf(traces);
    }

    @Override
    public void beforeCommit(Connection c, String sql) throws SQLException {
        Map<Long, LockLevel> locks = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT relation::bigint, mode FROM pg_catalog.pg_locks
                 WHERE pid = pg_catalog.pg_backend_pid() AND locktype = 'relation' AND granted""");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                merge(locks, rs.getLong(1), rs.getString(2));
            }
        }
        List<String> scanned = new ArrayList<>();
        scanCounts(c).forEach((oid, n) -> {
            if (n > scansBefore.getOrDefault(oid, 0L)) {
                scanned.add(relations.get(oid).name());
            }
        });
        scansBefore = Map.of();
        record(c, sql, true, locks, scanned);
    }

    /** Sequential scans per existing table counted by this backend and not yet flushed to the shared statistics. */
    private Map<Long, Long> scanCounts(Connection c) throws SQLException {
        Map<Long, Long> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT relid::bigint, seq_scan FROM pg_catalog.pg_stat_xact_user_tables WHERE relid = ANY (?)")) {
            ps.setArray(1, oids(c));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getLong(1), rs.getLong(2));
                }
            }
        }
        return out;
    }

    @Override
    public void starting(Connection c, String sql) throws SQLException {
        if (!c.getAutoCommit()) {
            scansBefore = scanCounts(c); // the backend's pending counts, which span earlier transactions until flushed
            return;
        }
        int pid;
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_catalog.pg_backend_pid()"); ResultSet rs = ps.executeQuery()) {
            rs.next();
            pid = rs.getInt(1);
        }
        sampler = new Sampler(sideConnection.get(), pid);
        sampler.start();
    }

    @Override
    public void finished(Connection c, String sql) throws SQLException {
        Map<Long, LockLevel> locks = sampler == null ? Map.of() : sampler.stopAndGet();
        sampler = null;
        record(c, sql, false, locks, new ArrayList<>());
    }

    private void record(Connection c, String sql, boolean inTransaction, Map<Long, LockLevel> locks, List<String> scanned)
            throws SQLException {
        Map<String, LockLevel> named = new TreeMap<>();
        List<String> tables = new ArrayList<>();
        locks.forEach((oid, mode) -> {
            Relation r = relations.get(oid);
            if (r != null) {
                named.merge(r.name(), mode, (a, b) -> a.compareTo(b) >= 0 ? a : b);
                if (r.isTable()) {
                    tables.add(r.name());
                }
            }
        });
        List<String> rewritten = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT oid::bigint, relfilenode::bigint FROM pg_catalog.pg_class WHERE oid = ANY (?)")) {
            ps.setArray(1, oids(c));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long oid = rs.getLong(1);
                    long node = rs.getLong(2);
                    Long before = fileNodes.put(oid, node);
                    // a sequence gets a new relfilenode when its type changes with its column: not a table rewrite
                    if (before != null && before != 0 && node != before && relations.get(oid).kind() != 'S') {
                        rewritten.add(relations.get(oid).name());
                    }
                }
            }
        }
        rewritten.sort(null);
        scanned.sort(null);
        tables.sort(null);
        traces.add(new StatementTrace(sql, inTransaction, named, tables, rewritten, scanned));
    }

    private Array oids(Connection c) throws SQLException {
        return c.createArrayOf("int8", relations.keySet().toArray());
    }

    private static void merge(Map<Long, LockLevel> locks, long oid, String mode) {
        LockLevel l;
        try {
            l = LockLevel.parse(mode);
        } catch (IllegalArgumentException e) {
            return; // not a table lock mode (never for locktype relation)
        }
        locks.merge(oid, l, (a, b) -> a.compareTo(b) >= 0 ? a : b);
    }

    /** Polls pg_locks of another backend from its own connection until stopped. */
    private static final class Sampler extends Thread {
        private final Connection side;
        private final int pid;
        private final Map<Long, LockLevel> seen = new ConcurrentHashMap<>();
        private volatile boolean running = true;

        Sampler(Connection side, int pid) {
            super("tandem-verify-lock-sampler");
            setDaemon(true);
            this.side = side;
            this.pid = pid;
        }

        @Override
        public void run() {
            try (side; PreparedStatement ps = side.prepareStatement(
                    "SELECT relation::bigint, mode FROM pg_catalog.pg_locks WHERE pid = ? AND locktype = 'relation' AND granted")) {
                ps.setInt(1, pid);
                while (running) {
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            synchronized (seen) {
                                merge(seen, rs.getLong(1), rs.getString(2));
                            }
                        }
                    }
                    Thread.sleep(2);
                }
            } catch (SQLException | InterruptedException e) {
                // best effort: what was seen so far stands
            }
        }

        Map<Long, LockLevel> stopAndGet() {
            running = false;
            try {
                join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            synchronized (seen) {
                return new HashMap<>(seen);
            }
        }
    }
}
