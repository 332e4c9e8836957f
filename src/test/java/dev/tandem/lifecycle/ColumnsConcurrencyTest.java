package dev.tandem.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.backfill.BackfillOptions;
import dev.tandem.plan.Phase;
import dev.tandem.testing.Db;
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
 * Randomized old-app and new-app writers on real connections while Tandem applies dual-write,
 * backfill (small batches, interleaved with the writers) and switch-reads of {@code split_column}
 * and of {@code add_column … up}. No writer may see an SQL error; afterwards every row satisfies
 * new = up(old), and for split also old = down(new) (the writers stay in the domain where the two
 * are inverse: single spaces, a one-word first name).
 * <p>Timeline as in {@link DualWriteConcurrencyTest}: old writers from expand on, new writers from
 * dual-write on; each writer does a fixed number of operations from its own seed.
 */
class ColumnsConcurrencyTest {
    static final int USERS = 600;
    static final int OPS = 300;
    static final BackfillOptions SMALL_BATCHES = new BackfillOptions(40, 2000, 60_000, 10);
    static final String[] WORDS = {"Ada", "O'Brien", "Zoë", "Müller", "José", "García", "美咲", "Dvořák", "Seán", "D'Angelo"};

    @TempDir
    Path changelog;

    /** One write of one application version; {@code targets} holds ids it may update. */
    interface Op {
        void run(Connection c, Random rnd, String unique, List<UUID> targets) throws SQLException;
    }

    @Test
    @DisplayName("split_column users.full_name: new = up(old) and old = down(new) on every row after concurrent writes")
    void splitColumn() throws Exception {
        split(false);
    }

    @Test
    @DisplayName("split_column with writers that SET tandem.version = 'old' / 'new' on their sessions")
    void splitColumnExplicitVersion() throws Exception {
        split(true);
    }

    private void split(boolean explicit) throws Exception {
        Op old = (c, rnd, u, targets) -> {
            String name = words(rnd, 1 + rnd.nextInt(3));
            if (rnd.nextInt(10) < 3) {
                targets.add(Rows.insert(c, "INSERT INTO users (email, full_name, password_hash) VALUES (?, ?, 'h') RETURNING id", u + "@w.test", name));
            } else {
                expectOne(Rows.write(c, "UPDATE users SET full_name = ? WHERE id = ?", pick(rnd, targets), name));
            }
        };
        Op neu = (c, rnd, u, targets) -> {
            String first = words(rnd, 1);
            String last = words(rnd, 1 + rnd.nextInt(2));
            int kind = rnd.nextInt(10);
            if (kind < 3) {
                targets.add(Rows.insert(c, "INSERT INTO users (email, first_name, last_name, password_hash) VALUES (?, ?, ?, 'h') RETURNING id",
                        u + "@w.test", first, last));
            } else if (kind < 6) {
                expectOne(Rows.write(c, "UPDATE users SET first_name = ? WHERE id = ?", pick(rnd, targets), first));
            } else {
                expectOne(Rows.write(c, "UPDATE users SET first_name = ?, last_name = ? WHERE id = ?", pick(rnd, targets), first, last));
            }
        };
        TestDatabase db = scenario(explicit ? "split_explicit" : "split", SplitColumnLifecycleTest.YAML,
                explicit ? versioned("old", old) : old, explicit ? versioned("new", neu) : neu);
        try (Connection c = db.connect()) {
            assertEquals(0L, Db.count(c, "SELECT count(*) FROM users WHERE first_name IS DISTINCT FROM split_part(full_name, ' ', 1)"
                    + " OR last_name IS DISTINCT FROM substr(full_name, length(split_part(full_name, ' ', 1)) + 2)"), "rows where new <> up(old)");
            assertEquals(0L, Db.count(c, "SELECT count(*) FROM users WHERE full_name IS DISTINCT FROM concat_ws(' ', first_name, nullif(last_name, ''))"),
                    "rows where old <> down(new)");
        }
    }

    @Test
    @DisplayName("add_column users.email_domain with up: new = up(old) on every row after concurrent writes")
    void addColumnWithUp() throws Exception {
        String yaml = """
                changes:
                  - add_column:
                      table: users
                      column: {name: email_domain, type: text, nullable: false}
                      up: "lower(split_part(email, '@', 2))"
                """;
        Op old = (c, rnd, u, targets) -> {
            String email = u + "@" + words(rnd, 1).toUpperCase() + ".test";
            if (rnd.nextInt(10) < 3) {
                targets.add(Rows.insert(c, "INSERT INTO users (email, full_name, password_hash) VALUES (?, 'Old', 'h') RETURNING id", email));
            } else {
                expectOne(Rows.write(c, "UPDATE users SET email = ? WHERE id = ?", pick(rnd, targets), email));
            }
        };
        Op neu = (c, rnd, u, targets) -> {
            String domain = words(rnd, 1).toLowerCase() + ".test";
            String email = u + "@" + domain;
            int kind = rnd.nextInt(10);
            if (kind < 3) {
                targets.add(Rows.insert(c, "INSERT INTO users (email, full_name, password_hash, email_domain) VALUES (?, 'New', 'h', ?) RETURNING id",
                        email, domain));
            } else if (kind < 6) {
                expectOne(Rows.write(c, "UPDATE users SET email = ?, email_domain = ? WHERE id = ?", pick(rnd, targets), email, domain));
            } else {
                expectOne(Rows.write(c, "UPDATE users SET full_name = ? WHERE id = ?", pick(rnd, targets), words(rnd, 2)));
            }
        };
        TestDatabase db = scenario("add", yaml, old, neu);
        try (Connection c = db.connect()) {
            assertEquals(0L, Db.count(c, "SELECT count(*) FROM users WHERE email_domain IS DISTINCT FROM lower(split_part(email, '@', 2))"),
                    "rows where new <> up(old)");
            assertTrue(Rows.notNull(c, "users", "email_domain"));
        }
    }

