package dev.tandem.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.TandemException;
import dev.tandem.catalog.Fingerprint;
import dev.tandem.plan.Phase;
import dev.tandem.sql.Names;
import dev.tandem.sql.QualifiedName;
import dev.tandem.testing.Db;
import dev.tandem.testing.LifecycleDriver;
import dev.tandem.testing.PhaseWalk;
import dev.tandem.testing.SampleSchema;
import dev.tandem.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Views over a column that an intent renames, retypes or drops, on a real PostgreSQL: a simple view
 * is carried through a rename; other views are refused up front naming them, with nothing changed,
 * unless a sql step of the same migration drops the view.
 */
class ViewLifecycleTest {
    @TempDir
    Path changelog;

    static List<String> strings(Connection c, String sql) throws SQLException {
        List<String> out = new java.util.ArrayList<>();
        try (Statement s = c.createStatement(); java.sql.ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    static void exec(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    @Test
    @DisplayName("rename_column carries a simple view: old output name, new column from contract, every rollback exact")
    void renameCarriesASimpleView() throws SQLException {
        TestDatabase db = TestDatabase.create("view_rename");
        try (Connection c = db.connect()) {
            SampleSchema.load(c);
            SampleSchema.seed(c, 120);
            exec(c, "CREATE VIEW user_names AS SELECT id, full_name, email AS mail FROM users");
            exec(c, "COMMENT ON VIEW user_names IS 'for the reports'");
            LifecycleDriver tandem = LifecycleDriver.forMigration(db, changelog, "0001_rename_full_name", LifecycleDriver.RENAME_YAML);
            PhaseWalk.run(tandem, c, List.of("public"), new PhaseWalk.Checks() {
                @Override
                public Map<QualifiedName, Set<String>> excludedData(Phase phase) {
                    // the backfilled copy stays until expand's rollback drops the column
                    return phase == Phase.BACKFILL ? Map.of(new QualifiedName("public", "users"), Set.of("display_name")) : Map.of();
                }

                @Override
                public void afterPhase(Phase p) throws SQLException {
                    String authoritative = p == Phase.CONTRACT ? "display_name" : "full_name";
                    assertEquals(0L, Db.count(c, "SELECT count(*) FROM user_names v JOIN users u USING (id)"
                            + " WHERE v.full_name IS DISTINCT FROM u." + authoritative), "the view reads " + authoritative + " after " + p);
                    assertEquals(List.of("id", "full_name", "mail"), viewColumns(c), "output columns after " + p);
                    if (p == Phase.CONTRACT) {
                        String tag = UUID.randomUUID().toString().substring(0, 8);
                        UUID n = Rows.insert(c, "INSERT INTO users (email, display_name, password_hash) VALUES (?, 'Late Writer', 'h')"
                                + " RETURNING id", tag + "@t.invalid");
                        try {
                            assertEquals(1L, Db.count(c, "SELECT count(*) FROM user_names WHERE id = '" + n + "' AND full_name = 'Late Writer'"),
                                    "a row the new application writes after contract is visible through the view");
                        } finally {
                            Rows.delete(c, "users", List.of(n));
                        }
                    }
                }

                @Override
                public void afterPurge() throws SQLException {
                    assertEquals(List.of("id", "full_name", "mail"), viewColumns(c));
                    assertEquals(0L, Db.count(c, "SELECT count(*) FROM user_names v JOIN users u USING (id)"
                            + " WHERE v.full_name IS DISTINCT FROM u.display_name"));
                    assertEquals(1L, Db.count(c, "SELECT count(*) FROM pg_description WHERE objoid = 'user_names'::regclass"
                            + " AND description = 'for the reports'"), "the comment stays");
                }
            });
        }
    }

    static List<String> viewColumns(Connection c) throws SQLException {
        return strings(c, "SELECT attname::text FROM pg_attribute WHERE attrelid = 'user_names'::regclass AND attnum > 0"
                + " AND NOT attisdropped ORDER BY attnum");
    }

    @Test
    @DisplayName("views that cannot be carried are refused before any DDL, naming them")
    void viewsThatCannotBeCarriedAreRefusedUpFront() throws Exception {
        TestDatabase db = TestDatabase.create("view_refuse");
        try (Connection c = db.connect()) {
            SampleSchema.load(c);
            SampleSchema.seed(c, 20);
            exec(c, "CREATE VIEW active_names AS SELECT id, full_name FROM users WHERE email <> ''");
            exec(c, "CREATE MATERIALIZED VIEW task_priorities AS SELECT id, priority FROM tasks");
            exec(c, "CREATE VIEW user_secrets AS SELECT id, password_hash FROM users");
            Fingerprint before = Fingerprint.of(c, List.of("public"), true);
            refused(db, "0001_rename", LifecycleDriver.RENAME_YAML, "view public.active_names reads public.users.full_name");
            refused(db, "0002_retype", """
                    changes:
                      - change_column_type: {table: tasks, column: priority, type: bigint}
                    """, "materialized view public.task_priorities reads public.tasks.priority");
            refused(db, "0003_drop", """
                    changes:
                      - drop_column: {table: users, column: password_hash}
                    """, "view public.user_secrets reads public.users.password_hash");
            PhaseWalk.assertNoDiff(before, Fingerprint.of(c, List.of("public"), true), "refused migrations");
        }
    }

    private void refused(TestDatabase db, String id, String yaml, String expected) throws Exception {
        Path dir = java.nio.file.Files.createDirectories(changelog.resolve(id));
        LifecycleDriver tandem = LifecycleDriver.forMigration(db, dir, id, yaml);
        TandemException e = assertThrows(TandemException.class, () -> tandem.apply(Phase.EXPAND));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(e.getMessage().contains(id + ".yaml:"), "names the file and line: " + e.getMessage());
        assertEquals(2, e.exitCode(), e.getMessage());
    }

    @Test
    @DisplayName("drop_column with a sql step that drops the view in the same migration: walks, every rollback exact")
    void dropColumnWithTheViewDroppedInTheSameMigration() throws SQLException {
        TestDatabase db = TestDatabase.create("view_drop");
        try (Connection c = db.connect()) {
            SampleSchema.load(c);
            SampleSchema.seed(c, 60);
            exec(c, "CREATE VIEW user_secrets AS SELECT id, password_hash FROM public.users");
            LifecycleDriver tandem = LifecycleDriver.forMigration(db, changelog, "0001_drop_password", """
                    changes:
                      - sql:
                          phase: expand
                          up: DROP VIEW user_secrets
                          down: CREATE VIEW user_secrets AS SELECT id, password_hash FROM public.users
                      - drop_column: {table: users, column: password_hash, down: "'!'"}
                    """);
            PhaseWalk.run(tandem, c, List.of("public"), new PhaseWalk.Checks() {
                @Override
                public void afterPhase(Phase p) throws SQLException {
                    assertFalse(Db.count(c, "SELECT count(*) FROM pg_class WHERE relname = 'user_secrets'") > 0, "dropped at expand");
                }

                @Override
                public void afterPurge() throws SQLException {
                    assertFalse(Db.columnExists(c, "public", "users", "password_hash"));
                }
            });
        }
    }

    @Test
    @DisplayName("change_column_type with a sql step that drops the view first: walks, every rollback exact")
    void retypeWithTheViewDroppedInTheSameMigration() throws SQLException {
        TestDatabase db = TestDatabase.create("view_retype");
        try (Connection c = db.connect()) {
            SampleSchema.load(c);
            SampleSchema.seed(c, 60);
            exec(c, "CREATE VIEW urgent_tasks AS SELECT id, priority FROM public.tasks WHERE priority > 3");
            LifecycleDriver tandem = LifecycleDriver.forMigration(db, changelog, "0001_priority_bigint", """
                    changes:
                      - sql:
                          phase: expand
                          up: DROP VIEW IF EXISTS public.urgent_tasks
                          down: CREATE VIEW urgent_tasks AS SELECT id, priority FROM public.tasks WHERE priority > 3
                      - change_column_type: {table: tasks, column: priority, type: bigint}
                    """);
            String shadow = Names.bounded("tandem_new", "0001_priority_bigint", "priority");
            PhaseWalk.run(tandem, c, List.of("public"), new PhaseWalk.Checks() {
                @Override
                public Map<QualifiedName, Set<String>> excludedData(Phase phase) {
                    return phase == Phase.BACKFILL ? Map.of(new QualifiedName("public", "tasks"), Set.of(shadow)) : Map.of();
                }

                @Override
                public void afterPhase(Phase p) throws SQLException {
                    assertFalse(Db.count(c, "SELECT count(*) FROM pg_class WHERE relname = 'urgent_tasks'") > 0, "dropped at expand");
                }

                @Override
                public void afterPurge() throws SQLException {
                    assertEquals(List.of("bigint"), strings(c, "SELECT format_type(atttypid, atttypmod) FROM pg_attribute"
                            + " WHERE attrelid = 'tasks'::regclass AND attname = 'priority'"));
                }
            });
        }
    }
}
