package dev.tandem.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tandem.plan.Phase;
import dev.tandem.sql.Names;
import dev.tandem.sql.QualifiedName;
import dev.tandem.testing.Db;
import dev.tandem.testing.LifecycleDriver;
import dev.tandem.testing.PhaseWalk;
import dev.tandem.testing.SampleDatabaseTest;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several changes to one column in one migration ({@code plan.ColumnChangeSet}) through every phase
 * with {@link PhaseWalk}: each combination is planned as one new column, one trigger, one backfill
 * and one swap; every phase rolls back exactly (fingerprint and data), and the new shape holds from
 * the phase that enforces it.
 */
class ColumnChangeSetLifecycleTest extends SampleDatabaseTest {
    ColumnChangeSetLifecycleTest() {
        super("colset_", 60);
    }

    @TempDir
    Path changelog;

    private static final QualifiedName TASKS = new QualifiedName("public", "tasks");

    @Test
    @DisplayName("change_column_type + set_default: tasks.priority becomes bigint with default 3 at the swap")
    void typeAndDefault() throws SQLException {
        String id = "0001_priority_bigint_default";
        LifecycleDriver tandem = LifecycleDriver.forMigration(db, changelog, id, """
                changes:
                  - change_column_type: {table: tasks, column: priority, type: bigint}
                  - set_default: {table: tasks, column: priority, default: "3"}
                """);
        String shadow = Names.bounded("tandem_new", id, "priority");
        PhaseWalk.run(tandem, c, java.util.List.of("public"), new PhaseWalk.Checks() {
            @Override
            public void afterPhase(Phase p) throws SQLException {
                boolean swapped = p.ordinal() >= Phase.SWITCH_READS.ordinal();
                assertEquals(swapped ? "bigint" : "integer", type("tasks", "priority"), "after " + p);
                Object a = scalar("INSERT INTO tasks (project_id, title) SELECT id, 'default' FROM projects LIMIT 1 RETURNING id");
                try {
                    assertEquals(swapped ? 3L : 1L, num("SELECT priority FROM tasks WHERE id = '" + a + "'"), "the default after " + p);
                    if (p == Phase.DUAL_WRITE || p == Phase.BACKFILL) {
                        assertEquals(1L, num("SELECT " + q(shadow) + " FROM tasks WHERE id = '" + a + "'"), "synced after " + p);
                    }
                    assertThrows(SQLException.class, () -> exec("UPDATE tasks SET priority = 9 WHERE id = '" + a + "'"),
                            "the copied CHECK holds after " + p);
                } finally {
                    exec("DELETE FROM tasks WHERE id = '" + a + "'");
                }
            }

            @Override
            public Map<QualifiedName, Set<String>> excludedData(Phase phase) {
                return phase == Phase.BACKFILL ? Map.of(TASKS, Set.of(shadow)) : Map.of();
            }

            @Override
            public void afterPurge() throws SQLException {
                assertEquals("bigint", type("tasks", "priority"));
                assertEquals("3", columnDefault("tasks", "priority"));
                assertEquals(0L, num("SELECT count(*) FROM pg_constraint WHERE conrelid = 'tasks'::regclass AND conname LIKE 'tandem%'"));
            }
        });
    }

    @Test
    @DisplayName("change_column_type + drop_default: tasks.priority becomes bigint; its default goes at contract")
    void typeAndDropDefault() throws SQLException {
        String id = "0001_priority_bigint_no_default";
        LifecycleDriver tandem = LifecycleDriver.forMigration(db, changelog, id, """
                changes:
                  - change_column_type: {table: tasks, column: priority, type: bigint}
                  - drop_default: {table: tasks, column: priority}
                """);
        String shadow = Names.bounded("tandem_new", id, "priority");
        PhaseWalk.run(tandem, c, java.util.List.of("public"), new PhaseWalk.Checks() {
            @Override
            public void afterPhase(Phase p) throws SQLException {
                String insert = "INSERT INTO tasks (project_id, title) SELECT id, 'default' FROM projects LIMIT 1 RETURNING id";
                if (p == Phase.CONTRACT) {
                    assertEquals("23502", assertThrows(SQLException.class, () -> exec(insert)).getSQLState(), "no default after contract");
                    return;
                }
                Object a = scalar(insert);
                try {
                    assertEquals(1L, num("SELECT priority FROM tasks WHERE id = '" + a + "'"), "the old application's default until contract, after " + p);
                } finally {
                    exec("DELETE FROM tasks WHERE id = '" + a + "'");
                }
            }

            @Override
            public Map<QualifiedName, Set<String>> excludedData(Phase phase) {
                return phase == Phase.BACKFILL ? Map.of(TASKS, Set.of(shadow)) : Map.of();
            }

            @Override
            public void afterPurge() throws SQLException {
                assertEquals("bigint", type("tasks", "priority"));
                assertNull(columnDefault("tasks", "priority"));
            }
        });
    }

