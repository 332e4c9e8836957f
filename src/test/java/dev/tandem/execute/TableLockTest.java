package dev.tandem.execute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.catalog.Fingerprint;
import dev.tandem.testing.Cli;
import dev.tandem.testing.Db;
import dev.tandem.testing.SampleSchema;
import dev.tandem.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * lock_timeout and retries: DDL that needs ACCESS EXCLUSIVE gives up (exit 3) rather than queue
 * behind a long transaction and block all traffic, names the blocker, and changes nothing.
 */
class TableLockTest {
    @org.junit.jupiter.api.io.TempDir
    Path tmp;

    @Test
    void blockedExpandGivesUpWithExit3AndChangesNothing() throws Exception {
        TestDatabase db = TestDatabase.create("TableLockTest");
        Path changelogs = SampleSchema.repoRoot().resolve("changelogs");
        try (Connection c = db.connect(); Connection blocker = db.connect()) {
            SampleSchema.load(c);
            SampleSchema.seed(c, 200);
            Fingerprint before = Db.publicFingerprint(c);

            Db.exec(blocker, "SET application_name = 'long-report'");
            blocker.setAutoCommit(false);
            Db.exec(blocker, "LOCK TABLE users IN ACCESS SHARE MODE");
            long pid = Db.count(blocker, "SELECT pg_backend_pid()");

            long t0 = System.nanoTime();
            Cli.Result r = Cli.run(Cli.withDb(db, "apply", changelogs.toString(), "--to", "expand", "--lock-timeout", "200"));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            System.out.println("TableLockTest: gave up after " + ms + " ms");
            assertEquals(3, r.code(), r.describe());
            assertTrue(r.err().contains("pid " + pid), "stderr names the blocking pid " + pid + ":\n" + r.describe());
            assertTrue(r.err().contains("long-report"), r.describe());
            assertTrue(r.err().contains("attempt 2/"), "retried:\n" + r.describe());
            assertTrue(r.err().contains("not granted within 200 ms"), "timeouts grow to --lock-timeout:\n" + r.describe());
            assertFalse(r.err().matches("(?s).*within (\\d{4,}|[3-9]\\d\\d) ms.*"), "never more than 200 ms:\n" + r.describe());
            assertTrue(ms < 30_000, "gave up in " + ms + " ms");

            assertFalse(Db.columnExists(c, "public", "users", "display_name"));
            assertEquals(List.of(), before.diff(Db.publicFingerprint(c)), "nothing changed");
            // the blocker's transaction is untouched and nobody is left waiting on users
            assertEquals(0L, Db.count(c, "SELECT count(*) FROM pg_locks l WHERE l.relation = 'public.users'::regclass"
                    + " AND NOT l.granted"));

            blocker.rollback();
            Cli.Result ok = Cli.run(Cli.withDb(db, "apply", changelogs.toString()));
            assertEquals(0, ok.code(), ok.describe());
            assertEquals(0L, Db.count(c, "SELECT count(*) FROM users WHERE display_name IS DISTINCT FROM full_name"));
            assertEquals("backfill", Db.scalar(c, "SELECT phase FROM tandem.migrations WHERE id = '0001_rename_full_name'"));
            assertEquals("in-progress", Db.scalar(c, "SELECT status FROM tandem.migrations WHERE id = '0001_rename_full_name'"));
        }
    }

    /**
     * Regression test (fixed): Blockers.describe splits the step's display name
     * ("my.app.accounts") at the first dot, so for a schema whose name contains a dot it looks up
     * the wrong relation and the message names no blocker.
     */
    @Test
    void blockerIsNamedWhenTheSchemaNameHasADot() throws Exception {
        TestDatabase db = TestDatabase.create("TableLockTest_dot");
        Path file = tmp.resolve("0001_rename_dotted.yaml");
        java.nio.file.Files.writeString(file, "changes:\n  - rename_column:\n      table: '\"my.app\".accounts'\n"
                + "      column: holder\n      to: owner_name\n");
        try (Connection c = db.connect(); Connection blocker = db.connect()) {
            Db.exec(c, "CREATE SCHEMA \"my.app\"");
            Db.exec(c, "CREATE TABLE \"my.app\".accounts (id int PRIMARY KEY, holder text NOT NULL)");
            Db.exec(c, "INSERT INTO \"my.app\".accounts SELECT i, 'h' || i FROM generate_series(1, 50) i");
            blocker.setAutoCommit(false);
            Db.exec(blocker, "LOCK TABLE \"my.app\".accounts IN ACCESS SHARE MODE");
            long pid = Db.count(blocker, "SELECT pg_backend_pid()");
            Cli.Result r = Cli.run(Cli.withDb(db, "apply", file.toString(), "--to", "expand", "--lock-timeout", "100"));
            assertEquals(3, r.code(), r.describe());
            assertFalse(Db.columnExists(c, "my.app", "accounts", "owner_name"));
            assertTrue(r.err().contains("pid " + pid), "stderr names the blocking pid " + pid + ":\n" + r.describe());
            blocker.rollback();
        }
    }
}
