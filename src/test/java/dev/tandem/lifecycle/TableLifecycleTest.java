package dev.tandem.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.TandemException;
import dev.tandem.catalog.Fingerprint;
import dev.tandem.plan.Phase;
import dev.tandem.state.MigrationRecord.Status;
import dev.tandem.testing.Db;
import dev.tandem.testing.LifecycleDriver;
import dev.tandem.testing.PhaseWalk;
import dev.tandem.testing.SampleSchema;
import dev.tandem.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lifecycles of {@code create_table}, {@code drop_table}, {@code rename_table} and {@code sql} on a
 * real PostgreSQL with the seeded sample schema: every phase applied, checked with old-app and
 * new-app reads and writes, rolled back to an identical fingerprint, applied again; then purge.
 * Plus the refusals that protect data: an expand rollback that would drop rows, and a rollback
 * over an irreversible sql step.
 */
class TableLifecycleTest {
    static final String OWNER = "SELECT id FROM users ORDER BY id LIMIT 1";

    @TempDir
    Path changelog;

    TestDatabase db;
    Connection c;

    @BeforeEach
    void setUp(TestInfo info) throws SQLException {
        db = TestDatabase.create("tables_" + info.getTestMethod().orElseThrow().getName());
        c = db.connect();
        SampleSchema.load(c);
        SampleSchema.seed(c, 60);
    }

    @AfterEach
    void tearDown() throws SQLException {
        if (c != null) {
            c.close();
        }
    }

    private LifecycleDriver migration(String id, String yaml) {
        return LifecycleDriver.forMigration(db, changelog, id, yaml);
    }

    private Fingerprint fingerprint() {
        return Fingerprint.of(c, List.of("public"), true);
    }

    private boolean relationExists(String name) throws SQLException {
        return Boolean.TRUE.equals(Db.scalar(c, "SELECT to_regclass('public." + name + "') IS NOT NULL"));
    }

    private String relkind(String name) throws SQLException {
        Object k = Db.scalar(c, "SELECT relkind::text FROM pg_class WHERE oid = to_regclass('public." + name + "')");
        return k == null ? null : k.toString();
    }

    // ------------------------------------------------------------------------------ create_table

    static final String CREATE_NOTES = """
            description: Task notes
            changes:
              - create_table:
                  table: task_notes
                  columns:
                    - {name: id, type: bigint, identity: true, primary_key: true}
                    - {name: task_id, type: uuid, nullable: false, references: {table: tasks, column: id, on_delete: cascade}}
                    - {name: author_id, type: uuid, references: {table: users, on_delete: set_null}}
                    - {name: body, type: text, nullable: false, check: "length(body) > 0"}
                    - {name: token, type: uuid, nullable: false, default: gen_random_uuid(), unique: true}
                    - {name: created_at, type: timestamptz, nullable: false, default: now()}
                  constraints:
                    - {type: unique, name: task_notes_task_body_key, columns: [task_id, body]}
            """;

