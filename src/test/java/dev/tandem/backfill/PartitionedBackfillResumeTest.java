package dev.tandem.backfill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
 * kill -9 of {@code tandem apply} in the middle of the backfill of a range-partitioned table (four
 * partitions and a default one), after the first leaf partition is finished and while the second
 * is half done; {@code tandem backfill ID} resumes in the second leaf after its last key: the first
 * leaf is not copied again, every row of every partition is right, and each leaf's copy count is
 * exactly its rows (no range applied twice with effect).
 */
class PartitionedBackfillResumeTest {
    static final String ID = "0001_rename_events_note";
    static final int ROWS = 10_000;
    static final String[] LEAVES = {"events_2023", "events_2024", "events_2025", "events_2026", "events_other"};

    @TempDir
    Path tmp;

    private static long count(Connection c, String sql) throws Exception {
        if (Db.count(c, "SELECT count(*) FROM pg_attribute WHERE attrelid = to_regclass('tandem.backfill_checkpoints')"
                + " AND attname = 'partition_name'") == 0) { // the state schema is still being created
            return -1;
        }
        return Db.count(c, sql);
    }

    @Test
    void killedApplyResumesInTheRightPartition() throws Exception {
        TestDatabase db = TestDatabase.create("PartitionedBackfillResumeTest");
        Path dir = Files.createDirectories(tmp.resolve("changelogs"));
        Files.writeString(dir.resolve(ID + ".yaml"), """
                changes:
                  - rename_column: {table: events, column: note, to: remark}
                """);
        try (Connection c = db.connect()) {
            Db.exec(c, """
                    CREATE TABLE events (id bigint NOT NULL, happened date NOT NULL, note text, PRIMARY KEY (id, happened))
                      PARTITION BY RANGE (happened);
                    CREATE TABLE events_2023 PARTITION OF events FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');
                    CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
                    CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
                    CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
                    CREATE TABLE events_other PARTITION OF events DEFAULT;
                    """);
            Db.exec(c, "INSERT INTO events SELECT g, date '2022-01-01' + (g % 1825), CASE WHEN g % 7 = 0 THEN NULL ELSE 'n' || g END"
                    + " FROM generate_series(1, " + ROWS + ") g");
            Db.exec(c, "ANALYZE events");
            Db.exec(c, "CREATE FUNCTION events_slow() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(0.03); RETURN NULL; END $$");
            for (String leaf : LEAVES) { // the backfill updates each leaf itself: a statement trigger per leaf slows each batch
                Db.exec(c, "CREATE TRIGGER events_slow AFTER UPDATE ON " + leaf + " FOR EACH STATEMENT EXECUTE FUNCTION events_slow()");
                Db.exec(c, "ALTER TABLE " + leaf + " ENABLE ALWAYS TRIGGER events_slow");
            }

            List<String> args = new ArrayList<>(List.of("apply", dir.toString(), "--batch-size", "200", "--max-batch-size", "200"));
            args.addAll(Cli.dbArgs(db));
            String cp = "SELECT count(*) FROM tandem.backfill_checkpoints WHERE migration_id = '" + ID + "' AND ";
            try (ChildTandem child = ChildTandem.start(tmp, args)) {
                long deadline = System.nanoTime() + 120_000_000_000L;
                while (count(c, cp + "partition_name = '\"public\".\"events_2023\"' AND finished") < 1
                        || count(c, cp + "partition_name = '\"public\".\"events_2024\"' AND batches >= 3") < 1) {
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
            long copied2024 = Db.count(c, "SELECT count(*) FROM events_2024 WHERE remark IS NOT NULL");
            long all2024 = Db.count(c, "SELECT count(*) FROM events_2024 WHERE note IS NOT NULL");
            assertTrue(copied2024 > 0 && copied2024 < all2024, "killed in the middle of events_2024: " + copied2024 + " of " + all2024);
            assertEquals(0L, Db.count(c, "SELECT count(*) FROM events_2025 WHERE remark IS NOT NULL"), "events_2025 not started");
            for (String leaf : LEAVES) {
                Db.exec(c, "DROP TRIGGER events_slow ON " + leaf);
            }

            Cli.Result r = Cli.run(Cli.withDb(db, "backfill", ID));
            assertEquals(0, r.code(), r.describe());
            assertTrue(r.err().contains("resuming copy pass of public.events_2024"), r.describe());
            assertFalse(r.err().contains("backfill public.events_2023 by"), "the finished leaf is not started again\n" + r.describe());
            assertTrue(r.err().contains("backfill public.events_other by"), r.describe());
            assertTrue(r.out().contains("backfill applied"), r.describe());
        }
        try (Connection c = db.connect()) {
            assertEquals(0, Db.count(c, "SELECT count(*) FROM events WHERE remark IS DISTINCT FROM note"));
            for (String leaf : LEAVES) {
                long nonNull = Db.count(c, "SELECT count(*) FROM " + leaf + " WHERE note IS NOT NULL");
                assertTrue(nonNull > 0, leaf + " has rows");
                assertEquals(nonNull, Db.count(c, "SELECT rows_copied FROM tandem.backfill_checkpoints WHERE migration_id = '" + ID
                        + "' AND partition_name = '\"public\".\"" + leaf + "\"'"), "every row of " + leaf + " written exactly once");
                assertEquals(0, Db.count(c, "SELECT rows_repaired FROM tandem.backfill_checkpoints WHERE migration_id = '" + ID
                        + "' AND partition_name = '\"public\".\"" + leaf + "\"'"));
            }
            assertEquals(0L, Db.count(c, "SELECT count(*) FROM tandem.backfill_checkpoints WHERE migration_id = '" + ID
                    + "' AND partition_name = ''"), "no checkpoint of the parent itself");
            assertEquals("backfill", Db.scalar(c, "SELECT phase FROM tandem.migrations WHERE id = '" + ID + "'"));
        }
    }
}