    @Test
    @DisplayName("change_column_type + set_not_null with up: tasks.description becomes varchar(200) NOT NULL, NULLs become ''")
    void typeAndNotNull() throws SQLException {
        String id = "0001_description_varchar_not_null";
        LifecycleDriver tandem = LifecycleDriver.forMigration(db, changelog, id, """
                changes:
                  - change_column_type: {table: tasks, column: description, type: varchar(200), up: "left(description, 200)"}
                  - set_not_null: {table: tasks, column: description, up: "coalesce(description, '')"}
                """);
        long nulls = num("SELECT count(*) FROM tasks WHERE description IS NULL");
        assertFalse(nulls == 0, "the seed has NULL descriptions");
        String shadow = Names.bounded("tandem_new", id, "description");
        PhaseWalk.run(tandem, c, java.util.List.of("public"), new PhaseWalk.Checks() {
            @Override
            public void afterPhase(Phase p) throws SQLException {
                boolean swapped = p.ordinal() >= Phase.SWITCH_READS.ordinal();
                assertEquals(swapped ? "character varying(200)" : "text", type("tasks", "description"), "after " + p);
                assertEquals(swapped, notNull("tasks", "description"), "NOT NULL after " + p);
                if (p == Phase.BACKFILL) {
                    assertEquals(0L, num("SELECT count(*) FROM tasks WHERE " + q(shadow) + " IS NULL"), "every row filled");
                    assertEquals(nulls, num("SELECT count(*) FROM tasks WHERE description IS NULL"), "the old column keeps its NULLs");
                }
                if (p == Phase.CONTRACT) {
                    SQLException e = assertThrows(SQLException.class, () -> exec(
                            "INSERT INTO tasks (project_id, title) SELECT id, 'no description' FROM projects LIMIT 1"));
                    assertEquals("23502", e.getSQLState(), "NOT NULL is enforced once the trigger is gone");
                    return;
                }
                Object a = scalar("INSERT INTO tasks (project_id, title) SELECT id, 'no description' FROM projects LIMIT 1 RETURNING id");
                try {
                    if (swapped) {
                        // both versions write the one column: the repair still applies to inserts until contract
                        assertEquals("", scalar("SELECT description FROM tasks WHERE id = '" + a + "'"));
                        SQLException e = assertThrows(SQLException.class, () -> exec("UPDATE tasks SET description = NULL WHERE id = '" + a + "'"));
                        assertEquals("23502", e.getSQLState(), "an update to NULL is refused after " + p);
                    } else {
                        assertNull(scalar("SELECT description FROM tasks WHERE id = '" + a + "'"), "the old column is untouched");
                        if (p != Phase.EXPAND) {
                            assertEquals("", scalar("SELECT " + q(shadow) + " FROM tasks WHERE id = '" + a + "'"), "up fills the new column");
                        }
                    }
                } finally {
                    exec("DELETE FROM tasks WHERE id = '" + a + "'");
                }
            }

            @Override
            public Map<QualifiedName, Set<String>> excludedData(Phase phase) {
                return phase == Phase.BACKFILL ? Map.of(TASKS, Set.of(shadow)) : Map.of();
            }

            @Override
            public void afterPurge() throws SQLException {
                assertEquals("character varying(200)", type("tasks", "description"));
                assertEquals(true, notNull("tasks", "description"));
                assertEquals(nulls, num("SELECT count(*) FROM tasks WHERE description = ''"), "the NULLs became ''");
                assertEquals(0L, num("SELECT count(*) FROM pg_constraint WHERE conrelid = 'tasks'::regclass AND conname LIKE 'tandem%'"));
            }
        });
    }