    /** The op on a session that says which version it is (set once per connection, before its first write). */
    private static Op versioned(String version, Op op) {
        java.util.Set<Connection> said = java.util.concurrent.ConcurrentHashMap.newKeySet();
        return (c, rnd, u, targets) -> {
            if (said.add(c)) {
                Db.exec(c, "SET tandem.version = '" + version + "'");
            }
            op.run(c, rnd, u, targets);
        };
    }

    private TestDatabase scenario(String name, String yaml, Op oldOp, Op newOp) throws Exception {
        TestDatabase db = TestDatabase.create("columns_concurrent_" + name);
        try (Connection c = db.connect()) {
            SampleSchema.load(c);
            SampleSchema.seed(c, USERS);
            List<UUID> seeded = new ArrayList<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT id FROM users ORDER BY id")) {
                while (rs.next()) {
                    seeded.add(rs.getObject(1, UUID.class));
                }
            }
            LifecycleDriver tandem = LifecycleDriver.forMigration(db, changelog, "0001_" + name, yaml).withBackfill(SMALL_BATCHES);
            tandem.apply(Phase.EXPAND);
            Run run = new Run();
            List<Writer> olds = List.of(new Writer(run, "old-1", oldOp, 11, db.connect(), seeded), new Writer(run, "old-2", oldOp, 12, db.connect(), seeded));
            List<Writer> news = List.of(new Writer(run, "new-1", newOp, 13, db.connect(), seeded), new Writer(run, "new-2", newOp, 14, db.connect(), seeded));
            List<Writer> all = new ArrayList<>(olds);
            all.addAll(news);
            try {
                olds.forEach(Thread::start);
                run.await(40, olds);
                run.stage.set("dual-write");
                tandem.apply(Phase.DUAL_WRITE);
                run.stage.set("after dual-write");
                news.forEach(Thread::start);
                run.await(80, all);
                run.stage.set("backfill");
                tandem.apply(Phase.BACKFILL);
                run.stage.set("switch-reads");
                tandem.advance(Phase.SWITCH_READS);
                run.stage.set("after switch-reads");
            } finally {
                for (Writer w : all) {
                    w.join(60_000);
                    w.close();
                }
            }
            for (Writer w : all) {
                assertFalse(w.isAlive(), w.getName() + " did not finish");
            }
            System.out.println("[" + name + "] operations per stage: " + new TreeMap<>(run.perStage));
            assertEquals(List.of(), new ArrayList<>(run.errors), name + ": writers saw SQL errors");
            assertTrue(run.perStage.getOrDefault("backfill", new AtomicInteger()).get() > 0, "writes ran during the backfill: " + run.perStage);
        }
        return db;
    }

    static final class Run {
        final AtomicReference<String> stage = new AtomicReference<>("after expand");
        final Map<String, AtomicInteger> perStage = new ConcurrentHashMap<>();
        final List<String> errors = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger ops = new AtomicInteger();

        void await(int target, List<Writer> writers) throws InterruptedException {
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (ops.get() < target && writers.stream().anyMatch(Thread::isAlive) && System.nanoTime() < deadline) {
                Thread.sleep(2);
            }
        }
    }

    static final class Writer extends Thread {
        final Run run;
        final Op op;
        final long seed;
        final Connection conn;
        final List<UUID> targets;

        Writer(Run run, String name, Op op, long seed, Connection conn, List<UUID> seeded) {
            super(name);
            setDaemon(true);
            this.run = run;
            this.op = op;
            this.seed = seed;
            this.conn = conn;
            this.targets = new ArrayList<>(seeded);
        }

        @Override
        public void run() {
            Random rnd = new Random(seed);
            for (int i = 0; i < OPS; i++) {
                String stage = run.stage.get();
                try {
                    op.run(conn, rnd, getName() + "-" + i, targets);
                    run.perStage.computeIfAbsent(stage, k -> new AtomicInteger()).incrementAndGet();
                } catch (SQLException | RuntimeException e) {
                    run.errors.add(getName() + " (seed " + seed + ") op " + i + " in " + stage + ": " + e.getMessage());
                }
                run.ops.incrementAndGet();
                try {
                    Thread.sleep(rnd.nextInt(3));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }

        void close() throws SQLException {
            conn.close();
        }
    }

    static String words(Random rnd, int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(WORDS[rnd.nextInt(WORDS.length)]);
        }
        return String.join(" ", out);
    }

    static UUID pick(Random rnd, List<UUID> targets) {
        return targets.get(rnd.nextInt(targets.size()));
    }

    static void expectOne(int rows) {
        if (rows != 1) {
            throw new IllegalStateException("updated " + rows + " rows, expected 1");
        }
    }
}
