package dev.tandem.demo;

import dev.tandem.db.ConnectionConfig;
import dev.tandem.sql.Ident;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The simulated application: an open-loop load generator. A scheduler thread issues requests at
 * fixed times ({@code rate} per second, whatever happens to earlier ones); a small fixed pool of
 * worker threads, one connection each, runs them in order. A request's latency is measured from its
 * scheduled time, so a stall shows as queueing latency for every request behind it, as users of a
 * real application would feel it.
 * <p>Each request is counted in the {@link PhaseStats} that was current when it was scheduled, and is
 * sent by a new-version client with the current probability {@code newFraction}. A third thread
 * samples {@code pg_stat_activity} every {@value #SAMPLE_MS} ms for the pool's backends waiting on a
 * lock (heavyweight locks: relation, tuple, transactionid) and records the longest wait seen; waits
 * shorter than the sampling interval may be missed.
 * <p>Not handled: retries (a failed request counts as failed), transactions of several statements.
 */
final class Traffic implements AutoCloseable {
    static final String APPLICATION_NAME = "tandem-demo-app";
    static final int SAMPLE_MS = 10;

    /** Share of each operation: 60 % point reads, 15 % inserts, 25 % updates. */
    private static final double READS = 0.60;
    private static final double INSERTS = 0.15;

    private record Request(long scheduledNs, Workload.Op op, Workload.Version version, PhaseStats stats) {}

    private static final Request STOP = new Request(0, null, null, null);

    private final ConnectionConfig config;
    private final String schema;
    private final Workload workload;
    private final int rate;
    private final int poolSize;
    private final LinkedBlockingQueue<Request> queue = new LinkedBlockingQueue<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile PhaseStats current;
    private volatile double newFraction;
    private volatile boolean running;

    Traffic(ConnectionConfig config, String schema, Workload workload, int rate, int poolSize) {
        this.config = config;
        this.schema = schema;
        this.workload = workload;
        this.rate = rate;
        this.poolSize = poolSize;
    }

    /** Opens the pool and starts sending requests, counted in {@code first}. */
    void start(PhaseStats first) throws SQLException {
        current = first;
        newFraction = first.newFraction();
        List<Connection> pool = new ArrayList<>();
        try {
            for (int i = 0; i < poolSize; i++) {
                pool.add(open());
            }
            Connection sampler = open();
            pool.add(sampler);
            workload.prepare(pool.get(0));
        } catch (SQLException | RuntimeException e) {
            for (Connection c : pool) {
                closeQuietly(c);
            }
            throw e;
        }
        running = true;
        SplittableRandom seeds = new SplittableRandom(); // values (emails) must differ between runs
        for (int i = 0; i < poolSize; i++) {
            Connection c = pool.get(i);
            SplittableRandom rnd = seeds.split();
            threads.add(daemon("demo-worker-" + i, () -> work(c, rnd)));
        }
        Connection samplerConnection = pool.get(poolSize);
        threads.add(daemon("demo-lock-sampler", () -> sample(samplerConnection)));
        threads.add(daemon("demo-scheduler", this::schedule));
        threads.forEach(Thread::start);
    }

    /** From now on, requests are counted in {@code stats} and sent with its mix of versions. */
    void phase(PhaseStats stats) {
        newFraction = stats.newFraction();
        current = stats;
    }

    /** Stops scheduling, lets the workers finish every request already scheduled, closes the pool. */
    @Override
    public void close() {
        if (!running) {
            return;
        }
        running = false;
        Thread scheduler = threads.get(threads.size() - 1);
        join(scheduler);
        for (int i = 0; i < poolSize; i++) {
            queue.add(STOP);
        }
        for (Thread t : threads) {
            join(t);
        }
    }

    private Connection open() throws SQLException {
        Connection c = config.open();
        try (Statement s = c.createStatement()) {
            s.execute("SET application_name = " + Ident.literal(APPLICATION_NAME));
            s.execute("SET search_path = " + Ident.quote(schema));
        }
        return c;
    }

    private void schedule() {
        SplittableRandom rnd = new SplittableRandom(42);
        long period = 1_000_000_000L / rate;
        long next = System.nanoTime();
        while (running) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
                continue;
            }
            double r = rnd.nextDouble();
            Workload.Op op = r < READS ? Workload.Op.READ : r < READS + INSERTS ? Workload.Op.INSERT : Workload.Op.UPDATE;
            Workload.Version v = rnd.nextDouble() < newFraction ? Workload.Version.NEW : Workload.Version.OLD;
            queue.add(new Request(next, op, v, current));
            next += period;
        }
    }

    private void work(Connection c, SplittableRandom rnd) {
        Connection conn = c;
        try {
            while (true) {
                Request r = queue.take();
                if (r == STOP) {
                    return;
                }
                String error = null;
                try {
                    workload.execute(conn, r.op(), r.version(), rnd);
                } catch (SQLException | RuntimeException e) {
                    error = r.version().name().toLowerCase(java.util.Locale.ROOT) + " " + r.op().name().toLowerCase(java.util.Locale.ROOT)
                            + ": " + firstLine(e.getMessage() == null ? e.toString() : e.getMessage());
                    conn = reopenIfBroken(conn);
                }
                r.stats().record((System.nanoTime() - r.scheduledNs()) / 1000, r.op() == Workload.Op.READ, error);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeQuietly(conn);
        }
    }

    private void sample(Connection c) {
        String sql = "SELECT (extract(epoch FROM clock_timestamp() - query_start) * 1000)::bigint, wait_event"
                + " FROM pg_stat_activity WHERE application_name = ? AND wait_event_type = 'Lock'"
                + " AND datname = current_database() ORDER BY query_start LIMIT 1";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, APPLICATION_NAME);
            while (running) {
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next() && rs.getLong(1) > 0) {
                        current.lockWait(rs.getLong(1), rs.getString(2));
                    }
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(SAMPLE_MS));
            }
        } catch (SQLException e) {
            System.err.println("tandem demo: lock sampler stopped: " + e.getMessage());
        } finally {
            closeQuietly(c);
        }
    }

    private Connection reopenIfBroken(Connection c) {
        try {
            if (c.isValid(1)) {
                return c;
            }
        } catch (SQLException ignored) {
            // fall through: reopen
        }
        closeQuietly(c);
        try {
            return open();
        } catch (SQLException | RuntimeException e) {
            return c;
        }
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static Thread daemon(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private static void join(Thread t) {
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // closing a broken connection
        }
    }
}
