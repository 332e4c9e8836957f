package dev.tandem.backfill;

import dev.tandem.TandemException;
import dev.tandem.db.ConnectionConfig;
import dev.tandem.plan.BackfillSpec;
import dev.tandem.plan.Phase;
import dev.tandem.sql.Ident;
import dev.tandem.sql.QualifiedName;
import dev.tandem.state.StateSchema;
import dev.tandem.state.StateStore;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * {@code tandem bench backfill}: for each size N, builds two identical tables of N rows
 * ({@code id bigint} primary key, {@code old_value text}, empty {@code new_value text}) in schema
 * {@code tandem_bench}, times one {@code UPDATE t SET new_value = old_value} on the first and
 * Tandem's backfill (copy, verify, analyze) on the second, and reports rows/s of both, their ratio
 * and the peak heap of this JVM during the backfill. Autovacuum is off on both tables, so the
 * cleanup of one run does not slow the other down. The tables are dropped afterwards.
 * <p>It measures one table shape on one server; it is a figure to compare, not a promise. It never
 * runs under traffic (see the demo for that).
 */
public final class BackfillBench {
    /** One measured size. */
    public record Run(long rows, double updateRowsPerS, double backfillRowsPerS, double ratio, double peakHeapMb,
                      double updateSeconds, double backfillSeconds, long batches) {}

    private static final String SCHEMA = "tandem_bench";
    private static final String STATE = "tandem_bench_state";

    private final ConnectionConfig config;
    private final BackfillOptions options;
    private final Consumer<String> log;

    public BackfillBench(ConnectionConfig config, BackfillOptions options, Consumer<String> log) {
        this.config = config;
        this.options = options;
        this.log = log;
    }

    public List<Run> run(List<Long> sizes) throws SQLException {
        List<Run> out = new ArrayList<>();
        try (Connection c = config.open()) {
            exec(c, "CREATE SCHEMA IF NOT EXISTS " + Ident.quote(SCHEMA));
            StateSchema.migrate(c, STATE);
            for (long n : sizes) {
                out.add(one(c, n));
            }
            exec(c, "DROP SCHEMA " + Ident.quote(SCHEMA) + " CASCADE");
            exec(c, "DROP SCHEMA " + Ident.quote(STATE) + " CASCADE");
        }
        return out;
    }

    private Run one(Connection c, long n) throws SQLException {
        QualifiedName plain = new QualifiedName(SCHEMA, "bench_update");
        QualifiedName tandem = new QualifiedName(SCHEMA, "bench_backfill");
        for (QualifiedName t : List.of(plain, tandem)) {
            exec(c, "DROP TABLE IF EXISTS " + t.sql());
            exec(c, "CREATE TABLE " + t.sql() + " (id bigint PRIMARY KEY, old_value text NOT NULL, new_value text)"
                    + " WITH (autovacuum_enabled = off)");
            log.accept(String.format("bench: loading %,d rows into %s", n, t.sql()));
            exec(c, "INSERT INTO " + t.sql() + " SELECT g, md5(g::text), NULL FROM generate_series(1, " + n + ") g");
            exec(c, "VACUUM ANALYZE " + t.sql());
        }
        checkpoint(c);
        log.accept(String.format("bench: one UPDATE of %,d rows", n));
        long t0 = System.nanoTime();
        exec(c, "UPDATE " + plain.sql() + " SET new_value = old_value");
        double updateS = (System.nanoTime() - t0) / 1e9;
        checkpoint(c);

        String id = "bench_" + n;
        StateStore store = new StateStore(STATE, "tandem bench");
        exec(c, "DELETE FROM " + Ident.quote(STATE) + ".migrations WHERE id = " + dev.tandem.sql.Ident.literal(id));
        store.start(c, id, "bench", "tandem bench backfill", "{}");
        BackfillSpec spec = new BackfillSpec(tandem, List.of("id"),
                List.of(new BackfillSpec.Assignment("new_value", Ident.quote("old_value"))));
        log.accept(String.format("bench: Tandem backfill of %,d rows", n));
        System.gc();
        List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP).toList();
        heap.forEach(MemoryPoolMXBean::resetPeakUsage);
        t0 = System.nanoTime();
        Backfiller.Result r = new Backfiller(store, options, log, config::open).run(c, id, Phase.BACKFILL, 0, spec);
        double backfillS = (System.nanoTime() - t0) / 1e9;
        double peakMb = heap.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum() / (1024.0 * 1024.0);
        long wrong = count(c, "SELECT count(*) FROM " + tandem.sql() + " WHERE new_value IS DISTINCT FROM old_value");
        if (wrong != 0 || r.rowsCopied() != n) {
            throw new TandemException(TandemException.CHECK_FAILED, "bench: the backfill left " + wrong + " rows different and copied "
                    + r.rowsCopied() + " of " + n);
        }
        for (QualifiedName t : List.of(plain, tandem)) {
            exec(c, "DROP TABLE " + t.sql());
        }
        double u = n / updateS;
        double b = n / backfillS;
        return new Run(n, u, b, b / u, peakMb, updateS, backfillS, r.batches());
    }

    private static void checkpoint(Connection c) {
        try {
            exec(c, "CHECKPOINT");
        } catch (SQLException e) {
            // not a superuser: the runs share whatever checkpoint timing the server has
        }
    }

    private static void exec(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