    @Test
    @DisplayName("change_column_type + set_default + set_not_null + set_comment on tasks.description, one set of phases")
    void typeDefaultNotNullComment() throws SQLException {
        String id = "0001_description_all";
        LifecycleDriver tandem = LifecycleDriver.forMigration(db, changelog, id, """
                changes:
                  - set_comment: {table: tasks, column: description, comment: "what the task is about"}
                  - change_column_type: {table: tasks, column: description, type: varchar(200), up: "left(description, 200)"}
                  - set_default: {table: tasks, column: description, default: "'(none)'"}
                  - set_not_null: {table: tasks, column: description, up: "coalesce(description, '(none)')"}
                """);
        String shadow = Names.bounded("tandem_new", id, "description");
        PhaseWalk.run(tandem, c, java.util.List.of("public"), new PhaseWalk.Checks() {
            @Override
            public void afterPhase(Phase p) throws SQLException {
                boolean swapped = p.ordinal() >= Phase.SWITCH_READS.ordinal();
                assertEquals(swapped ? "character varying(200)" : "text", type("tasks", "description"), "after " + p);
                assertEquals(swapped ? "what the task is about" : null, scalar("SELECT col_description('tasks'::regclass,"
                        + " (SELECT attnum FROM pg_attribute WHERE attrelid = 'tasks'::regclass AND attname = 'description'))"), "comment after " + p);
                Object a = scalar("INSERT INTO tasks (project_id, title) SELECT id, 'no description' FROM projects LIMIT 1 RETURNING id");
                Object b = scalar("INSERT INTO tasks (project_id, title, description) SELECT id, 'described', 'hello' FROM projects LIMIT 1 RETURNING id");
                try {
                    assertEquals(swapped ? "(none)" : null, scalar("SELECT description FROM tasks WHERE id = '" + a + "'"), "default after " + p);
                    assertEquals("hello", scalar("SELECT description FROM tasks WHERE id = '" + b + "'"));
                    if (p == Phase.DUAL_WRITE || p == Phase.BACKFILL) {
                        assertEquals("(none)", scalar("SELECT " + q(shadow) + " FROM tasks WHERE id = '" + a + "'"));
                        assertEquals("hello", scalar("SELECT " + q(shadow) + " FROM tasks WHERE id = '" + b + "'"));
                    }
                    if (swapped) {
                        assertThrows(SQLException.class, () -> exec("UPDATE tasks SET description = NULL WHERE id = '" + b + "'"));
                    }
                } finally {
                    exec("DELETE FROM tasks WHERE id IN ('" + a + "', '" + b + "')");
                }
            }

            @Override
            public Map<QualifiedName, Set<String>> excludedData(Phase phase) {
                return phase == Phase.BACKFILL ? Map.of(TASKS, Set.of(shadow)) : Map.of();
            }

            @Override
            public void afterPurge() throws SQLException {
                assertEquals("character varying(200)", type("tasks", "description"));
                assertEquals(true, notNull("tasks", "description"));
                assertEquals("'(none)'::character varying", columnDefault("tasks", "description"));
                assertEquals(0L, num("SELECT count(*) FROM tasks WHERE description IS NULL"));
            }
        });
    }

