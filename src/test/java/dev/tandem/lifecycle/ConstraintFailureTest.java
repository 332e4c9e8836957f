package dev.tandem.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.TandemException;
import dev.tandem.backfill.BackfillOptions;
import dev.tandem.catalog.Fingerprint;
import dev.tandem.plan.Phase;
import dev.tandem.testing.Db;
import dev.tandem.testing.LifecycleDriver;
import dev.tandem.testing.PhaseWalk;
import dev.tandem.testing.SampleDatabaseTest;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The constraint intents when the data does not cooperate, on a real PostgreSQL: violations without
 * {@code up} fail with a count before any DDL, a failed unique build leaves no index behind, and
 * {@code set_not_null} with {@code up} holds under randomized old-application writes of NULL during
 * dual-write and backfill.
 */
class ConstraintFailureTest extends SampleDatabaseTest {
    static final int USERS = 200;

    ConstraintFailureTest() {
        super("consfail_", USERS);
    }
    static final String ID = "0001_change";
    static final String PROJECT = "md5('project:1')::uuid";

    @TempDir
    Path dir;


    Fingerprint fingerprint() {
        return Fingerprint.of(c, List.of("public"), true);
    }

    @Test
    void setNotNullWithoutUpFailsWithTheCountAndLeavesNothingHalfDone() throws SQLException {
        long nulls = Db.count(c, "SELECT count(*) FROM tasks WHERE due_date IS NULL");
        assertTrue(nulls > 0);
        LifecycleDriver tandem = LifecycleDriver.forMigration(db, dir, ID, """
                changes:
                  - set_not_null: {table: tasks, column: due_date}
                """);
        tandem.apply(Phase.BACKFILL);
        Fingerprint before = fingerprint();
        TandemException e = assertThrows(TandemException.class, () -> tandem.advance(Phase.SWITCH_READS));
        assertTrue(e.getMessage().contains("set_not_null: public.tasks.due_date has " + nulls + " row(s) with NULL"), e.getMessage());
        PhaseWalk.assertNoDiff(before, fingerprint(), "a failed switch-reads changes nothing");
        // after filling the NULLs by hand, the same command goes through
        Db.exec(c, "UPDATE tasks SET due_date = date '2001-01-01' WHERE due_date IS NULL");
        tandem.advance(Phase.SWITCH_READS);
        assertEquals(Boolean.TRUE, Db.scalar(c, "SELECT attnotnull FROM pg_attribute WHERE attrelid = 'tasks'::regclass AND attname = 'due_date'"));
    }

    @Test
    void addUniqueWithDuplicatesFailsCleanly() throws SQLException {
        Db.exec(c, "UPDATE user_profiles SET phone = '+1-555-dup' WHERE user_id IN (SELECT user_id FROM user_profiles ORDER BY user_id LIMIT 3)");
        LifecycleDriver tandem = LifecycleDriver.forMigration(db, dir, ID, """
                changes:
                  - add_unique: {table: user_profiles, name: user_profiles_phone_key, columns: [phone]}
                """);
        tandem.apply(Phase.BACKFILL);
        Fingerprint before = fingerprint();
        TandemException e = assertThrows(TandemException.class, () -> tandem.advance(Phase.SWITCH_READS));
        assertTrue(e.getMessage().contains("1 key value(s) occur more than once in public.user_profiles (phone); unique constraint user_profiles_phone_key"),
                e.getMessage());
        PhaseWalk.assertNoDiff(before, fingerprint(), "nothing is left behind");
        assertEquals(0, Db.count(c, "SELECT count(*) FROM pg_class WHERE relname = 'user_profiles_phone_key'"));
        tandem.rollback(Optional.empty(), true);
        assertEquals(Optional.empty(), tandem.record().phase());
    }

