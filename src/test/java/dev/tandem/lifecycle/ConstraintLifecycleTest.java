package dev.tandem.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.plan.Phase;
import dev.tandem.testing.Db;
import dev.tandem.testing.LifecycleDriver;
import dev.tandem.testing.PhaseWalk;
import dev.tandem.testing.SampleDatabaseTest;
import dev.tandem.testing.SampleSchema;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every constraint, default and index intent through {@link PhaseWalk} on a real PostgreSQL with
 * the seeded sample schema: per phase apply, old-app and new-app writes, roll back to an identical
 * fingerprint (catalog and data), apply again; then contract, purge. "Old app" and "new app" are
 * the writes each application version makes: the old one does not know the change (writes NULLs,
 * omits columns, writes values the new constraint refuses), the new one respects it.
 */
class ConstraintLifecycleTest extends SampleDatabaseTest {
    static final int USERS = 100;

    ConstraintLifecycleTest() {
        super("cons_", USERS);
    }
    static final String ID = "0001_change";
    static final String PROBE = "'00000000-0000-0000-0000-0000000000aa'";
    static final String PROJECT = "md5('project:1')::uuid";

    @TempDir
    Path dir;


    LifecycleDriver tandem(String yaml) {
        return LifecycleDriver.forMigration(db, dir, ID, yaml);
    }