    @Test
    @DisplayName("set_default + set_not_null (no type change) on tasks.due_date: each recipe, one migration, exact rollbacks")
    void defaultAndNotNull() throws SQLException {
        String id = "0001_due_date_required";
        LifecycleDriver tandem = LifecycleDriver.forMigration(db, changelog, id, """
                changes:
                  - set_default: {table: tasks, column: due_date, default: "date '2030-01-01'"}
                  - set_not_null: {table: tasks, column: due_date, up: "coalesce(due_date, date '2030-01-01')"}
                """);
        PhaseWalk.run(tandem, c, java.util.List.of("public"), new PhaseWalk.Checks() {
            @Override
            public void afterPhase(Phase p) throws SQLException {
                Object a = scalar("INSERT INTO tasks (project_id, title) SELECT id, 'no date' FROM projects LIMIT 1 RETURNING id");
                try {
                    assertEquals("2030-01-01", String.valueOf(scalar("SELECT due_date FROM tasks WHERE id = '" + a + "'")), "default after " + p);
                    assertEquals(p.ordinal() >= Phase.SWITCH_READS.ordinal(), notNull("tasks", "due_date"), "NOT NULL after " + p);
                } finally {
                    exec("DELETE FROM tasks WHERE id = '" + a + "'");
                }
            }

            @Override
            public Map<QualifiedName, Set<String>> excludedData(Phase phase) {
                // the backfill fills the NULLs; its rollback restores them from the saved originals
                return Map.of();
            }

            @Override
            public void afterPurge() throws SQLException {
                assertEquals(true, notNull("tasks", "due_date"));
                assertEquals(0L, num("SELECT count(*) FROM tasks WHERE due_date IS NULL"));
            }
        });
    }

    @Test
    @DisplayName("change_column_type + add_check: comments.body becomes varchar(500) with a check on the new column")
    void typeAndCheck() throws SQLException {
        String id = "0001_body_varchar_check";
        LifecycleDriver tandem = LifecycleDriver.forMigration(db, changelog, id, """
                changes:
                  - change_column_type: {table: comments, column: body, type: varchar(500), up: "left(body, 500)"}
                  - add_check: {table: comments, name: comments_body_not_blank, check: "length(btrim(body)) > 0"}
                """);
        String shadow = Names.bounded("tandem_new", id, "body");
        PhaseWalk.run(tandem, c, java.util.List.of("public"), new PhaseWalk.Checks() {
            @Override
            public void afterPhase(Phase p) throws SQLException {
                boolean swapped = p.ordinal() >= Phase.SWITCH_READS.ordinal();
                assertEquals(swapped ? "character varying(500)" : "text", type("comments", "body"), "after " + p);
                boolean enforced = p.ordinal() >= Phase.BACKFILL.ordinal();
                String blank = "INSERT INTO comments (task_id, author_id, body) SELECT t.id, u.id, '  ' FROM tasks t, users u LIMIT 1 RETURNING id";
                if (enforced) {
                    SQLException e = assertThrows(SQLException.class, () -> exec(blank), "a blank body is refused after " + p);
                    assertEquals("23514", e.getSQLState());
                    if (swapped) {
                        assertEquals(true, e.getMessage().contains("comments_body_not_blank"), e.getMessage());
                    }
                } else {
                    long k = num(blank);
                    exec("DELETE FROM comments WHERE id = " + k);
                }
                long ok = num("INSERT INTO comments (task_id, author_id, body) SELECT t.id, u.id, 'fine' FROM tasks t, users u LIMIT 1 RETURNING id");
                exec("DELETE FROM comments WHERE id = " + ok);
            }

            @Override
            public Map<QualifiedName, Set<String>> excludedData(Phase phase) {
                return phase == Phase.BACKFILL ? Map.of(new QualifiedName("public", "comments"), Set.of(shadow)) : Map.of();
            }

            @Override
            public void afterPurge() throws SQLException {
                assertEquals("character varying(500)", type("comments", "body"));
                assertEquals("CHECK ((length(btrim((body)::text)) > 0))", scalar("SELECT pg_get_constraintdef(oid) FROM pg_constraint"
                        + " WHERE conrelid = 'comments'::regclass AND conname = 'comments_body_not_blank'"));
                assertEquals(Boolean.TRUE, scalar("SELECT convalidated FROM pg_constraint WHERE conname = 'comments_body_not_blank'"));
            }
        });
    }

