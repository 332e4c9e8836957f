package dev.tandem.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.backfill.BackfillOptions;
import dev.tandem.plan.Phase;
import dev.tandem.testing.LifecycleDriver;
import dev.tandem.testing.SampleSchema;
import dev.tandem.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Randomized old-app and new-app writers on real threads and connections while Tandem applies
 * dual-write, backfill (small batches, so it interleaves with the writers) and switch-reads of
 * {@code rename_column users.full_name -> display_name}. The writers must never see an SQL error,
 * and afterwards every row must have {@code display_name = full_name}.
 * <p>Timeline of one scenario:
 * <ol>
 *   <li>expand is applied; the two old-app writers start (the old app runs throughout);</li>
 *   <li>dual-write is applied while the old-app writers run;</li>
 *   <li>the two new-app writers start. They cannot start earlier: before the sync trigger exists
 *       an insert that writes only display_name violates full_name's NOT NULL, and an update of
 *       display_name would be overwritten by the backfill — which is why the plan tells teams to
 *       roll out the new version only after backfill; starting it right after dual-write is
 *       already the earliest safe moment;</li>
 *   <li>backfill, then switch-reads, are applied while all four writers run.</li>
 * </ol>
 * Each writer does a fixed number of operations from its own fixed seed (the sequence of
 * operations and values is reproducible; the interleaving is up to the scheduler). Errors are only
 * recorded — a writer neither retries nor stops — and reported together.
 */
class DualWriteConcurrencyTest {
    static final int USERS = 1000;
    static final int OPS = 400;
    static final BackfillOptions SMALL_BATCHES = new BackfillOptions(50, 2000, 60_000, 10);

    @TempDir
    Path changelog;

    @Test
    @DisplayName("writers that do not say which version they are (the trigger's heuristics decide)")
    void heuristicWriters() throws Exception {
        scenario("heuristic", false, 1_000L);
    }

    @Test
    @DisplayName("writers that SET tandem.version = 'old' / 'new' on their sessions")
    void explicitVersionWriters() throws Exception {
        scenario("explicit", true, 2_000L);
    }

    private void scenario(String name, boolean explicitVersion, long seedBase) throws Exception {
        TestDatabase db = TestDatabase.create("dualwrite_" + name);
        try (Connection c = db.connect()) {
            SampleSchema.load(c);
            SampleSchema.seed(c, USERS);
            List<UUID> seeded = ids(c);
            LifecycleDriver tandem = LifecycleDriver.renameFullName(db, changelog).withBackfill(SMALL_BATCHES);
            tandem.apply(Phase.EXPAND);

            Run run = new Run();
            List<Writer> olds = List.of(
                    new Writer(run, "old-1", false, explicitVersion, seedBase + 1, db.connect(), seeded),
                    new Writer(run, "old-2", false, explicitVersion, seedBase + 2, db.connect(), seeded));
            List<Writer> news = List.of(
                    new Writer(run, "new-1", true, explicitVersion, seedBase + 3, db.connect(), seeded),
                    new Writer(run, "new-2", true, explicitVersion, seedBase + 4, db.connect(), seeded));
            List<Writer> all = new ArrayList<>(olds);
            all.addAll(news);
            try {
                olds.forEach(Thread::start);
                run.await(run.oldOps, 2 * 50, olds);

                run.stage("dual-write");
                tandem.apply(Phase.DUAL_WRITE);
                run.stage("after dual-write");
                news.forEach(Thread::start);
                run.await(run.newOps, 2 * 25, news);

                run.stage("backfill");
                tandem.apply(Phase.BACKFILL);
                run.stage("after backfill");
                run.stage("switch-reads");
                tandem.advance(Phase.SWITCH_READS);
                run.stage("after switch-reads");
            } finally {
                for (Writer w : all) {
                    w.join(60_000);
                }
                for (Writer w : all) {
                    w.closeQuietly();
                }
            }
            for (Writer w : all) {
                assertFalse(w.isAlive(), w.getName() + " did not finish");
            }

            System.out.println("[" + name + "] operations completed per stage: " + new TreeMap<>(run.perStage));
            List<String> errors = new ArrayList<>(run.errors);
            assertEquals(List.of(), errors, name + ": writers saw SQL errors (" + errors.size() + ")");
            for (Writer w : all) {
                assertEquals(OPS, w.done, w.getName() + " (seed " + w.seed + ") did all its operations");
            }
            assertTrue(run.perStage.getOrDefault("backfill", new AtomicInteger()).get() > 0,
                    "writes ran while the backfill did (per stage: " + run.perStage + ")");
            assertEquals(0L, count(c, "SELECT count(*) FROM users WHERE display_name IS DISTINCT FROM full_name"),
                    name + ": rows where display_name differs from full_name");
            assertEquals(0L, count(c, "SELECT count(*) FROM users WHERE display_name IS NULL"), name + ": rows without display_name");
            assertEquals((long) USERS + run.inserted.get(), count(c, "SELECT count(*) FROM users"), name + ": every insert is there");
        }
    }