    @Test
    void aFailedConcurrentBuildDropsItsInvalidIndex() throws SQLException {
        // the build itself fails (division by zero on some rows), after PostgreSQL created the INVALID index
        LifecycleDriver tandem = LifecycleDriver.forMigration(db, dir, ID, """
                changes:
                  - create_index: {table: tasks, name: tasks_bad_idx, columns: ["(100 / (priority - 3))"]}
                """);
        Fingerprint before = fingerprint();
        TandemException e = assertThrows(TandemException.class, () -> tandem.apply(Phase.EXPAND));
        assertTrue(e.getMessage().contains("building index public.tasks_bad_idx failed; the INVALID index it left was dropped"), e.getMessage());
        assertTrue(e.getMessage().contains("division by zero"), e.getMessage());
        assertEquals(0, Db.count(c, "SELECT count(*) FROM pg_class WHERE relname = 'tasks_bad_idx'"), "no INVALID index left");
        PhaseWalk.assertNoDiff(before, fingerprint(), "nothing is left behind");
        tandem.rollback(Optional.empty(), true);
        PhaseWalk.assertNoDiff(before, fingerprint(), "rollback after the failure");
    }

    @Test
    void dropNotNullRollbackFailsClearlyWhenNullsWereWritten() throws SQLException {
        LifecycleDriver tandem = LifecycleDriver.forMigration(db, dir, ID, """
                changes:
                  - drop_not_null: {table: tasks, column: title}
                """);
        tandem.apply(Phase.EXPAND);
        Db.exec(c, "INSERT INTO tasks (id, project_id, title) VALUES ('00000000-0000-0000-0000-0000000000aa', " + PROJECT + ", NULL)");
        TandemException e = assertThrows(TandemException.class, () -> tandem.rollbackOne());
        assertTrue(e.getMessage().contains("public.tasks.title has 1 row(s) with NULL"), e.getMessage());
        assertEquals(Boolean.FALSE, Db.scalar(c, "SELECT attnotnull FROM pg_attribute WHERE attrelid = 'tasks'::regclass AND attname = 'title'"));
        assertEquals(0, Db.count(c, "SELECT count(*) FROM pg_constraint WHERE conname = 'tasks_title_not_null'"), "no helper check left");
        Db.exec(c, "DELETE FROM tasks WHERE title IS NULL");
        tandem.rollbackOne();
        assertEquals(Boolean.TRUE, Db.scalar(c, "SELECT attnotnull FROM pg_attribute WHERE attrelid = 'tasks'::regclass AND attname = 'title'"));
    }

    @Test
    void rollingBackTheRepairRestoresOriginalsButKeepsLaterApplicationWrites() throws SQLException {
        LifecycleDriver tandem = LifecycleDriver.forMigration(db, dir, ID, """
                changes:
                  - set_not_null: {table: tasks, column: due_date, up: "coalesce(due_date, date '2000-01-01')"}
                """);
        long nulls = Db.count(c, "SELECT count(*) FROM tasks WHERE due_date IS NULL");
        String touched = (String) Db.scalar(c, "SELECT id::text FROM tasks WHERE due_date IS NULL ORDER BY id LIMIT 1");
        tandem.apply(Phase.BACKFILL);
        assertEquals(0, Db.count(c, "SELECT count(*) FROM tasks WHERE due_date IS NULL"));
        Db.exec(c, "UPDATE tasks SET due_date = date '2031-01-01' WHERE id = '" + touched + "'"); // the application, after the repair
        tandem.rollbackOne();
        assertEquals(nulls - 1, Db.count(c, "SELECT count(*) FROM tasks WHERE due_date IS NULL"), "the other repaired rows are NULL again");
        assertEquals("2031-01-01", Db.scalar(c, "SELECT due_date::text FROM tasks WHERE id = '" + touched + "'"), "the application's write is kept");
        assertEquals(0, Db.count(c, "SELECT count(*) FROM pg_class WHERE relname LIKE 'saved_0001%'"), "the saved originals are dropped");
    }