    private long insertNote(String body) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO task_notes (task_id, author_id, body)"
                + " VALUES ((SELECT id FROM tasks ORDER BY id LIMIT 1), (" + OWNER + "), ?) RETURNING id, token, created_at")) {
            ps.setString(1, body);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                assertNotNull(rs.getObject("token"), "the default gen_random_uuid() applies");
                assertNotNull(rs.getObject("created_at"), "the default now() applies");
                return rs.getLong("id");
            }
        }
    }

    /** The old application's writes: a task inserted and deleted, untouched by the new table. */
    private void oldAppWritesTasks() throws SQLException {
        Object id = Db.scalar(c, "INSERT INTO tasks (project_id, title) VALUES ((SELECT id FROM projects ORDER BY id LIMIT 1),"
                + " 'old app') RETURNING id");
        assertEquals(1, Db.count(c, "SELECT count(*) FROM tasks WHERE id = '" + id + "'"));
        Db.exec(c, "DELETE FROM tasks WHERE id = '" + id + "'");
    }

    @Test
    void createTableEveryPhaseRollsBackExactly() throws SQLException {
        LifecycleDriver tandem = migration("0001_task_notes", CREATE_NOTES);
        PhaseWalk.run(tandem, c, List.of("public"), new PhaseWalk.Checks() {
            @Override
            public void afterPhase(Phase phase) throws SQLException {
                oldAppWritesTasks();
                long id = insertNote("new app note " + phase);
                assertTrue(id > 0, "identity assigns the key");
                SQLException dup = assertThrows(SQLException.class, () -> insertNote("new app note " + phase));
                assertEquals("23505", dup.getSQLState(), "the table-level unique constraint holds");
                SQLException empty = assertThrows(SQLException.class, () -> insertNote(""));
                assertEquals("23514", empty.getSQLState(), "the column check holds");
                Db.exec(c, "DELETE FROM task_notes");
            }
        });
        assertEquals(List.of("task_notes_author_id_fkey", "task_notes_body_check", "task_notes_pkey", "task_notes_task_body_key",
                        "task_notes_task_id_fkey", "task_notes_token_key"),
                names("SELECT conname FROM pg_constraint WHERE conrelid = 'task_notes'::regclass AND contype <> 'n' ORDER BY 1"));
        // on_delete cascade and set_null as declared
        assertEquals("c", Db.scalar(c, "SELECT confdeltype::text FROM pg_constraint WHERE conname = 'task_notes_task_id_fkey'"));
        assertEquals("n", Db.scalar(c, "SELECT confdeltype::text FROM pg_constraint WHERE conname = 'task_notes_author_id_fkey'"));
    }

    @Test
    void createTableTakesTheDeclaredLockOnReferencedTables() throws Exception {
        Path file = changelog.resolve("0001_task_notes.yaml");
        java.nio.file.Files.writeString(file, CREATE_NOTES);
        dev.tandem.plan.MigrationPlan plan = new dev.tandem.plan.Planner(dev.tandem.plan.PlanOptions.defaults())
                .plan(dev.tandem.intent.ChangelogReader.readFile(file), Optional.empty());
        dev.tandem.plan.Step step = plan.phase(Phase.EXPAND).steps().get(0);
        c.setAutoCommit(false);
        try {
            Db.exec(c, step.sql());
            List<String> modes = names("SELECT c.relname || ' ' || l.mode FROM pg_locks l JOIN pg_class c ON c.oid = l.relation"
                    + " WHERE l.pid = pg_backend_pid() AND c.relname IN ('tasks', 'users') AND l.mode <> 'AccessShareLock' ORDER BY 1");
            assertEquals(List.of("tasks " + lockName(step.lock()), "users " + lockName(step.lock())), modes);
        } finally {
            c.rollback();
            c.setAutoCommit(true);
        }
    }

    private static String lockName(dev.tandem.plan.LockLevel l) {
        StringBuilder sb = new StringBuilder();
        for (String w : l.sqlName().toLowerCase(java.util.Locale.ROOT).split(" ")) {
            sb.append(Character.toUpperCase(w.charAt(0))).append(w.substring(1));
        }
        return sb + "Lock";
    }

    @Test
    void createTableRollbackRefusesWhileTheTableHasRows() throws SQLException {
        LifecycleDriver tandem = migration("0001_task_notes", CREATE_NOTES);
        tandem.apply(Phase.EXPAND);
        insertNote("written by the new application");
        TandemException e = assertThrows(TandemException.class, tandem::rollbackOne);
        assertTrue(e.getMessage().contains("public.task_notes") && e.getMessage().contains("has rows"), e.getMessage());
        assertTrue(relationExists("task_notes"), "the table is kept");
        assertEquals(1, Db.count(c, "SELECT count(*) FROM task_notes"), "its row is kept");

        // what the message says to do: keep the table (apply again) ...
        tandem.apply(Phase.EXPAND);
        assertEquals(Optional.of(Phase.EXPAND), tandem.record().phase());
        assertEquals(Status.IN_PROGRESS, tandem.record().status());
        // ... or move the rows away, then the rollback goes through
        Db.exec(c, "DELETE FROM task_notes");
        assertEquals(List.of(Phase.EXPAND), tandem.rollbackOne());
        assertFalse(relationExists("task_notes"));
    }

    @Test
    void createTableRefusesAnExistingTableWithPositionAndNoChange() throws SQLException {
        Fingerprint before = fingerprint();
        LifecycleDriver tandem = migration("0001_again", """
                changes:
                  - create_table:
                      table: comments
                      columns: [{name: id, type: integer}]
                """);
        TandemException e = assertThrows(TandemException.class, () -> tandem.apply(Phase.EXPAND));
        assertEquals(TandemException.BAD_INPUT, e.exitCode());
        assertTrue(e.getMessage().contains("0001_again.yaml:2:5: create_table: table public.comments already exists"), e.getMessage());
        PhaseWalk.assertNoDiff(before, fingerprint(), "refused create_table");
    }

    // ------------------------------------------------------------------------------ drop_table

    @Test
    void dropTableEveryPhaseRollsBackExactly() throws SQLException {
        LifecycleDriver tandem = migration("0002_drop_members", """
                changes:
                  - drop_table: {table: project_members}
                """);
        long rows = Db.count(c, "SELECT count(*) FROM project_members");
        assertTrue(rows > 0);
        PhaseWalk.run(tandem, c, List.of("public"), new PhaseWalk.Checks() {
            @Override
            public void afterPhase(Phase phase) throws SQLException {
                if (phase != Phase.CONTRACT) {
                    // the old application still reads and writes the table
                    Db.exec(c, "INSERT INTO project_members (project_id, user_id, role) SELECT p.id, u.id, 'member'"
                            + " FROM projects p, users u WHERE NOT EXISTS (SELECT FROM project_members m"
                            + " WHERE m.project_id = p.id AND m.user_id = u.id) LIMIT 1");
                    assertEquals(rows + 1, Db.count(c, "SELECT count(*) FROM project_members"));
                    Db.exec(c, "DELETE FROM project_members WHERE role = 'member' AND created_at > now() - interval '1 hour'");
                    assertEquals(rows, Db.count(c, "SELECT count(*) FROM project_members"));
                } else {
                    assertFalse(relationExists("project_members"), "out of sight after contract");
                    assertEquals(rows, Db.count(c, "SELECT count(*) FROM \"tandem_retired_0002_drop_members_project_members\""),
                            "the rows are kept under the retired name");
                }
                // the new application does not use it; its other writes work in every phase
                oldAppWritesTasks();
            }

            @Override
            public void afterPurge() throws SQLException {
                assertFalse(relationExists("tandem_retired_0002_drop_members_project_members"));
                assertFalse(relationExists("project_members"));
            }
        });
    }

    @Test
    void dropTableRefusesATableOthersReference() throws SQLException {
        Fingerprint before = fingerprint();
        LifecycleDriver tandem = migration("0002_drop_tasks", """
                changes:
                  - drop_table: {table: tasks}
                """);
        TandemException e = assertThrows(TandemException.class, () -> tandem.apply(Phase.EXPAND));
        assertEquals(TandemException.BAD_INPUT, e.exitCode());
        assertTrue(e.getMessage().contains("0002_drop_tasks.yaml:2:5: drop_table: table public.tasks is referenced by foreign key comments_task_id_fkey on public.comments"),
                e.getMessage());
        PhaseWalk.assertNoDiff(before, fingerprint(), "refused drop_table");
    }

    // ------------------------------------------------------------------------------ rename_table

    /** Insert, update (the user trigger stamps updated_at), upsert, delete with RETURNING through {@code relation}. */
    private void projectWrites(String relation, String who) throws SQLException {
        UUID id;
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + relation + " (name, owner_id, updated_at) VALUES (?, ("
                + OWNER + "), timestamptz '2000-01-01') RETURNING id, status::text, created_at")) {
            ps.setString(1, who + " project");
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                id = (UUID) rs.getObject("id");
                assertNotNull(id, who + ": the gen_random_uuid() default applies");
                assertEquals("active", rs.getString(2), who + ": the enum default applies");
                assertNotNull(rs.getObject(3), who + ": the now() default applies");
            }
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + relation + " SET description = 'changed' WHERE id = ? RETURNING updated_at")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                assertTrue(rs.getTimestamp(1).after(Timestamp.valueOf("2001-01-01 00:00:00")), who + ": the updated_at trigger fired");
            }
        }
        // a new task references the project through the foreign key to the table
        Db.exec(c, "INSERT INTO tasks (project_id, title) VALUES ('" + id + "', 'task of " + who + "')");
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + relation + " (id, name, owner_id) VALUES (?, 'x', (" + OWNER
                + ")) ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name || ' (upserted)' RETURNING name")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                assertEquals("x (upserted)", rs.getString(1), who + ": ON CONFLICT works");
            }
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + relation + " WHERE id = ? RETURNING name")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next(), who + ": DELETE … RETURNING");
            }
        }
        assertEquals(0, Db.count(c, "SELECT count(*) FROM tasks WHERE project_id = '" + id + "'"), "cascade through the view's delete");
    }

    @Test
    void renameTableEveryPhaseOldAndNewAppsWork() throws SQLException {
        LifecycleDriver tandem = migration("0001_rename_projects", """
                changes:
                  - rename_table: {table: projects, to: workspaces}
                """);
        // a role is created by the server's user: the owner role of the non-superuser run may not create roles
        db.admin("DO $$ BEGIN CREATE ROLE tandem_test_reader; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$");
        Db.exec(c, "GRANT SELECT ON projects TO tandem_test_reader");
        long rows = Db.count(c, "SELECT count(*) FROM projects");
        // a server-prepared statement of the old application, from before expand
        PreparedStatement oldQuery = c.prepareStatement("SELECT count(*) FROM projects WHERE name IS NOT NULL AND id <> ?");
        for (int i = 0; i < 6; i++) {
            assertEquals(rows, countOf(oldQuery));
        }
        PhaseWalk.run(tandem, c, List.of("public"), new PhaseWalk.Checks() {
            @Override
            public void afterPhase(Phase phase) throws SQLException {
                projectWrites("workspaces", "new app " + phase);
                if (phase != Phase.CONTRACT) {
                    assertEquals("v", relkind("projects"), "projects is a view during the rollout");
                    projectWrites("projects", "old app " + phase);
                    assertEquals(rows, countOf(oldQuery), "the old app's prepared statement still works");
                    assertEquals(Boolean.TRUE, Db.scalar(c, "SELECT has_table_privilege('tandem_test_reader', 'projects', 'SELECT')"),
                            "the view has the table's grants");
                } else {
                    assertFalse(relationExists("projects"), "the view is gone after contract");
                }
                assertEquals(rows, Db.count(c, "SELECT count(*) FROM workspaces"));
            }

            @Override
            public void afterPurge() throws SQLException {
                assertEquals("r", relkind("workspaces"));
                assertFalse(relationExists("projects"));
            }
        });
        oldQuery.close();
    }

    private static long countOf(PreparedStatement ps) throws SQLException {
        ps.setObject(1, UUID.randomUUID());
        try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void renameTableOldAppWritesNeverFailWhileTheNamesSwap() throws Exception {
        int swaps = 0;
        LifecycleDriver tandem = migration("0001_rename_projects", """
                changes:
                  - rename_table: {table: projects, to: workspaces}
                """);
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicLong writes = new java.util.concurrent.atomic.AtomicLong();
        java.util.List<Throwable> failures = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        Thread oldApp = new Thread(() -> {
            try (Connection w = db.connect()) {
                while (!stop.get()) {
                    try {
                        Object id = Db.scalar(w, "INSERT INTO projects (name, owner_id) VALUES ('old app', (" + OWNER + ")) RETURNING id");
                        Db.exec(w, "UPDATE projects SET description = 'x' WHERE id = '" + id + "'");
                        Db.exec(w, "DELETE FROM projects WHERE id = '" + id + "'");
                        writes.incrementAndGet();
                    } catch (SQLException e) {
                        failures.add(e);
                    }
                }
            } catch (SQLException e) {
                failures.add(e);
            }
        });
        oldApp.start();
        try {
            long deadline = System.nanoTime() + 3_000_000_000L;
            while (System.nanoTime() < deadline || swaps < 5) {
                tandem.apply(Phase.EXPAND);
                tandem.rollbackOne();
                swaps++;
            }
        } finally {
            stop.set(true);
            oldApp.join(10_000);
        }
        assertEquals(List.of(), failures.stream().map(Throwable::getMessage).toList(), "old-app writes that failed");
        assertTrue(writes.get() > 0, "the old app wrote during the swaps");
        System.out.println("rename_table under load: " + swaps + " expand+rollback swaps, " + writes.get()
                + " old-app write cycles (insert, update, delete), 0 failed");
    }

    @Test
    void renameTableViewAppliesIdentityDefaults() throws SQLException {
        LifecycleDriver tandem = migration("0001_rename_comments", """
                changes:
                  - rename_table: {table: comments, to: task_comments}
                """);
        Fingerprint before = fingerprint();
        tandem.apply(Phase.EXPAND);
        Object id = Db.scalar(c, "INSERT INTO comments (task_id, author_id, body) SELECT t.id, (" + OWNER + "), 'via the view'"
                + " FROM tasks t ORDER BY t.id LIMIT 1 RETURNING id");
        assertNotNull(id, "the identity default applies to an insert through the view");
        assertEquals(1, Db.count(c, "SELECT count(*) FROM task_comments WHERE id = " + id + " AND body = 'via the view'"));
        Db.exec(c, "INSERT INTO comment_reactions (comment_id, user_id, emoji) VALUES (" + id + ", (" + OWNER + "), ':)')");
        Db.exec(c, "DELETE FROM comments WHERE id = " + id);
        assertEquals(0, Db.count(c, "SELECT count(*) FROM comment_reactions WHERE comment_id = " + id), "cascade from the table");
        assertEquals(List.of(Phase.EXPAND), tandem.rollbackOne());
        PhaseWalk.assertNoDiff(before, Fingerprint.of(c, List.of("public"), true), "rename_table expand rollback");
    }

    @Test
    void renameTableRefusesAnExistingName() throws SQLException {
        Fingerprint before = fingerprint();
        LifecycleDriver tandem = migration("0001_rename_clash", """
                changes:
                  - rename_table: {table: projects, to: tasks}
                """);
        TandemException e = assertThrows(TandemException.class, () -> tandem.apply(Phase.EXPAND));
        assertEquals(TandemException.BAD_INPUT, e.exitCode());
        assertTrue(e.getMessage().contains("0001_rename_clash.yaml:2:5: rename_table: table public.tasks already exists"), e.getMessage());
        PhaseWalk.assertNoDiff(before, fingerprint(), "refused rename_table");
    }

    @Test
    void hostileNamesOnRealPostgres() throws SQLException {
        // a name that closes a quoted identifier, ends the statement and ends the DO block's dollar quote
        String weird = "we\"ird $tandem$; name";
        LifecycleDriver create = migration("0001_hostile", """
                changes:
                  - create_table:
                      table: '%s'
                      columns:
                        - {name: 'i"d', type: int, primary_key: true}
                        - {name: 'v$tandem$', type: text, unique: true, default: "'x'"}
                  - rename_table: {table: projects, to: '%s'}
                """.formatted(weird, weird + " 2"));
        Fingerprint before = fingerprint();
        create.apply(Phase.EXPAND);
        String t = dev.tandem.sql.Ident.quote(weird);
        Db.exec(c, "INSERT INTO " + t + " (\"i\"\"d\") VALUES (1)");
        assertEquals("x", Db.scalar(c, "SELECT \"v$tandem$\" FROM " + t));
        assertEquals("v", relkind("projects"));
        assertEquals(Db.count(c, "SELECT count(*) FROM projects"),
                Db.count(c, "SELECT count(*) FROM " + dev.tandem.sql.Ident.quote(weird + " 2")));
        TandemException e = assertThrows(TandemException.class, create::rollbackOne);
        assertTrue(e.getMessage().contains("public." + weird), e.getMessage());
        Db.exec(c, "DELETE FROM " + t);
        assertEquals(List.of(Phase.EXPAND), create.rollbackOne());
        PhaseWalk.assertNoDiff(before, fingerprint(), "rollback with hostile names");
    }

    // ------------------------------------------------------------------------------ sql

    @Test
    void reversibleSqlEveryPhaseRollsBackExactly() throws SQLException {
        LifecycleDriver tandem = migration("0003_raw", """
                changes:
                  - sql:
                      phase: expand
                      up: "CREATE TABLE audit_log (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, what text NOT NULL)"
                      down: "DROP TABLE audit_log"
                  - sql:
                      phase: backfill
                      up: "CREATE INDEX CONCURRENTLY IF NOT EXISTS tasks_title_idx ON tasks (title)"
                      down: "DROP INDEX CONCURRENTLY IF EXISTS tasks_title_idx"
                      lock: SHARE UPDATE EXCLUSIVE
                      transaction: false
                  - sql:
                      phase: contract
                      up: "COMMENT ON TABLE users IS 'people'"
                      down: "COMMENT ON TABLE users IS NULL"
                      lock: share_update_exclusive
                """);
        PhaseWalk.run(tandem, c, List.of("public"), new PhaseWalk.Checks() {
            @Override
            public void afterPhase(Phase phase) throws SQLException {
                assertTrue(relationExists("audit_log"));
                Db.exec(c, "INSERT INTO audit_log (what) VALUES ('x')");
                Db.exec(c, "DELETE FROM audit_log");
                assertEquals(phase.ordinal() >= Phase.BACKFILL.ordinal(), relationExists("tasks_title_idx"), "index after " + phase);
                assertEquals(phase == Phase.CONTRACT ? "people" : null, Db.scalar(c, "SELECT obj_description('users'::regclass, 'pg_class')"));
            }
        });
    }

    @Test
    void rollbackOverAnIrreversibleSqlStepIsRefusedBeforeAnyChange() throws SQLException {
        LifecycleDriver tandem = migration("0004_irreversible", """
                changes:
                  - sql:
                      phase: expand
                      up: "UPDATE users SET password_hash = 'reset:' || password_hash"
                      irreversible: true
                      lock: ROW EXCLUSIVE
                  - sql:
                      phase: backfill
                      up: "CREATE TABLE scratch (id int)"
                      down: "DROP TABLE scratch"
                """);
        tandem.apply(Phase.BACKFILL);
        Fingerprint applied = fingerprint();

        // rollback --all would undo backfill's reversible step first: refused before it
        TandemException all = assertThrows(TandemException.class, () -> tandem.rollback(Optional.empty(), true));
        assertEquals(TandemException.BAD_INPUT, all.exitCode());
        assertTrue(all.getMessage().contains("migration 0004_irreversible, phase expand, step 1"), all.getMessage());
        assertTrue(all.getMessage().contains("irreversible"), all.getMessage());
        PhaseWalk.assertNoDiff(applied, fingerprint(), "refused rollback --all");
        assertTrue(relationExists("scratch"), "backfill's step was not undone");
        assertEquals(Optional.of(Phase.BACKFILL), tandem.record().phase());

        // the phases after the irreversible one still roll back
        assertEquals(List.of(Phase.BACKFILL, Phase.DUAL_WRITE), tandem.rollback(Optional.of(Phase.EXPAND), false));
        assertFalse(relationExists("scratch"));
        Fingerprint atExpand = fingerprint();
        TandemException one = assertThrows(TandemException.class, tandem::rollbackOne);
        assertEquals(TandemException.BAD_INPUT, one.exitCode());
        assertTrue(one.getMessage().contains("phase expand, step 1"), one.getMessage());
        PhaseWalk.assertNoDiff(atExpand, fingerprint(), "refused rollback of expand");
        assertEquals(Optional.of(Phase.EXPAND), tandem.record().phase());
        assertEquals(Status.IN_PROGRESS, tandem.record().status());
    }

    private List<String> names(String sql) throws SQLException {
        List<String> out = new java.util.ArrayList<>();
        try (var s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
