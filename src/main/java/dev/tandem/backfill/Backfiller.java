package dev.tandem.backfill;

import dev.tandem.TandemException;
import dev.tandem.plan.BackfillSpec;
import dev.tandem.plan.Phase;
import dev.tandem.sql.Ident;
import dev.tandem.state.StateStore;
import dev.tandem.state.StateStore.Checkpoint;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Copies values into a new representation in keyset batches over the primary key. Each batch is
 * one transaction that updates only rows whose target differs ({@code IS DISTINCT FROM}, so a
 * re-run writes nothing) and writes its checkpoint in the same transaction, so a crash at any point
 * resumes after the last committed batch. A second pass over the whole table then verifies: rows it
 * still has to change are counted as repaired.
 * <p>Batches run with {@code session_replication_role = replica} when the role may set it, so the
 * table's own triggers (updated_at stamps, audit) do not fire for the copy.
 * <p>Not handled yet: tables without a primary key, adaptive batch size, throttling, parallel
 * workers (issue #4).
 */
public final class Backfiller {
    private final StateStore store;
    private final BackfillOptions options;
    private final Consumer<String> progress;

    public Backfiller(StateStore store, BackfillOptions options, Consumer<String> progress) {
        this.store = store;
        this.options = options;
        this.progress = progress;
    }

    /** What one backfill did. */
    public record Result(long rowsCopied, long rowsRepaired, long batches, double seconds) {}

    public Result run(Connection c, String migrationId, Phase phase, int stepIndex, BackfillSpec spec) throws SQLException {
        if (spec.keyColumns().isEmpty()) {
            throw TandemException.badInput("backfill of " + spec.table() + " needs a primary key");
        }
        List<String> keyTypes = keyTypes(c, spec);
        boolean replicaRole = canUseReplicaRole(c);
        if (!replicaRole) {
            progress.accept("  note: this role may not set session_replication_role; the table's own triggers fire for backfilled rows");
        }
        Optional<Checkpoint> saved = store.checkpoint(c, migrationId, phase, stepIndex);
        Checkpoint cp = saved.orElse(new Checkpoint("copy", null, 0, 0, false));
        if (saved.isPresent() && !cp.finished()) {
            progress.accept("  resuming " + cp.pass() + " pass of " + spec.table() + " after key " + cp.lastKey());
        }
        long copied = cp.pass().equals("copy") ? cp.rowsUpdated() : 0;
        long repaired = cp.pass().equals("verify") ? cp.rowsUpdated() : 0;
        long startNs = System.nanoTime();
        long lastReport = startNs;
        long batches = cp.batches();
        while (!cp.finished()) {
            Batch b = batch(c, spec, keyTypes, replicaRole, migrationId, phase, stepIndex, cp);
            batches++;
            if (cp.pass().equals("copy")) {
                copied += b.updated;
            } else {
                repaired += b.updated;
            }
            cp = b.next;
            long now = System.nanoTime();
            if (now - lastReport > 2_000_000_000L || cp.finished()) {
                double s = (now - startNs) / 1e9;
                progress.accept(String.format("  backfill %s: %s pass, %d rows copied, %d repaired, %d batches, %.0f rows/s",
                        spec.table(), cp.pass(), copied, repaired, batches, s > 0 ? copied / s : 0.0));
                lastReport = now;
            }
        }
        try (Statement s = c.createStatement()) {
            List<String> cols = spec.assignments().stream().map(a -> Ident.quote(a.column())).toList();
            s.execute("ANALYZE " + spec.table().sql() + " (" + String.join(", ", cols) + ")");
        }
        return new Result(copied, repaired, batches, (System.nanoTime() - startNs) / 1e9);
    }

    private record Batch(long updated, Checkpoint next) {}

    private Batch batch(Connection c, BackfillSpec spec, List<String> keyTypes, boolean replicaRole,
                        String id, Phase phase, int index, Checkpoint cp) throws SQLException {
        for (int attempt = 0; ; attempt++) {
            try {
                c.setAutoCommit(false);
                try (Statement s = c.createStatement()) {
                    s.execute("SET LOCAL lock_timeout = '" + options.lockTimeoutMs() + "ms'");
                    s.execute("SET LOCAL statement_timeout = '" + options.statementTimeoutMs() + "ms'");
                    if (replicaRole) {
                        s.execute("SET LOCAL session_replication_role = replica");
                    }
                }
                List<String> upper = upperBound(c, spec, keyTypes, cp.lastKey());
                long updated = update(c, spec, keyTypes, cp.lastKey(), upper);
                Checkpoint next;
                if (upper == null) {
                    next = cp.pass().equals("copy")
                            ? new Checkpoint("verify", null, 0, cp.batches() + 1, false)
                            : new Checkpoint("verify", null, cp.rowsUpdated() + updated, cp.batches() + 1, true);
                } else {
                    next = new Checkpoint(cp.pass(), upper, cp.rowsUpdated() + updated, cp.batches() + 1, false);
                }
                store.saveCheckpoint(c, id, phase, index, next);
                c.commit();
                c.setAutoCommit(true);
                return new Batch(updated, next);
            } catch (SQLException e) {
                try {
                    c.rollback();
                    c.setAutoCommit(true);
                } catch (SQLException ignored) {
                    // reported below
                }
                boolean retryable = "55P03".equals(e.getSQLState()) || "40P01".equals(e.getSQLState()) || "57014".equals(e.getSQLState());
                if (retryable && attempt < options.maxRetries()) {
                    progress.accept("  batch after key " + cp.lastKey() + " waited too long (" + e.getSQLState() + "); backing off");
                    try {
                        Thread.sleep(Math.min(5000, 100L << Math.min(attempt, 6)));
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        throw new TandemException(TandemException.RUNTIME, "interrupted; the backfill resumes from its checkpoint");
                    }
                    continue;
                }
                throw new TandemException(retryable ? TandemException.LOCK : TandemException.RUNTIME,
                        "backfill of " + spec.table() + " stopped at key " + cp.lastKey() + ": " + e.getMessage().strip()
                                + "; its checkpoint is kept, run `tandem apply` again to resume", e);
            }
        }
    }

    /** The key of the last row of the next batch, or null when the rest of the table fits in one batch. */
    private List<String> upperBound(Connection c, BackfillSpec spec, List<String> keyTypes, List<String> lower) throws SQLException {
        String keys = keyList(spec);
        String textKeys = String.join(", ", spec.keyColumns().stream().map(k -> Ident.quote(k) + "::text").toList());
        String sql = "SELECT " + textKeys + " FROM " + spec.table().sql()
                + (lower == null ? "" : " WHERE (" + keys + ") > (" + placeholders(keyTypes) + ")")
                + " ORDER BY " + keys + " OFFSET " + (options.batchSize() - 1) + " LIMIT 1";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, 1, lower);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                List<String> out = new ArrayList<>();
                for (int i = 1; i <= spec.keyColumns().size(); i++) {
                    out.add(rs.getString(i));
                }
                return out;
            }
        }
    }

    private long update(Connection c, BackfillSpec spec, List<String> keyTypes, List<String> lower, List<String> upper) throws SQLException {
        String keys = keyList(spec);
        List<String> sets = new ArrayList<>();
        List<String> differs = new ArrayList<>();
        for (BackfillSpec.Assignment a : spec.assignments()) {
            sets.add(Ident.quote(a.column()) + " = " + a.expression());
            differs.add(Ident.quote(a.column()) + " IS DISTINCT FROM (" + a.expression() + ")");
        }
        List<String> where = new ArrayList<>();
        if (lower != null) {
            where.add("(" + keys + ") > (" + placeholders(keyTypes) + ")");
        }
        if (upper != null) {
            where.add("(" + keys + ") <= (" + placeholders(keyTypes) + ")");
        }
        where.add("(" + String.join(" OR ", differs) + ")");
        String sql = "UPDATE " + spec.table().sql() + " SET " + String.join(", ", sets) + " WHERE " + String.join(" AND ", where);
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = bind(ps, 1, lower);
            bind(ps, i, upper);
            return ps.executeUpdate();
        }
    }

    private static String keyList(BackfillSpec spec) {
        return String.join(", ", spec.keyColumns().stream().map(Ident::quote).toList());
    }

    private static String placeholders(List<String> keyTypes) {
        return String.join(", ", keyTypes.stream().map(t -> "CAST(? AS " + t + ")").toList());
    }

    private static int bind(PreparedStatement ps, int from, List<String> values) throws SQLException {
        if (values == null) {
            return from;
        }
        int i = from;
        for (String v : values) {
            ps.setString(i++, v);
        }
        return i;
    }

    private static List<String> keyTypes(Connection c, BackfillSpec spec) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT format_type(a.atttypid, a.atttypmod) FROM pg_attribute a"
                + " WHERE a.attrelid = to_regclass(?) AND a.attname = ? AND NOT a.attisdropped")) {
            for (String k : spec.keyColumns()) {
                ps.setString(1, spec.table().sql());
                ps.setString(2, k);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw TandemException.badInput("key column " + k + " not found on " + spec.table());
                    }
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    private static boolean canUseReplicaRole(Connection c) {
        try {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("SET LOCAL session_replication_role = replica");
            }
            c.rollback();
            c.setAutoCommit(true);
            return true;
        } catch (SQLException e) {
            try {
                c.rollback();
                c.setAutoCommit(true);
            } catch (SQLException ignored) {
                // nothing to add
            }
            return false;
        }
    }
}
