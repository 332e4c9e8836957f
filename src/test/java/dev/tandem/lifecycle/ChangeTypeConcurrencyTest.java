package dev.tandem.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.backfill.BackfillOptions;
import dev.tandem.plan.Phase;
import dev.tandem.sql.Ident;
import dev.tandem.sql.Names;
import dev.tandem.testing.Db;
import dev.tandem.testing.LifecycleDriver;
import dev.tandem.testing.SampleSchema;
import dev.tandem.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Randomized writers on their own connections while Tandem applies dual-write, backfill (small
 * batches, interleaved with the writes) and switch-reads (the swap), and for a while after it, of
 * {@code change_column_type tasks.priority integer -> bigint} (a missed or stale sync shows as a
 * value that differs). Both application versions write the same column, {@code priority}; the writers insert
 * (with and without priority), update priority, update other columns only, and delete; two of
 * them set {@code tandem.version} (old / new), which a same-name type change must ignore. No writer
 * may see an error, and every row must satisfy new = up(old): while the writers still run after the
 * backfill, and at the end (after the swap, old = down(new)).
 */
class ChangeTypeConcurrencyTest {
    static final String ID = "0001_priority_random";
    static final int USERS = 150;
    /** Operations each writer does after the swap. */
    static final int OPS = 150;

    @TempDir
    Path changelog;

    @Test
    @DisplayName("random old/new writers during dual-write, backfill and the swap: no error, new = up(old) on every row")
    void randomWritersKeepNewEqualToUpOfOld() throws Exception {
        TestDatabase db = TestDatabase.create("retype_concurrency");
        try (Connection c = db.connect()) {
            SampleSchema.load(c);
            SampleSchema.seed(c, USERS);
            LifecycleDriver tandem = LifecycleDriver.forMigration(db, changelog, ID, """
                    changes:
                      - change_column_type: {table: tasks, column: priority, type: bigint, up: "priority::bigint", down: "priority::integer"}
                    """).withBackfill(new BackfillOptions(25, 2000, 60_000, 5));
            String shadow = Ident.quote(Names.bounded("tandem_new", ID, "priority"));
            String old = Ident.quote(Names.bounded("tandem_old", ID, "priority"));
            tandem.apply(Phase.EXPAND);

            AtomicReference<String> stage = new AtomicReference<>("expand");
            List<String> errors = Collections.synchronizedList(new ArrayList<>());
            AtomicInteger duringBackfill = new AtomicInteger();
            AtomicInteger swappedOps = new AtomicInteger();
            List<Thread> writers = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                long seed = 7_000L + w;
                Connection conn = db.connect();
                Thread t = new Thread(() -> write(conn, seed, stage, errors, duringBackfill, swappedOps), "writer-" + w);
                t.setDaemon(true);
                writers.add(t);
            }
            writers.forEach(Thread::start);
            try {
                stage.set("dual-write");
                tandem.apply(Phase.DUAL_WRITE);
                stage.set("backfill");
                tandem.apply(Phase.BACKFILL);
                stage.set("after backfill");
                assertEquals(0L, Db.count(c, "SELECT count(*) FROM tasks WHERE " + shadow + " IS DISTINCT FROM priority::bigint"),
                        "rows where new <> up(old) after the backfill, writers still running");
                stage.set("switch-reads");
                tandem.advance(Phase.SWITCH_READS);
                stage.set("after switch-reads");
            } finally {
                for (Thread t : writers) {
                    t.join(120_000);
                }
            }
            writers.forEach(t -> assertFalse(t.isAlive(), t.getName() + " did not finish"));
            assertEquals(List.of(), errors, "writers saw errors");
            assertTrue(duringBackfill.get() > 0, "some writes ran while the backfill did");
            assertTrue(swappedOps.get() >= 4 * OPS, "writes ran after the swap: " + swappedOps.get());
            assertEquals("bigint", Db.scalar(c, "SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'tasks'::regclass AND attname = 'priority'"));
            assertEquals(0L, Db.count(c, "SELECT count(*) FROM tasks WHERE priority IS DISTINCT FROM " + old + "::bigint"),
                    "rows where new <> up(old) after the swap");
            assertEquals(0L, Db.count(c, "SELECT count(*) FROM tasks WHERE " + old + " IS DISTINCT FROM priority::integer"),
                    "rows where old <> down(new) after the swap");
        }
    }

    /**
     * One application instance: before the swap priority is the old column, after it the new one;
     * an insert without priority takes the default (which moves with the swap).
     */
    private static void write(Connection conn, long seed, AtomicReference<String> stage, List<String> errors, AtomicInteger duringBackfill,
            AtomicInteger swappedOps) {
        Random rnd = new Random(seed);
        List<UUID> mine = new ArrayList<>();
        try (conn) {
            if (seed % 4 >= 2) {
                // a session that says which version it is must not change anything: both write the same column
                Db.exec(conn, "SET tandem.version = '" + (seed % 4 == 2 ? "old" : "new") + "'");
            }
            List<UUID> targets = new ArrayList<>();
            try (PreparedStatement ps = conn.prepareStatement("SELECT id FROM tasks ORDER BY id LIMIT 200 OFFSET ?")) {
                ps.setInt(1, (int) (seed % 4) * 200);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        targets.add((UUID) rs.getObject(1));
                    }
                }
            }
            int afterSwap = 0;
            for (int i = 0; afterSwap < OPS && i < 50_000; i++) {
                String s = stage.get();
                boolean swapped = s.equals("after switch-reads");
                long value = 1 + rnd.nextInt(5);
                List<UUID> pool = mine.isEmpty() || rnd.nextBoolean() ? targets : mine;
                UUID target = pool.get(rnd.nextInt(pool.size()));
                int op = rnd.nextInt(6);
                try {
                    switch (op) {
                        case 0 -> mine.add(insert(conn, "INSERT INTO tasks (project_id, title, priority) SELECT project_id, 'w', ? FROM tasks WHERE id = ? RETURNING id", value, target));
                        case 1 -> mine.add(insert(conn, "INSERT INTO tasks (project_id, title) SELECT project_id, 'd' FROM tasks WHERE id = ? RETURNING id", null, target));
                        case 2, 3 -> update(conn, "UPDATE tasks SET priority = ? WHERE id = ?", value, target);
                        case 4 -> update(conn, "UPDATE tasks SET title = title || '.' WHERE id = ?", null, target);
                        default -> {
                            if (!mine.isEmpty()) {
                                update(conn, "DELETE FROM tasks WHERE id = ?", null, mine.remove(rnd.nextInt(mine.size())));
                            }
                        }
                    }
                    if (s.equals("backfill")) {
                        duringBackfill.incrementAndGet();
                    }
                } catch (SQLException e) {
                    errors.add(Thread.currentThread().getName() + " op " + op + " at " + s + ": " + e.getMessage());
                }
                if (swapped) {
                    afterSwap++;
                    swappedOps.incrementAndGet();
                }
                if (i % 5 == 0) {
                    Thread.sleep(1);
                }
            }
        } catch (Exception e) {
            errors.add(Thread.currentThread().getName() + ": " + e);
        }
    }

    private static UUID insert(Connection conn, String sql, Long value, UUID target) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            int k = 1;
            if (value != null) {
                ps.setLong(k++, value);
            }
            ps.setObject(k, target);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? (UUID) rs.getObject(1) : target;
            }
        }
    }

    private static void update(Connection conn, String sql, Long value, UUID target) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            int k = 1;
            if (value != null) {
                ps.setLong(k++, value);
            }
            ps.setObject(k, target);
            ps.executeUpdate();
        }
    }
}
