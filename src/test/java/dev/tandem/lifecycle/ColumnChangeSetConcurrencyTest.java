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
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Randomized (seeded) old- and new-application writers while Tandem applies a combined column
 * change ({@code plan.ColumnChangeSet}): {@code tasks.description} text → varchar(200) with a
 * default, NOT NULL (NULLs become {@code '(none)'}) and a comment, in one migration. Before the swap
 * the writers insert and update descriptions (NULL included) and other columns and delete; after it
 * they write only what the new shape allows. Every row is written by one writer, which remembers
 * what it wrote last. Invariants: no writer sees an error; new = up(old) on every row after the
 * backfill and after the swap; no write lost or altered (each remembered value is read back: from
 * the new column after the swap, NULL as {@code '(none)'}; from the old column after rolling every
 * phase back, NULL as NULL), and the rollback leaves no Tandem object behind.
 */
class ColumnChangeSetConcurrencyTest {
    static final String ID = "0001_description_combined_random";
    static final int USERS = 150;
    static final int OPS = 120;
    static final String UP = "left(coalesce(%s, '(none)'), 200)";

    @TempDir
    Path changelog;

    @Test
    @DisplayName("random old/new writers through a combined type + default + NOT NULL + comment change: no write lost, exact rollback")
    void randomWritersThroughACombinedChange() throws Exception {
        TestDatabase db = TestDatabase.create("colset_concurrency");
        try (Connection c = db.connect()) {
            SampleSchema.load(c);
            SampleSchema.seed(c, USERS);
            long nullsBefore = Db.count(c, "SELECT count(*) FROM tasks WHERE description IS NULL");
            LifecycleDriver tandem = LifecycleDriver.forMigration(db, changelog, ID, """
                    changes:
                      - change_column_type: {table: tasks, column: description, type: varchar(200), up: "left(description, 200)"}
                      - set_default: {table: tasks, column: description, default: "'(none)'"}
                      - set_not_null: {table: tasks, column: description, up: "coalesce(description, '(none)')"}
                      - set_comment: {table: tasks, column: description, comment: "what the task is about"}
                    """).withBackfill(new BackfillOptions(25, 2000, 60_000, 5));
            String shadow = Ident.quote(Names.bounded("tandem_new", ID, "description"));
            String old = Ident.quote(Names.bounded("tandem_old", ID, "description"));
            tandem.apply(Phase.EXPAND);

            AtomicReference<String> stage = new AtomicReference<>("expand");
            List<String> errors = Collections.synchronizedList(new ArrayList<>());
            Map<UUID, Optional<String>> written = new ConcurrentHashMap<>();
            List<UUID> deleted = Collections.synchronizedList(new ArrayList<>());
            AtomicInteger duringBackfill = new AtomicInteger();
            List<Thread> writers = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                long seed = 17_000L + w;
                Connection conn = db.connect();
                Thread t = new Thread(() -> write(conn, seed, stage, errors, written, deleted, duringBackfill), "writer-" + w);
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
                assertEquals(0L, Db.count(c, "SELECT count(*) FROM tasks WHERE " + shadow + " IS DISTINCT FROM " + UP.formatted("description")),
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
            assertTrue(written.size() > 100, "rows written: " + written.size());
            assertEquals("character varying(200)", Db.scalar(c, "SELECT format_type(atttypid, atttypmod) FROM pg_attribute"
                    + " WHERE attrelid = 'tasks'::regclass AND attname = 'description'"));
            assertEquals(0L, Db.count(c, "SELECT count(*) FROM tasks WHERE description IS DISTINCT FROM " + UP.formatted(old)),
                    "rows where new <> up(old) after the swap");
            for (Map.Entry<UUID, Optional<String>> e : written.entrySet()) {
                assertEquals(e.getValue().orElse("(none)"), description(c, e.getKey(), "description"), "new column of " + e.getKey());
            }
            for (UUID d : deleted) {
                assertEquals(0L, Db.count(c, "SELECT count(*) FROM tasks WHERE id = '" + d + "'"), "deleted stays deleted");
            }

            tandem.rollback(Optional.empty(), true);
            assertEquals("text", Db.scalar(c, "SELECT format_type(atttypid, atttypmod) FROM pg_attribute"
                    + " WHERE attrelid = 'tasks'::regclass AND attname = 'description'"));
            assertEquals(Boolean.FALSE, Db.scalar(c, "SELECT attnotnull FROM pg_attribute WHERE attrelid = 'tasks'::regclass AND attname = 'description'"));
            assertEquals(0L, Db.count(c, "SELECT count(*) FROM pg_attribute WHERE attrelid = 'tasks'::regclass AND attname LIKE 'tandem%' AND NOT attisdropped"));
            assertEquals(0L, Db.count(c, "SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'tandem%'"));
            assertEquals(0L, Db.count(c, "SELECT count(*) FROM pg_constraint WHERE conname LIKE 'tandem%'"));
            for (Map.Entry<UUID, Optional<String>> e : written.entrySet()) {
                assertEquals(e.getValue().orElse(null), description(c, e.getKey(), "description"), "old column of " + e.getKey() + " after rollback");
            }
            long writtenNulls = written.values().stream().filter(Optional::isEmpty).count();
            long untouchedNulls = Db.count(c, "SELECT count(*) FROM tasks WHERE description IS NULL") - writtenNulls;
            assertTrue(untouchedNulls <= nullsBefore && untouchedNulls >= 0, "rows nobody wrote keep their NULL: " + untouchedNulls + " of " + nullsBefore);
            long defaults = written.values().stream().filter(v -> v.equals(Optional.of("(none)"))).count();
            assertEquals(defaults, Db.count(c, "SELECT count(*) FROM tasks WHERE description = '(none)'"),
                    "no repaired value leaks into the old column (only the new application's defaults are '(none)')");
        }
    }

    private static String description(Connection c, UUID id, String column) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + column + " FROM tasks WHERE id = ?")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next(), "row " + id + " exists");
                return rs.getString(1);
            }
        }
    }

    /**
     * One application instance on its own rows (a slice of the seeded tasks and what it inserts).
     * Before the swap it is the old application (writes NULL too); after it, the new one (inserts
     * without a description take the default; it never writes NULL).
     */
    private static void write(Connection conn, long seed, AtomicReference<String> stage, List<String> errors,
            Map<UUID, Optional<String>> written, List<UUID> deleted, AtomicInteger duringBackfill) {
        Random rnd = new Random(seed);
        List<UUID> mine = new ArrayList<>();
        try (conn) {
            // seeded rows only: another writer may already have inserted (and may later delete) rows of its own
            List<UUID> targets = new ArrayList<>();
            try (PreparedStatement ps = conn.prepareStatement("SELECT id FROM tasks WHERE title LIKE 'Task %' ORDER BY id LIMIT 150 OFFSET ?")) {
                ps.setInt(1, (int) (seed % 4) * 150);
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
                boolean mayNull = !swapped && !s.equals("switch-reads");
                String value = mayNull && rnd.nextInt(4) == 0 ? null : "w" + seed + "-" + i + (rnd.nextBoolean() ? "" : " ü");
                List<UUID> pool = mine.isEmpty() || rnd.nextBoolean() ? targets : mine;
                UUID target = pool.get(rnd.nextInt(pool.size()));
                int op = rnd.nextInt(7);
                try {
                    switch (op) {
                        case 0 -> {
                            UUID id = insert(conn, "INSERT INTO tasks (project_id, title, description) SELECT project_id, 'w', ? FROM tasks WHERE id = ? RETURNING id", value, target);
                            mine.add(id);
                            written.put(id, Optional.ofNullable(value));
                        }
                        case 1 -> {
                            // the old application's insert leaves it NULL; the new one's gets the default (read in the same statement:
                            // the swap may commit between two statements)
                            String[] got = new String[1];
                            UUID id = insert(conn, "INSERT INTO tasks (project_id, title) SELECT project_id, 'd' FROM tasks WHERE id = ? RETURNING id, description",
                                    null, target, got);
                            mine.add(id);
                            written.put(id, Optional.ofNullable(got[0]));
                        }
                        case 2, 3 -> {
                            update(conn, "UPDATE tasks SET description = ? WHERE id = ?", value, target, true);
                            written.put(target, Optional.ofNullable(value));
                        }
                        case 4, 5 -> update(conn, "UPDATE tasks SET title = title || '.' WHERE id = ?", null, target, false);
                        default -> {
                            if (!mine.isEmpty()) {
                                UUID gone = mine.remove(rnd.nextInt(mine.size()));
                                update(conn, "DELETE FROM tasks WHERE id = ?", null, gone, false);
                                written.remove(gone);
                                deleted.add(gone);
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
                }
                if (i % 5 == 0) {
                    Thread.sleep(1);
                }
            }
        } catch (Exception e) {
            errors.add(Thread.currentThread().getName() + ": " + e);
        }
    }

    private static UUID insert(Connection conn, String sql, String value, UUID target) throws SQLException {
        return insert(conn, sql, value, target, null);
    }

    private static UUID insert(Connection conn, String sql, String value, UUID target, String[] returned) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            int k = 1;
            if (returned == null) {
                ps.setString(k++, value);
            }
            ps.setObject(k, target);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (returned != null) {
                    returned[0] = rs.getString(2);
                }
                return (UUID) rs.getObject(1);
            }
        }
    }

    private static void update(Connection conn, String sql, String value, UUID target, boolean withValue) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            int k = 1;
            if (withValue) {
                ps.setString(k++, value);
            }
            ps.setObject(k, target);
            ps.executeUpdate();
        }
    }
}
