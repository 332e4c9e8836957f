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

/** Only one Tandem at a time: the session advisory lock on hashtext('tandem:' || state schema). */
class AdvisoryLockTest {
    static final String ID = "0001_rename_full_name";

    static Path changelogs() {
        return SampleSchema.repoRoot().resolve("changelogs");
    }

    @Test
    void heldAdvisoryLockMeansExit3NamingTheHolder() throws Exception {
        TestDatabase db = TestDatabase.create("AdvisoryLockTest");
        try (Connection c = db.connect(); Connection holder = db.connect()) {
            SampleSchema.load(c);
            SampleSchema.seed(c, 100);
            Db.exec(holder, "SET application_name = 'other-tandem'");
            Db.exec(holder, "SELECT pg_advisory_lock(hashtext('tandem:tandem'))");
            long pid = Db.count(holder, "SELECT pg_backend_pid()");
            Fingerprint before = Db.publicFingerprint(c);

            Cli.Result r = Cli.run(Cli.withDb(db, "apply", changelogs().toString()));
            assertEquals(3, r.code(), r.describe());
            assertTrue(r.err().contains("pid " + pid), "stderr names the holder pid " + pid + ":\n" + r.describe());
            assertTrue(r.err().contains("other-tandem"), r.describe());
            assertEquals(List.of(), before.diff(Db.publicFingerprint(c)));
            assertEquals(-1, Db.tandemMigrationRows(c), "the state schema is not even created without the lock");

            // every command that writes takes the lock first
            for (String[] cmd : List.of(new String[] {"switch-reads", ID}, new String[] {"contract", ID, "--yes"},
                    new String[] {"rollback", ID, "--all"}, new String[] {"purge", ID, "--yes"})) {
                Cli.Result w = Cli.run(Cli.withDb(db, cmd));
                assertEquals(3, w.code(), String.join(" ", cmd) + "\n" + w.describe());
                assertTrue(w.err().contains("pid " + pid), w.describe());
            }
            // reading needs no lock
            Cli.Result status = Cli.run(Cli.withDb(db, "status", changelogs().toString()));
            assertEquals(0, status.code(), status.describe());
            Cli.Result plan = Cli.run(Cli.withDb(db, "plan", changelogs().toString()));
            assertEquals(0, plan.code(), plan.describe());

            Db.exec(holder, "SELECT pg_advisory_unlock(hashtext('tandem:tandem'))");
            Cli.Result ok = Cli.run(Cli.withDb(db, "apply", changelogs().toString()));
            assertEquals(0, ok.code(), ok.describe());
            assertTrue(Db.columnExists(c, "public", "users", "display_name"));
            // the lock is released when the command ends: another session can take it
            assertEquals(Boolean.TRUE, Db.scalar(holder, "SELECT pg_try_advisory_lock(hashtext('tandem:tandem'))"));
            Db.exec(holder, "SELECT pg_advisory_unlock(hashtext('tandem:tandem'))");
        }
    }

    @Test
    void lockIsPerStateSchema() throws Exception {
        TestDatabase db = TestDatabase.create("AdvisoryLockTest_schema");
        try (Connection c = db.connect(); Connection holder = db.connect()) {
            SampleSchema.load(c);
            Db.exec(holder, "SELECT pg_advisory_lock(hashtext('tandem:tandem'))");
            Cli.Result r = Cli.run(Cli.withDb(db, "apply", changelogs().toString(), "--to", "expand",
                    "--state-schema", "tandem_other"));
            assertEquals(0, r.code(), r.describe());
            assertTrue(Db.columnExists(c, "public", "users", "display_name"));
            assertFalse(Boolean.TRUE.equals(Db.scalar(c, "SELECT to_regclass('tandem.migrations') IS NOT NULL")));
        }
    }
}