    @Test
    void setNotNullWithUpUnderRandomOldAppWritesOfNull() throws Exception {
        String up = "coalesce(due_date, date '2000-01-01')";
        LifecycleDriver tandem = LifecycleDriver.forMigration(db, dir, ID, """
                changes:
                  - set_not_null: {table: tasks, column: due_date, up: "%s"}
                """.formatted(up)).withBackfill(new BackfillOptions(50, BackfillOptions.defaults().lockTimeoutMs(),
                BackfillOptions.defaults().statementTimeoutMs(), BackfillOptions.defaults().maxRetries()));
        Map<String, String> original = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id::text, due_date::text FROM tasks"); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                original.put(rs.getString(1), rs.getString(2));
            }
        }
        List<String> seeded = new ArrayList<>(original.keySet());
        Map<String, Optional<String>> intended = new ConcurrentHashMap<>(); // id -> last value a writer wrote (empty = NULL)
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong writes = new AtomicLong();
        List<Thread> writers = new ArrayList<>();
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int w = 0; w < 3; w++) {
            final int me = w;
            Thread t = new Thread(() -> {
                List<String> mine = new ArrayList<>();
                for (int i = me; i < seeded.size(); i += 3) {
                    mine.add(seeded.get(i));
                }
                try (Connection wc = db.connect()) {
                    ThreadLocalRandom r = ThreadLocalRandom.current();
                    while (!stop.get()) {
                        Optional<String> value = r.nextInt(3) == 0 ? Optional.of("2030-0" + (1 + r.nextInt(9)) + "-1" + r.nextInt(10)) : Optional.empty();
                        String id;
                        if (r.nextInt(4) == 0) {
                            id = UUID.randomUUID().toString();
                            try (PreparedStatement ps = wc.prepareStatement("INSERT INTO tasks (id, project_id, title, due_date) VALUES (?::uuid, "
                                    + PROJECT + ", 'old app', ?::date)")) {
                                ps.setString(1, id);
                                ps.setString(2, value.orElse(null));
                                ps.executeUpdate();
                            }
                            mine.add(id);
                        } else {
                            id = mine.get(r.nextInt(mine.size()));
                            try (PreparedStatement ps = wc.prepareStatement("UPDATE tasks SET due_date = ?::date WHERE id = ?::uuid")) {
                                ps.setString(1, value.orElse(null));
                                ps.setString(2, id);
                                ps.executeUpdate();
                            }
                        }
                        intended.put(id, value);
                        writes.incrementAndGet();
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            writers.add(t);
            t.start();
        }
        try {
            tandem.apply(Phase.EXPAND);
            tandem.apply(Phase.DUAL_WRITE);
            tandem.apply(Phase.BACKFILL);
        } finally {
            stop.set(true);
            for (Thread t : writers) {
                t.join();
            }
        }
        assertEquals(List.of(), failures, "old-app writes never fail");
        assertTrue(writes.get() > 100, "writers ran during dual-write and backfill: " + writes.get());
        System.out.println("set_not_null under old-app writes: " + writes.get() + " writes during expand/dual-write/backfill");
        assertEquals(0, Db.count(c, "SELECT count(*) FROM tasks WHERE due_date IS NULL"), "no NULL after the backfill");
        Map<String, String> now = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id::text, due_date::text FROM tasks"); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                now.put(rs.getString(1), rs.getString(2));
            }
        }
        int checked = 0;
        for (Map.Entry<String, String> row : now.entrySet()) {
            String old = intended.containsKey(row.getKey()) ? intended.get(row.getKey()).orElse(null) : original.get(row.getKey());
            assertEquals(old == null ? "2000-01-01" : old, row.getValue(), "row " + row.getKey() + " = up(old)");
            checked++;
        }
        assertTrue(checked > original.size(), "rows inserted by the writers are checked too");
        tandem.advance(Phase.SWITCH_READS);
        assertEquals(Boolean.TRUE, Db.scalar(c, "SELECT attnotnull FROM pg_attribute WHERE attrelid = 'tasks'::regclass AND attname = 'due_date'"));
    }
}
