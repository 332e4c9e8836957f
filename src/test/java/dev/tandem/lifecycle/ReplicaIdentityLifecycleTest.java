package dev.tandem.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.TandemException;
import dev.tandem.catalog.Fingerprint;
import dev.tandem.plan.Phase;
import dev.tandem.testing.Db;
import dev.tandem.testing.LifecycleDriver;
import dev.tandem.testing.PhaseWalk;
import dev.tandem.testing.SampleDatabaseTest;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code set_replica_identity} through {@link PhaseWalk}: set at expand, rolled back to exactly the
 * identity before (the fingerprint compares {@code relreplident}), and a lock trace of the statement.
 */
class ReplicaIdentityLifecycleTest extends SampleDatabaseTest {
    @TempDir
    Path dir;

    ReplicaIdentityLifecycleTest() {
        super("replident_", 10);
    }

    LifecycleDriver tandem(String yaml) {
        return LifecycleDriver.forMigration(db, dir, "0001_replident", yaml);
    }

    String identity(String table) throws SQLException {
        return (String) Db.scalar(c, "SELECT relreplident::text || coalesce(':' || (SELECT ic.relname::text FROM pg_index x"
                + " JOIN pg_class ic ON ic.oid = x.indexrelid WHERE x.indrelid = c.oid AND x.indisreplident), '')"
                + " FROM pg_class c WHERE oid = '" + table + "'::regclass");
    }

    @Test
    void fullAndUsingIndexAreSetAtExpandAndRolledBackExactly() throws SQLException {
        Db.exec(c, "ALTER TABLE projects REPLICA IDENTITY FULL");
        LifecycleDriver tandem = tandem("""
                changes:
                  - set_replica_identity: {table: tasks, identity: full}
                  - set_replica_identity: {table: users, identity: index, index: users_email_key}
                  - set_replica_identity: {table: projects, identity: default}
                """);
        PhaseWalk.run(tandem, c, List.of("public"), p -> {
            assertEquals("f", identity("tasks"), "tasks after " + p);
            assertEquals("i:users_email_key", identity("users"), "users after " + p);
            assertEquals("d", identity("projects"), "projects after " + p);
            // writes go on (in a transaction rolled back, so the data stays as it was)
            c.setAutoCommit(false);
            try {
                assertEquals(1, c.createStatement().executeUpdate("UPDATE tasks SET title = title || '!' WHERE id = (SELECT id FROM tasks LIMIT 1)"));
                assertEquals(1, c.createStatement().executeUpdate("DELETE FROM user_profiles WHERE user_id = (SELECT user_id FROM user_profiles LIMIT 1)"));
            } finally {
                c.rollback();
                c.setAutoCommit(true);
            }
        });
        // the walk's rollbacks restored FULL on projects (the fingerprint compares replica identity)
    }

    @Test
    void rollbackRestoresAPreviousIndexIdentity() throws SQLException {
        Db.exec(c, "ALTER TABLE users REPLICA IDENTITY USING INDEX users_email_key");
        LifecycleDriver tandem = tandem("changes:\n  - set_replica_identity: {table: users, identity: nothing}\n");
        tandem.forward(Phase.EXPAND);
        assertEquals("n", identity("users"));
        tandem.rollbackOne();
        assertEquals("i:users_email_key", identity("users"));
    }

    @Test
    void anIndexPostgresWouldRefuseIsRefusedBeforeAnyChange() throws SQLException {
        Db.exec(c, "CREATE UNIQUE INDEX tasks_title_due_key ON tasks (title, due_date)");
        Fingerprint before = Db.publicFingerprint(c);
        TandemException e = assertThrows(TandemException.class, () -> tandem(
                "changes:\n  - set_replica_identity: {table: tasks, identity: index, index: tasks_title_due_key}\n").apply(Phase.EXPAND));
        assertEquals(TandemException.BAD_INPUT, e.exitCode());
        assertTrue(e.getMessage().contains("0001_replident.yaml:2:") && e.getMessage().contains("nullable column due_date"), e.getMessage());
        PhaseWalk.assertNoDiff(before, Db.publicFingerprint(c), "a refused migration changes nothing");
    }

    @Test
    void lockTraceAccessExclusiveWithoutRewrite() throws SQLException {
        long filenode = ((Number) Db.scalar(c, "SELECT relfilenode FROM pg_class WHERE oid = 'tasks'::regclass")).longValue();
        c.setAutoCommit(false);
        try {
            Db.exec(c, "ALTER TABLE public.tasks REPLICA IDENTITY FULL");
            Object mode = Db.scalar(c, "SELECT string_agg(mode, ',' ORDER BY mode) FROM pg_locks WHERE pid = pg_backend_pid()"
                    + " AND locktype = 'relation' AND relation = 'tasks'::regclass");
            assertEquals("AccessExclusiveLock", mode, "the lock the recipe declares");
            assertEquals(filenode, ((Number) Db.scalar(c, "SELECT relfilenode FROM pg_class WHERE oid = 'tasks'::regclass")).longValue(),
                    "no rewrite");
        } finally {
            c.rollback();
            c.setAutoCommit(true);
        }
    }
}
