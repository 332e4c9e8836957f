package dev.tandem.backfill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.testing.ChildTandem;
import dev.tandem.testing.Cli;
import dev.tandem.testing.Db;
import dev.tandem.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of {@code tandem apply} in the middle of a backfill on a composite-key table, then
 * {@code tandem backfill ID} resumes from the checkpoint: every row right, and the copy count
 * across both processes is exactly the number of rows (no range applied twice with effect).
 */
class BackfillResumeTest {
    static final String ID = "0001_rename_members_note";
    static final int ROWS = 30_000;

    @TempDir
    Path tmp;

    private static long batches(Connection c) throws Exception {
        if (!Boolean.TRUE.equals(Db.scalar(c, "SELECT to_regclass('tandem.backfill_checkpoints') IS NOT NULL"))) {
            return -1;
        }
        return Db.count(c, "SELECT coalesce(max(batches), -1) FROM tandem.backfill_checkpoints WHERE migration_id = '" + ID + "'");
    }

    @Test
    void killedApplyIsResumedByTandemBackfill() throws Exception {
        TestDatabase db = TestDatabase.create("BackfillResumeTest");
        Path dir = Files.createDirectories(tmp.resolve("changelogs"));
        Files.writeString(dir.resolve(ID + ".yaml"), """
                description: Rename members.note to remark
                changes:
                  - rename_column: {table: members, column: note, to: remark}
                """);
        try (Connection c = db.connect()) {
            Db.exec(c, "CREATE TABLE members (org int, login text, note text, PRIMARY KEY (org, login))");
            Db.exec(c, "INSERT INTO members SELECT g % 13, 'user' || g, CASE WHEN g % 5 = 0 THEN NULL ELSE 'n' || g END"
                    + " FROM generate_series(1, " + ROWS + ") g");
            Db.exec(c, "ANALYZE members");
            Db.exec(c, "CREATE FUNCTION members_slow() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(0.03); RETURN NULL; END $$");
            Db.exec(c, "CREATE TRIGGER members_slow AFTER UPDATE ON members FOR EACH STATEMENT EXECUTE FUNCTION members_slow()");
            Db.exec(c, "ALTER TABLE members ENABLE ALWAYS TRIGGER members_slow");

            List<String> args = new ArrayList<>(List.of("apply", dir.toString(), "--batch-size", "300", "--max-batch-size", "300"));
            args.addAll(Cli.dbArgs(db));
            try (ChildTandem child = ChildTandem.start(tmp, args)) {
                long deadline = System.nanoTime() + 120_000_000_000L;
                while (batches(c) < 8) {
                    assertTrue(child.process().isAlive(), () -> "child ended early\n" + child.describe());
                    assertTrue(System.nanoTime() < deadline, () -> "no progress\n" + child.describe());
                    Thread.sleep(5);
                }
                child.kill();
            }
            long gone = System.nanoTime() + 60_000_000_000L;
            while (Db.count(c, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'tandem'") > 0) {
                assertTrue(System.nanoTime() < gone, "the killed client's sessions are still there");
                Thread.sleep(50);
            }
            long copied = Db.count(c, "SELECT count(*) FROM members WHERE remark IS NOT NULL");
            assertTrue(copied > 0 && copied < ROWS, "killed mid-copy: " + copied);
            Db.exec(c, "DROP TRIGGER members_slow ON members");

            Cli.Result r = Cli.run(Cli.withDb(db, "backfill", ID));
            assertEquals(0, r.code(), r.describe());
            assertTrue(r.err().contains("resuming copy pass"), r.describe());
            assertTrue(r.out().contains("backfill applied"), r.describe());
        }
        try (Connection c = db.connect()) {
            assertEquals(0, Db.count(c, "SELECT count(*) FROM members WHERE remark IS DISTINCT FROM note"));
            long nonNull = Db.count(c, "SELECT count(*) FROM members WHERE note IS NOT NULL");
            // rows with a NULL note need no write (NULL IS NOT DISTINCT FROM NULL); every other row was written exactly once
            assertEquals(nonNull, Db.count(c, "SELECT rows_copied FROM tandem.backfill_checkpoints WHERE migration_id = '" + ID + "'"));
            assertEquals(0, Db.count(c, "SELECT rows_repaired FROM tandem.backfill_checkpoints WHERE migration_id = '" + ID + "'"));
            assertEquals("in-progress", Db.scalar(c, "SELECT status FROM tandem.migrations WHERE id = '" + ID + "'"));
            assertEquals("backfill", Db.scalar(c, "SELECT phase FROM tandem.migrations WHERE id = '" + ID + "'"));
        }
    }
}
