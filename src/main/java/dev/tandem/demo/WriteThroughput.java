package dev.tandem.demo;

import dev.tandem.db.ConnectionConfig;
import dev.tandem.sql.Ident;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Closed-loop write throughput of old-version clients (inserts and updates alternating, as fast as
 * {@code connections} sessions can go) for a fixed time: run once without and once with the sync
 * trigger, it gives the trigger's cost on application writes.
 * <p>Not a general benchmark: one table, autocommit statements, no think time.
 */
final class WriteThroughput {
    private WriteThroughput() {}

    /** Writes per second; fails if any write fails (the writes must work with and without the trigger). */
    static double measure(ConnectionConfig config, String schema, Workload workload, int connections, double seconds)
            throws SQLException, InterruptedException {
        List<Connection> pool = new ArrayList<>();
        try {
            for (int i = 0; i < connections; i++) {
                Connection c = config.open();
                pool.add(c);
                try (Statement s = c.createStatement()) {
                    s.execute("SET application_name = " + Ident.literal(Traffic.APPLICATION_NAME));
                    s.execute("SET search_path = " + Ident.quote(schema));
                }
            }
            workload.prepare(pool.get(0));
            AtomicLong writes = new AtomicLong();
            AtomicReference<Exception> failure = new AtomicReference<>();
            long deadline = System.nanoTime() + (long) (seconds * 1e9);
            List<Thread> threads = new ArrayList<>();
            SplittableRandom seeds = new SplittableRandom(); // inserted emails must differ between runs
            long start = System.nanoTime();
            for (int i = 0; i < connections; i++) {
                Connection c = pool.get(i);
                SplittableRandom rnd = seeds.split();
                Thread t = new Thread(() -> {
                    long n = 0;
                    try {
                        while (System.nanoTime() < deadline && failure.get() == null) {
                            workload.execute(c, n % 2 == 0 ? Workload.Op.UPDATE : Workload.Op.INSERT, Workload.Version.OLD, rnd);
                            n++;
                            writes.incrementAndGet();
                        }
                    } catch (SQLException | RuntimeException e) {
                        failure.compareAndSet(null, e);
                    }
                }, "demo-writer-" + i);
                threads.add(t);
                t.start();
            }
            for (Thread t : threads) {
                t.join();
            }
            double elapsed = (System.nanoTime() - start) / 1e9;
            if (failure.get() != null) {
                throw new SQLException("a write failed while measuring write throughput: " + failure.get().getMessage(), failure.get());
            }
            return writes.get() / elapsed;
        } finally {
            for (Connection c : pool) {
                try {
                    c.close();
                } catch (SQLException ignored) {
                    // nothing to do
                }
            }
        }
    }
}