    @Test
    @DisplayName("change_column_type + add_unique: user_profiles.phone becomes varchar(40) and unique")
    void typeAndUnique() throws SQLException {
        String id = "0001_phone_varchar_unique";
        LifecycleDriver tandem = LifecycleDriver.forMigration(db, changelog, id, """
                changes:
                  - change_column_type: {table: user_profiles, column: phone, type: varchar(40), up: "left(phone, 40)"}
                  - add_unique: {table: user_profiles, name: user_profiles_phone_key, columns: [phone]}
                """);
        String shadow = Names.bounded("tandem_new", id, "phone");
        Object first = scalar("SELECT user_id FROM user_profiles WHERE phone IS NOT NULL ORDER BY user_id LIMIT 1");
        Object second = scalar("SELECT user_id FROM user_profiles WHERE phone IS NOT NULL ORDER BY user_id OFFSET 1 LIMIT 1");
        Object secondPhone = scalar("SELECT phone FROM user_profiles WHERE user_id = '" + second + "'");
        PhaseWalk.run(tandem, c, java.util.List.of("public"), new PhaseWalk.Checks() {
            @Override
            public void afterPhase(Phase p) throws SQLException {
                boolean swapped = p.ordinal() >= Phase.SWITCH_READS.ordinal();
                assertEquals(swapped ? "character varying(40)" : "text", type("user_profiles", "phone"), "after " + p);
                String dup = "UPDATE user_profiles SET phone = '" + secondPhone + "' WHERE user_id = '" + first + "'";
                if (p.ordinal() >= Phase.BACKFILL.ordinal()) {
                    SQLException e = assertThrows(SQLException.class, () -> exec(dup), "a duplicate phone is refused after " + p);
                    assertEquals("23505", e.getSQLState());
                    if (swapped) {
                        assertEquals(true, e.getMessage().contains("user_profiles_phone_key"), e.getMessage());
                    }
                } else {
                    c.setAutoCommit(false); // rolled back: the table's updated_at trigger would stamp the row
                    try {
                        exec(dup);
                        assertEquals(secondPhone, scalar("SELECT phone FROM user_profiles WHERE user_id = '" + first + "'"));
                    } finally {
                        c.rollback();
                        c.setAutoCommit(true);
                    }
                }
            }

            @Override
            public Map<QualifiedName, Set<String>> excludedData(Phase phase) {
                return phase == Phase.BACKFILL ? Map.of(new QualifiedName("public", "user_profiles"), Set.of(shadow)) : Map.of();
            }

            @Override
            public void afterPurge() throws SQLException {
                assertEquals("character varying(40)", type("user_profiles", "phone"));
                assertEquals("UNIQUE (phone)", scalar("SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = 'user_profiles_phone_key'"));
                assertEquals(1L, num("SELECT count(*) FROM pg_class WHERE relname = 'user_profiles_phone_key' AND relkind = 'i'"));
            }
        });
    }

    // ------------------------------------------------------------------ helpers

    private static String q(String ident) {
        return dev.tandem.sql.Ident.quote(ident);
    }

    private void exec(String sql) throws SQLException {
        Db.exec(c, sql);
    }

    private Object scalar(String sql) throws SQLException {
        return Db.scalar(c, sql);
    }

    private long num(String sql) throws SQLException {
        Object v = Db.scalar(c, sql);
        assertFalse(v == null, "no value from " + sql);
        return ((Number) v).longValue();
    }

    private String type(String table, String column) throws SQLException {
        return (String) scalar("SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = '" + table
                + "'::regclass AND attname = '" + column + "' AND NOT attisdropped");
    }

    private boolean notNull(String table, String column) throws SQLException {
        return (Boolean) scalar("SELECT attnotnull FROM pg_attribute WHERE attrelid = '" + table + "'::regclass AND attname = '" + column + "'");
    }

    private String columnDefault(String table, String column) throws SQLException {
        return (String) scalar("SELECT pg_get_expr(adbin, adrelid) FROM pg_attrdef WHERE adrelid = '" + table + "'::regclass"
                + " AND adnum = (SELECT attnum FROM pg_attribute WHERE attrelid = '" + table + "'::regclass AND attname = '" + column + "')");
    }
}