    /** Runs the statement; returns null when it worked, else its SQLSTATE. */
    String attempt(String sql) {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
            return null;
        } catch (SQLException e) {
            return e.getSQLState();
        }
    }

    void deleteProbe() throws SQLException {
        Db.exec(c, "DELETE FROM tasks WHERE id = " + PROBE);
    }

    boolean after(Phase p, Phase q) {
        return p.ordinal() >= q.ordinal();
    }

    long constraintCount(String name) throws SQLException {
        return Db.count(c, "SELECT count(*) FROM pg_constraint WHERE conname = '" + name + "'");
    }

    boolean validated(String name) throws SQLException {
        return Boolean.TRUE.equals(Db.scalar(c, "SELECT convalidated FROM pg_constraint WHERE conname = '" + name + "'"));
    }

    void assertNothingOfTandemLeft() throws SQLException {
        assertEquals(0, Db.count(c, "SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'tandem%'"), "no Tandem trigger left");
        assertEquals(0, Db.count(c, "SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace"
                + " WHERE n.nspname = 'tandem' AND p.proname LIKE 'repair%'"), "no repair function left");
        assertEquals(0, Db.count(c, "SELECT count(*) FROM pg_class r JOIN pg_namespace n ON n.oid = r.relnamespace"
                + " WHERE n.nspname = 'tandem' AND r.relname LIKE 'saved%'"), "no saved-originals table left");
    }

    @Test
    void setNotNullWithUp() throws SQLException {
        assertTrue(Db.count(c, "SELECT count(*) FROM tasks WHERE due_date IS NULL") > 0, "the seed has NULL due dates");
        LifecycleDriver tandem = tandem("""
                changes:
                  - set_not_null: {table: tasks, column: due_date, up: "coalesce(due_date, date '2000-01-01')"}
                """);
        PhaseWalk.run(tandem, c, List.of("public"), new PhaseWalk.Checks() {
            @Override
            public void afterPhase(Phase p) throws SQLException {
                String old = attempt("INSERT INTO tasks (id, project_id, title) VALUES (" + PROBE + ", " + PROJECT + ", 'old app')");
                if (p == Phase.CONTRACT) {
                    assertEquals("23502", old, "after contract the old app's NULL is refused");
                } else {
                    assertNull(old, "old-app insert of NULL works in " + p);
                    Object due = Db.scalar(c, "SELECT due_date::text FROM tasks WHERE id = " + PROBE);
                    assertEquals(after(p, Phase.DUAL_WRITE) ? "2000-01-01" : null, due, "old-app NULL repaired by the trigger in " + p);
                    deleteProbe();
                }
                assertNull(attempt("INSERT INTO tasks (id, project_id, title, due_date) VALUES (" + PROBE + ", " + PROJECT
                        + ", 'new app', date '2030-01-01')"), "new-app insert in " + p);
                deleteProbe();
                if (after(p, Phase.BACKFILL)) {
                    assertEquals(0, Db.count(c, "SELECT count(*) FROM tasks WHERE due_date IS NULL"), "no NULL after " + p);
                }
                boolean notNull = Boolean.TRUE.equals(Db.scalar(c, "SELECT attnotnull FROM pg_attribute WHERE attrelid = 'tasks'::regclass AND attname = 'due_date'"));
                assertEquals(after(p, Phase.SWITCH_READS), notNull, "NOT NULL after " + p);
                assertEquals(0, constraintCount("tasks_due_date_not_null"), "the helper check is gone after " + p);
            }

            @Override
            public void afterPurge() throws SQLException {
                assertNothingOfTandemLeft();
            }
        });
    }

    @Test
    void dropNotNull() throws SQLException {
        LifecycleDriver tandem = tandem("""
                changes:
                  - drop_not_null: {table: tasks, column: title}
                """);
        PhaseWalk.run(tandem, c, List.of("public"), p -> {
            assertNull(attempt("INSERT INTO tasks (id, project_id, title) VALUES (" + PROBE + ", " + PROJECT + ", NULL)"),
                    "new app writes a NULL title after " + p);
            deleteProbe();
            assertNull(attempt("INSERT INTO tasks (id, project_id, title) VALUES (" + PROBE + ", " + PROJECT + ", 'old')"), "old app");
            deleteProbe();
        });
        assertEquals(0, constraintCount("tasks_title_not_null"), "no helper check left");
    }

    @Test
    void setDefault() throws SQLException {
        LifecycleDriver tandem = tandem("""
                changes:
                  - set_default: {table: tasks, column: priority, default: "3"}
                """);
        PhaseWalk.run(tandem, c, List.of("public"), p -> {
            assertNull(attempt("INSERT INTO tasks (id, project_id, title) VALUES (" + PROBE + ", " + PROJECT + ", 'omits priority')"));
            assertEquals(3, ((Number) Db.scalar(c, "SELECT priority FROM tasks WHERE id = " + PROBE)).intValue(), "default after " + p);
            deleteProbe();
            assertNull(attempt("INSERT INTO tasks (id, project_id, title, priority) VALUES (" + PROBE + ", " + PROJECT + ", 'x', 5)"));
            deleteProbe();
        });
    }

    @Test
    void dropDefault() throws SQLException {
        LifecycleDriver tandem = tandem("""
                changes:
                  - drop_default: {table: tasks, column: priority}
                """);
        PhaseWalk.run(tandem, c, List.of("public"), p -> {
            String omitted = attempt("INSERT INTO tasks (id, project_id, title) VALUES (" + PROBE + ", " + PROJECT + ", 'old app omits priority')");
            assertEquals(p == Phase.CONTRACT ? "23502" : null, omitted, "old-app insert relying on the default after " + p);
            deleteProbe();
            assertNull(attempt("INSERT INTO tasks (id, project_id, title, priority) VALUES (" + PROBE + ", " + PROJECT + ", 'new', 2)"));
            deleteProbe();
        });
    }

    @Test
    void addCheckWithUp() throws SQLException {
        Db.exec(c, "UPDATE tasks SET title = repeat('x', 150) WHERE id IN (SELECT id FROM tasks ORDER BY id LIMIT 7)");
        LifecycleDriver tandem = tandem("""
                changes:
                  - add_check: {table: tasks, name: tasks_title_length, check: "length(title) <= 100", up: {title: "left(title, 100)"}}
                """);
        PhaseWalk.run(tandem, c, List.of("public"), new PhaseWalk.Checks() {
            @Override
            public void afterPhase(Phase p) throws SQLException {
                String old = attempt("INSERT INTO tasks (id, project_id, title) VALUES (" + PROBE + ", " + PROJECT + ", repeat('y', 120))");
                if (p == Phase.CONTRACT) {
                    assertEquals("23514", old, "after contract an old-app violation is refused");
                } else {
                    assertNull(old, "old-app insert of a long title in " + p);
                    long len = Db.count(c, "SELECT length(title) FROM tasks WHERE id = " + PROBE);
                    assertEquals(after(p, Phase.DUAL_WRITE) ? 100 : 120, len, "repaired by the trigger in " + p);
                    deleteProbe();
                }
                assertNull(attempt("INSERT INTO tasks (id, project_id, title) VALUES (" + PROBE + ", " + PROJECT + ", 'short')"));
                deleteProbe();
                                // (in a transaction rolled back: the table's updated_at trigger would change the data)
                c.setAutoCommit(false);
                String update = attempt("UPDATE tasks SET priority = priority WHERE length(title) > 100 OR id = (SELECT id FROM tasks ORDER BY id LIMIT 1)");
                c.rollback();
                c.setAutoCommit(true);
                assertNull(update, "old-app update of another column, even of a violating row, in " + p);
                long longTitles = Db.count(c, "SELECT count(*) FROM tasks WHERE length(title) > 100");
                assertEquals(after(p, Phase.BACKFILL) ? 0 : 7, longTitles, "violating rows after " + p);
                assertEquals(after(p, Phase.SWITCH_READS) ? 1 : 0, constraintCount("tasks_title_length"));
                if (after(p, Phase.SWITCH_READS)) {
                    assertTrue(validated("tasks_title_length"), "validated after " + p);
                }
            }

            @Override
            public void afterPurge() throws SQLException {
                assertNothingOfTandemLeft();
            }
        });
    }

    @Test
    void addForeignKeyWithUpRepairsOrphans() throws Exception {
        String orphans = "SELECT count(*) FROM tasks t WHERE assigned_to IS NOT NULL AND NOT EXISTS"
                + " (SELECT 1 FROM project_members m WHERE m.project_id = t.project_id AND m.user_id = t.assigned_to)";
        long before = Db.count(c, orphans);
        assertTrue(before > 0, "the seed has tasks assigned outside their project");
        String yaml = java.nio.file.Files.readString(SampleSchema.repoRoot().resolve("samples/add-foreign-key/0001_task_assignee_is_member.yaml"));
        LifecycleDriver tandem = tandem(yaml);
        String outsider = "md5('user:" + (USERS - 1) + "')::uuid";
        PhaseWalk.run(tandem, c, List.of("public"), new PhaseWalk.Checks() {
            @Override
            public void afterPhase(Phase p) throws SQLException {
                String old = attempt("INSERT INTO tasks (id, project_id, title, assigned_to) VALUES (" + PROBE + ", " + PROJECT
                        + ", 'old app', " + outsider + ")");
                boolean member = Db.count(c, "SELECT count(*) FROM project_members WHERE project_id = " + PROJECT + " AND user_id = " + outsider) > 0;
                assertTrue(!member, "the probe assignee is not a member of project 1");
                if (p == Phase.CONTRACT) {
                    assertEquals("23503", old, "after contract an orphan is refused");
                } else {
                    assertNull(old, "old-app insert of an orphan in " + p);
                    Object a = Db.scalar(c, "SELECT assigned_to FROM tasks WHERE id = " + PROBE);
                    assertEquals(after(p, Phase.DUAL_WRITE), a == null, "orphan repaired to NULL by the trigger in " + p);
                    deleteProbe();
                }
                assertEquals(after(p, Phase.BACKFILL) ? 0 : before, Db.count(c, orphans), "orphans after " + p);
                assertEquals(after(p, Phase.SWITCH_READS) ? 1 : 0, constraintCount("tasks_assignee_membership_fkey"));
                if (after(p, Phase.SWITCH_READS)) {
                    assertTrue(validated("tasks_assignee_membership_fkey"));
                }
            }

            @Override
            public void afterPurge() throws SQLException {
                assertNothingOfTandemLeft();
            }
        });
    }

    @Test
    void addUnique() throws SQLException {
        LifecycleDriver tandem = tandem("""
                changes:
                  - add_unique: {table: user_profiles, name: user_profiles_phone_key, columns: [phone]}
                """);
        String taken = (String) Db.scalar(c, "SELECT phone FROM user_profiles WHERE phone IS NOT NULL ORDER BY user_id LIMIT 1");
        String freeUser = "md5('user:1')::uuid"; // odd users have no profile
        PhaseWalk.run(tandem, c, List.of("public"), p -> {
            String dup = attempt("INSERT INTO user_profiles (user_id, phone) VALUES (" + freeUser + ", '" + taken + "')");
            assertEquals(after(p, Phase.SWITCH_READS) ? "23505" : null, dup, "duplicate phone after " + p);
            Db.exec(c, "DELETE FROM user_profiles WHERE user_id = " + freeUser);
            assertEquals(after(p, Phase.SWITCH_READS) ? 1 : 0, constraintCount("user_profiles_phone_key"));
        });
    }

    @Test
    void dropCheckConstraint() throws SQLException {
        LifecycleDriver tandem = tandem("""
                changes:
                  - drop_constraint: {table: tasks, name: tasks_priority_check}
                """);
        PhaseWalk.run(tandem, c, List.of("public"), p -> {
            assertNull(attempt("INSERT INTO tasks (id, project_id, title, priority) VALUES (" + PROBE + ", " + PROJECT + ", 'new', 9)"),
                    "dropped at expand: the new app may write priority 9 after " + p);
            deleteProbe();
        });
        assertEquals(0, constraintCount("tasks_priority_check"));
    }

    @Test
    void dropUniqueConstraint() throws SQLException {
        LifecycleDriver tandem = tandem("""
                changes:
                  - drop_constraint: {table: users, name: users_email_key}
                """);
        PhaseWalk.run(tandem, c, List.of("public"), p -> {
            String dup = attempt("INSERT INTO users (id, email, full_name, password_hash) VALUES (" + PROBE
                    + ", 'user1@example.com', 'Dup', 'x')");
            assertEquals(p == Phase.CONTRACT ? null : "23505", dup, "uniqueness holds until contract, " + p);
            Db.exec(c, "DELETE FROM users WHERE id = " + PROBE);
        });
        assertEquals(0, Db.count(c, "SELECT count(*) FROM pg_class WHERE relname = 'users_email_key'"), "index gone after purge");
    }

    @Test
    void dropForeignKeyWithAction() throws SQLException {
        LifecycleDriver tandem = tandem("""
                changes:
                  - drop_constraint: {table: tasks, name: tasks_assigned_to_fkey}
                """);
        PhaseWalk.run(tandem, c, List.of("public"), p -> {
            String orphan = attempt("INSERT INTO tasks (id, project_id, title, assigned_to) VALUES (" + PROBE + ", " + PROJECT
                    + ", 'x', '00000000-0000-0000-0000-0000000000bb')");
            assertEquals(p == Phase.CONTRACT ? null : "23503", orphan, "the ON DELETE SET NULL key stays until contract, " + p);
            deleteProbe();
        });
    }

    @Test
    void createIndex() throws SQLException {
        LifecycleDriver tandem = tandem("""
                changes:
                  - create_index: {table: tasks, name: tasks_open_idx, columns: [status, "created_at DESC", "lower(title)"], method: btree, where: "due_date IS NOT NULL", include: [priority]}
                """);
        PhaseWalk.run(tandem, c, List.of("public"), p -> {
            assertEquals(Boolean.TRUE, Db.scalar(c, "SELECT indisvalid FROM pg_index WHERE indexrelid = 'tasks_open_idx'::regclass"));
            String def = (String) Db.scalar(c, "SELECT pg_get_indexdef('tasks_open_idx'::regclass)");
            assertTrue(def.contains("status, created_at DESC, lower(title)") && def.contains("INCLUDE (priority)")
                    && def.contains("WHERE (due_date IS NOT NULL)"), def);
            assertNull(attempt("INSERT INTO tasks (id, project_id, title) VALUES (" + PROBE + ", " + PROJECT + ", 'x')"));
            deleteProbe();
        });
    }

    @Test
    void allTenIntentsInOneMigration() throws SQLException {
        Db.exec(c, "UPDATE tasks SET title = repeat('z', 130) WHERE id IN (SELECT id FROM tasks ORDER BY id DESC LIMIT 3)");
        LifecycleDriver tandem = tandem(ConstraintLockTraceTest.CHANGES);
        PhaseWalk.run(tandem, c, List.of("public"), new PhaseWalk.Checks() {
            @Override
            public void afterPhase(Phase p) throws SQLException {
                String old = attempt("INSERT INTO tasks (id, project_id, title, status) VALUES (" + PROBE + ", " + PROJECT
                        + ", repeat('w', 120), 'pending')");
                assertEquals(p == Phase.CONTRACT ? "23502" : null, old, "old-app insert with a NULL due date and a long title after " + p);
                deleteProbe();
            }

            @Override
            public void afterPurge() throws SQLException {
                assertNothingOfTandemLeft();
                assertEquals(1, constraintCount("tasks_member_fkey"));
                assertEquals(1, constraintCount("tasks_title_key"));
                assertEquals(0, constraintCount("tasks_priority_check"));
            }
        });
    }

    @Test
    void dropIndex() throws SQLException {
        LifecycleDriver tandem = tandem("""
                changes:
                  - drop_index: {name: tasks_created_at_idx}
                """);
        PhaseWalk.run(tandem, c, List.of("public"), p -> assertEquals(p == Phase.CONTRACT ? 0 : 1,
                Db.count(c, "SELECT count(*) FROM pg_class WHERE relname = 'tasks_created_at_idx'"), "index present until contract, " + p));
    }
}