    /** What all writers of one scenario share. */
    static final class Run {
        final AtomicReference<String> stage = new AtomicReference<>("after expand");
        final Map<String, AtomicInteger> perStage = new ConcurrentHashMap<>();
        final List<String> errors = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger oldOps = new AtomicInteger();
        final AtomicInteger newOps = new AtomicInteger();
        final AtomicInteger inserted = new AtomicInteger();

        void stage(String s) {
            stage.set(s);
        }

        /** Waits until the writers did {@code target} operations in all, or all of them ended. */
        void await(AtomicInteger ops, int target, List<Writer> writers) throws InterruptedException {
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (ops.get() < target && writers.stream().anyMatch(Thread::isAlive) && System.nanoTime() < deadline) {
                Thread.sleep(2);
            }
        }
    }

    /**
     * One application instance: the old version inserts with full_name only and updates full_name;
     * the new version inserts with display_name only and updates display_name. Updates go to a
     * random seeded row or a row this writer inserted.
     */
    static final class Writer extends Thread {
        final Run run;
        final boolean newApp;
        final long seed;
        final Connection conn;
        final List<UUID> targets;
        final boolean explicitVersion;
        volatile int done;

        Writer(Run run, String name, boolean newApp, boolean explicitVersion, long seed, Connection conn, List<UUID> seeded) {
            super(name);
            setDaemon(true);
            this.run = run;
            this.newApp = newApp;
            this.explicitVersion = explicitVersion;
            this.seed = seed;
            this.conn = conn;
            this.targets = new ArrayList<>(seeded);
        }

        @Override
        public void run() {
            Random rnd = new Random(seed);
            String column = newApp ? "display_name" : "full_name";
            String insertSql = "INSERT INTO users (email, " + column + ", password_hash) VALUES (?, ?, 'hash') RETURNING id";
            String updateSql = "UPDATE users SET " + column + " = ? WHERE id = ?";
            try {
                if (explicitVersion) {
                    try (Statement s = conn.createStatement()) {
                        s.execute("SET tandem.version = '" + (newApp ? "new" : "old") + "'");
                    }
                }
            } catch (SQLException e) {
                run.errors.add(getName() + " (seed " + seed + ") setting tandem.version: " + e.getSQLState() + " " + e.getMessage());
            }
            for (int i = 0; i < OPS; i++) {
                String stage = run.stage.get();
                boolean insert = rnd.nextInt(10) < 3;
                String value = getName() + " op " + i + " " + NAMES[rnd.nextInt(NAMES.length)];
                UUID target = targets.get(rnd.nextInt(targets.size()));
                int pause = rnd.nextInt(3);
                try {
                    if (insert) {
                        try (PreparedStatement ps = conn.prepareStatement(insertSql)) {
                            ps.setString(1, getName() + "-" + seed + "-" + i + "@writers.test");
                            ps.setString(2, value);
                            try (ResultSet rs = ps.executeQuery()) {
                                rs.next();
                                targets.add(rs.getObject(1, UUID.class));
                            }
                        }
                        run.inserted.incrementAndGet();
                    } else {
                        try (PreparedStatement ps = conn.prepareStatement(updateSql)) {
                            ps.setString(1, value);
                            ps.setObject(2, target);
                            int n = ps.executeUpdate();
                            if (n != 1) {
                                run.errors.add(getName() + " (seed " + seed + ") op " + i + " in stage " + stage + ": updated " + n + " rows");
                            }
                        }
                    }
                    run.perStage.computeIfAbsent(stage, k -> new AtomicInteger()).incrementAndGet();
                } catch (SQLException e) {
                    run.errors.add(getName() + " (seed " + seed + ") op " + i + " (" + (insert ? "insert" : "update") + ") in stage "
                            + stage + ": " + e.getSQLState() + " " + e.getMessage());
                }
                done = i + 1;
                (newApp ? run.newOps : run.oldOps).incrementAndGet();
                if (pause > 0) {
                    try {
                        Thread.sleep(pause);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }

        void closeQuietly() {
            try {
                conn.close();
            } catch (SQLException ignored) {
                // the test reports what matters
            }
        }
    }

    /** Values with apostrophes, non-ASCII letters and several words, like the seed's names. */
    static final String[] NAMES = {"Ada O'Brien", "Zoë Müller", "José García", "美咲 山田", "Ana María Dvořák", "Seán", "Björk D'Angelo"};

    private static List<UUID> ids(Connection c) throws SQLException {
        List<UUID> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT id FROM users ORDER BY id")) {
            while (rs.next()) {
                out.add(rs.getObject(1, UUID.class));
            }
        }
        return out;
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
