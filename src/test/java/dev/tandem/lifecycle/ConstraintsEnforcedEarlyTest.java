package dev.tandem.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.catalog.Fingerprint;
import dev.tandem.plan.Phase;
import dev.tandem.testing.Db;
import dev.tandem.testing.LifecycleDriver;
import dev.tandem.testing.PhaseWalk;
import dev.tandem.testing.SampleDatabaseTest;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A repair ({@code up}) of {@code add_check}, {@code add_foreign_key} and {@code set_not_null} is
 * for the old application's writes only: from dual-write on, a write of a session that says it is
 * the new application ({@code tandem.version = 'new'}) and itself breaks the new shape (an INSERT,
 * or an UPDATE of a column the constraint reads) fails with the constraint's SQLSTATE, naming it,
 * instead of being silently repaired until contract. Old-application writes are still repaired, a
 * new-application write that leaves a not yet repaired row's constrained columns alone is not
 * refused, and rolling every phase back is still exact.
 */
class ConstraintsEnforcedEarlyTest extends SampleDatabaseTest {
    ConstraintsEnforcedEarlyTest() {
        super("early_", 40);
    }

    @TempDir
    Path changelog;

    private void asNew(String sql) throws SQLException {
        exec("SET tandem.version = 'new'");
        try {
            exec(sql);
        } finally {
            exec("RESET tandem.version");
        }
    }

    @Test
    @DisplayName("add_check with up: a new-application write breaking the check fails from dual-write; the old application's is repaired")
    void checkRefusesNewWritesRepairsOldOnes() throws SQLException {
        LifecycleDriver tandem = LifecycleDriver.forMigration(db, changelog, "0001_priority_low", """
                changes:
                  - add_check: {table: tasks, name: tasks_priority_low, check: "priority <= 4", up: {priority: "4"}}
                """);
        Object task = scalar("SELECT id FROM tasks WHERE priority = 2 ORDER BY id LIMIT 1");
        Object legacy = scalar("SELECT id FROM tasks WHERE priority = 5 ORDER BY id LIMIT 1");
        Fingerprint before = Db.publicFingerprint(c);
        for (Phase p : List.of(Phase.EXPAND, Phase.DUAL_WRITE, Phase.BACKFILL, Phase.SWITCH_READS)) {
            tandem.forward(p);
            if (p == Phase.EXPAND) {
                continue;
            }
            SQLException e = assertThrows(SQLException.class, () -> asNew("UPDATE tasks SET priority = 5 WHERE id = '" + task + "'"),
                    "a new-application write that breaks the check fails after " + p);
            assertEquals("23514", e.getSQLState());
            assertTrue(e.getMessage().contains("tasks_priority_low"), e.getMessage());
            assertEquals(2L, num("SELECT priority FROM tasks WHERE id = '" + task + "'"));
            if (p == Phase.DUAL_WRITE) {
                // a legacy violating row the new application does not touch in the checked column: not refused
                c.setAutoCommit(false); // rolled back: the table's updated_at trigger would stamp the row
                try {
                    asNew("UPDATE tasks SET title = title || '!' WHERE id = '" + legacy + "'");
                    assertEquals(5L, num("SELECT priority FROM tasks WHERE id = '" + legacy + "'"), "left for the backfill to repair");
                } finally {
                    c.rollback();
                    c.setAutoCommit(true);
                }
            }
        }
        // the old application's writes are still repaired (before switch-reads the constraint is not there yet)
        tandem.rollbackOne();
        c.setAutoCommit(false);
        try {
            exec("UPDATE tasks SET priority = 5 WHERE id = '" + task + "'");
            assertEquals(4L, num("SELECT priority FROM tasks WHERE id = '" + task + "'"), "old-application write repaired");
        } finally {
            c.rollback();
            c.setAutoCommit(true);
        }
        tandem.rollback(Optional.empty(), true);
        PhaseWalk.assertNoDiff(before, Db.publicFingerprint(c), "rollback of every phase");
    }

    @Test
    @DisplayName("set_not_null with up: a new-application NULL fails from dual-write; the old application's is repaired")
    void notNullRefusesNewNulls() throws SQLException {
        LifecycleDriver tandem = LifecycleDriver.forMigration(db, changelog, "0001_due_date_required", """
                changes:
                  - set_not_null: {table: tasks, column: due_date, up: "date '2030-01-01'"}
                """);
        tandem.apply(Phase.DUAL_WRITE);
        SQLException e = assertThrows(SQLException.class,
                () -> asNew("INSERT INTO tasks (project_id, title) SELECT id, 'new app, no date' FROM projects LIMIT 1"));
        assertEquals("23502", e.getSQLState());
        assertTrue(e.getMessage().contains("due_date"), e.getMessage());
        Object old = scalar("INSERT INTO tasks (project_id, title) SELECT id, 'old app, no date' FROM projects LIMIT 1 RETURNING id");
        assertEquals("2030-01-01", String.valueOf(scalar("SELECT due_date FROM tasks WHERE id = '" + old + "'")), "old-application NULL repaired");
        exec("DELETE FROM tasks WHERE id = '" + old + "'");
    }

    @Test
    @DisplayName("add_foreign_key with up: a new-application orphan fails from dual-write; the old application's is repaired")
    void foreignKeyRefusesNewOrphans() throws SQLException {
        exec("CREATE TABLE notes (id integer PRIMARY KEY, author uuid)");
        exec("INSERT INTO notes SELECT g, CASE WHEN g % 3 = 0 THEN gen_random_uuid() ELSE (SELECT id FROM users ORDER BY id LIMIT 1) END"
                + " FROM generate_series(1, 30) g");
        LifecycleDriver tandem = LifecycleDriver.forMigration(db, changelog, "0001_notes_author_fkey", """
                changes:
                  - add_foreign_key: {table: notes, name: notes_author_fkey, columns: [author], references: {table: users, columns: [id]}, up: {author: "NULL"}}
                """);
        Fingerprint before = Db.publicFingerprint(c);
        tandem.apply(Phase.DUAL_WRITE);
        SQLException e = assertThrows(SQLException.class, () -> asNew("INSERT INTO notes VALUES (100, gen_random_uuid())"));
        assertEquals("23503", e.getSQLState());
        assertTrue(e.getMessage().contains("notes_author_fkey"), e.getMessage());
        asNew("INSERT INTO notes VALUES (101, (SELECT id FROM users ORDER BY id LIMIT 1))");
        exec("INSERT INTO notes VALUES (102, gen_random_uuid())");
        assertNull(scalar("SELECT author FROM notes WHERE id = 102"), "old-application orphan repaired");
        exec("DELETE FROM notes WHERE id IN (101, 102)");
        tandem.rollback(Optional.empty(), true);
        PhaseWalk.assertNoDiff(before, Db.publicFingerprint(c), "rollback of every phase");
    }

    private void exec(String sql) throws SQLException {
        Db.exec(c, sql);
    }

    private Object scalar(String sql) throws SQLException {
        return Db.scalar(c, sql);
    }

    private long num(String sql) throws SQLException {
        return ((Number) Db.scalar(c, sql)).longValue();
    }
}
