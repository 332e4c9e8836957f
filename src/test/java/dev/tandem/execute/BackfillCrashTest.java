package dev.tandem.execute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.testing.ChildTandem;
import dev.tandem.testing.Cli;
import dev.tandem.testing.Db;
import dev.tandem.testing.SampleSchema;
import dev.tandem.testing.TestDatabase;
import dev.tandem.util.Json;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 in the middle of a backfill: every batch commits with its checkpoint, so the next apply
 * resumes after the last committed batch and finishes with every row copied.
 */
class BackfillCrashTest {
    static final String ID = "0001_rename_full_name";
    static final int USERS = 20_000;

    @TempDir
    Path tmp;

    /** Batches recorded in the checkpoint of the backfill step, or -1 while there is none yet. */
    static long batches(Connection c) throws SQLException {
        if (!Boolean.TRUE.equals(Db.scalar(c, "SELECT to_regclass('tandem.backfill_checkpoints') IS NOT NULL"))) {
            return -1;
        }
        Object v = Db.scalar(c, "SELECT batches FROM tandem.backfill_checkpoints WHERE migration_id = '" + ID + "'");
        return v == null ? -1 : ((Number) v).longValue();
    }

    @Test
    void killedMidBackfillResumesAndFinishes() throws Exception {
        TestDatabase db = TestDatabase.create("BackfillCrashTest");
        Path changelog = SampleSchema.repoRoot().resolve("changelogs/" + ID + ".yaml");
        try (Connection c = db.connect()) {
            long t0 = System.nanoTime();
            SampleSchema.load(c);
            SampleSchema.seed(c, USERS);
            System.out.printf("BackfillCrashTest: seeded %d users in %d ms%n", USERS, (System.nanoTime() - t0) / 1_000_000);

            // Slow every backfilled row down a little (a trigger that fires even under
            // session_replication_role = replica), so the copy pass takes ~10 s and cannot finish
            // before the kill however fast the machine or however late the polling.
            Db.exec(c, "CREATE FUNCTION slow_down() RETURNS trigger LANGUAGE plpgsql AS $$"
                    + " BEGIN PERFORM pg_sleep(0.0005); RETURN NEW; END $$");
            Db.exec(c, "CREATE TRIGGER slow_down BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION slow_down()");
            Db.exec(c, "ALTER TABLE users ENABLE ALWAYS TRIGGER slow_down");

            List<String> args = new ArrayList<>(List.of("apply", changelog.toString(), "--batch-size", "50"));
            args.addAll(Cli.dbArgs(db));
            ChildTandem child = ChildTandem.start(tmp, args);
            try {
                long deadline = System.nanoTime() + 120_000_000_000L;
                while (batches(c) <= 5) {
                    assertTrue(child.process().isAlive(), () -> "child ended before batch 6\n" + child.describe());
                    assertTrue(System.nanoTime() < deadline, () -> "backfill made no progress\n" + child.describe());
                    Thread.sleep(5);
                }
                child.kill(); // SIGKILL: no shutdown hooks, no clean-up on the client side
            } finally {
                child.close();
            }
            System.out.println("BackfillCrashTest: child killed at batch " + batches(c) + "\n" + child.describe());

            // unfinished work is visible in the state
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT pass, finished, batches, rows_updated, last_key"
                            + " FROM tandem.backfill_checkpoints WHERE migration_id = '" + ID + "'")) {
                assertTrue(rs.next());
                assertEquals("copy", rs.getString(1));
                assertFalse(rs.getBoolean(2), "checkpoint must show unfinished work");
                assertTrue(rs.getLong(3) > 5);
                assertTrue(rs.getLong(4) < USERS, "not every row copied yet");
                assertTrue(rs.getArray(5) != null, "a last key is recorded");
            }
            assertEquals("interrupted", Db.scalar(c, "SELECT status FROM tandem.migrations WHERE id = '" + ID + "'"));
            assertEquals("running", Db.scalar(c, "SELECT state FROM tandem.steps WHERE migration_id = '" + ID
                    + "' AND phase = 'backfill' AND step_index = 0"));

            // The killed client's server session (and its advisory lock) ends once it notices the
            // client is gone, i.e. after its current statement: wait for that.
            long gone = System.nanoTime() + 60_000_000_000L;
            while (Db.count(c, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                    + " AND application_name = 'tandem'") > 0) {
                assertTrue(System.nanoTime() < gone, "the killed client's session is still there");
                Thread.sleep(50);
            }
            long copiedBeforeKill = Db.count(c, "SELECT count(*) FROM users WHERE display_name IS NOT DISTINCT FROM full_name");
            assertTrue(copiedBeforeKill > 0 && copiedBeforeKill < USERS, "copied before the kill: " + copiedBeforeKill);
            assertEquals(copiedBeforeKill, Db.count(c, "SELECT rows_updated FROM tandem.backfill_checkpoints WHERE migration_id = '"
                    + ID + "'"), "the checkpoint counts exactly the committed batches");
            Db.exec(c, "DROP TRIGGER slow_down ON users");

            Cli.Result r = Cli.run(Cli.withDb(db, "apply", changelog.toString(), "--batch-size", "50"));
            assertEquals(0, r.code(), r.describe());
            assertTrue(r.err().contains("resuming copy pass"), "resumed from the checkpoint:\n" + r.err());
            assertFalse(r.err().contains("[1/1] add column"), "expand is not run again");

            assertEquals(0L, Db.count(c, "SELECT count(*) FROM users WHERE display_name IS DISTINCT FROM full_name"),
                    "every row has display_name = full_name");
            assertEquals((long) USERS, Db.count(c, "SELECT count(*) FROM users WHERE display_name IS NOT NULL"));
            assertEquals("applied", Db.scalar(c, "SELECT state FROM tandem.steps WHERE migration_id = '" + ID
                    + "' AND phase = 'backfill' AND step_index = 0"));
            assertEquals(Boolean.TRUE, Db.scalar(c, "SELECT finished FROM tandem.backfill_checkpoints WHERE migration_id = '" + ID + "'"));
            assertEquals(0L, Db.count(c, "SELECT rows_updated FROM tandem.backfill_checkpoints WHERE migration_id = '" + ID + "'"),
                    "the verify pass found nothing to repair");
            // the step's count carries over from the checkpoint: across the kill every row was
            // copied exactly once (none lost, none counted twice)
            String note = (String) Db.scalar(c, "SELECT detail FROM tandem.history WHERE migration_id = '" + ID
                    + "' AND action = 'backfill' ORDER BY seq DESC LIMIT 1");
            assertTrue(note.startsWith(USERS + " rows copied, 0 repaired"), "history says: " + note);

            Cli.Result status = Cli.run(Cli.withDb(db, "status", changelog.toString(), "--format", "json"));
            assertEquals(0, status.code(), status.describe());
            @SuppressWarnings("unchecked")
            Map<String, Object> row = (Map<String, Object>) ((List<Object>) ((Map<String, Object>) Json.parse(status.out()))
                    .get("migrations")).get(0);
            assertEquals("backfill", row.get("phase"), row.toString());
            assertEquals("in-progress", row.get("status"), row.toString());

            // and the migration carries on normally
            Cli.Result sr = Cli.run(Cli.withDb(db, "switch-reads", ID));
            assertEquals(0, sr.code(), sr.describe());
        }
    }
}
