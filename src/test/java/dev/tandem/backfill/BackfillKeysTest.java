package dev.tandem.backfill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.TandemException;
import dev.tandem.plan.BackfillSpec;
import dev.tandem.testing.Db;
import dev.tandem.testing.TestDatabase;
import java.sql.Connection;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Chunking on every kind of key: single, composite, unique index, ctid pages; gaps, NULLs, empty tables. */
class BackfillKeysTest {
    static TestDatabase db;

    @BeforeAll
    static void setUp() {
        db = TestDatabase.create("BackfillKeysTest");
    }

    private static long differing(Connection c, String table) throws Exception {
        return Db.count(c, "SELECT count(*) FROM " + table + " WHERE dst IS DISTINCT FROM src * 2");
    }

    @Test
    void singleKeyWithGapsCopiesEveryRowOnce() throws Exception {
        BackfillHarness h = new BackfillHarness(db);
        try (Connection c = db.connect()) {
            h.migration(c, "m_gaps");
            Db.exec(c, "CREATE TABLE gaps (id bigint PRIMARY KEY, src int, dst int)");
            // gaps of every size, negative keys, and a NULL source (whose target must stay NULL)
            Db.exec(c, "INSERT INTO gaps SELECT g * g, g, NULL FROM generate_series(1, 3000) g");
            Db.exec(c, "INSERT INTO gaps VALUES (-5, 7, NULL), (9223372036854775807, 1, NULL), (-9223372036854775808, NULL, 99)");
            Db.exec(c, "ANALYZE gaps");
            Backfiller.Result r = h.run(c, "m_gaps", BackfillHarness.spec("gaps", List.of("id"), "dst", "src * 2"),
                    h.options().batchSize(100).minBatch(10).maxBatch(700).build());
            assertEquals(0, differing(c, "gaps"), h.logText());
            assertEquals(3003, r.rowsCopied(), "each row changed exactly once (the NULL source sets dst to NULL)");
            assertEquals(0, r.rowsRepaired());
            assertTrue(r.batches() > 5, "several batches: " + r.batches());
            // a second run over a finished checkpoint does nothing
            Backfiller.Result again = h.run(c, "m_gaps", BackfillHarness.spec("gaps", List.of("id"), "dst", "src * 2"),
                    h.options().build());
            assertEquals(r.batches(), again.batches());
        }
    }

    @Test
    void aPauseBetweenBatchesRestsAfterEveryCopyBatch() throws Exception {
        BackfillHarness h = new BackfillHarness(db);
        try (Connection c = db.connect()) {
            h.migration(c, "m_pause");
            Db.exec(c, "CREATE TABLE paced (id bigint PRIMARY KEY, src int, dst int)");
            Db.exec(c, "INSERT INTO paced SELECT g, g, NULL FROM generate_series(1, 1000) g");
            Db.exec(c, "ANALYZE paced");
            long start = System.nanoTime();
            Backfiller.Result r = h.run(c, "m_pause", BackfillHarness.spec("paced", List.of("id"), "dst", "src * 2"),
                    h.options().batchSize(100).minBatch(100).maxBatch(100).batchPauseMs(60).build());
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertEquals(0, differing(c, "paced"), h.logText());
            assertEquals(1000, r.rowsCopied());
            // 1,000 rows in copy batches capped at 100: at least 10 batches, a rest after each but the last.
            // A lower bound only (the verify pass's batches do not rest).
            assertTrue(ms >= 9 * 60L, r.batches() + " batches (copy and verify) in " + ms + " ms");
        }
    }

    @Test
    void compositeKeyUsesRowComparison() throws Exception {
        BackfillHarness h = new BackfillHarness(db);
        try (Connection c = db.connect()) {
            h.migration(c, "m_comp");
            Db.exec(c, "CREATE TABLE comp (a int, b text, src int, dst int, PRIMARY KEY (a, b))");
            Db.exec(c, "INSERT INTO comp SELECT g % 7, 'k' || (g / 7), g, NULL FROM generate_series(1, 5000) g");
            Db.exec(c, "ANALYZE comp");
            Backfiller.Result r = h.run(c, "m_comp", BackfillHarness.spec("comp", List.of("a", "b"), "dst", "src * 2"),
                    h.options().batchSize(50).minBatch(10).maxBatch(300).build());
            assertEquals(0, differing(c, "comp"), h.logText());
            assertEquals(5000, r.rowsCopied());
            assertTrue(h.logText().contains("primary key (a, b)"), h.logText());
        }
    }

    @Test
    void noPrimaryKeyUsesUniqueNotNullIndex() throws Exception {
        BackfillHarness h = new BackfillHarness(db);
        try (Connection c = db.connect()) {
            h.migration(c, "m_uniq");
            Db.exec(c, "CREATE TABLE uniq (code text NOT NULL, maybe int, src int, dst int)");
            Db.exec(c, "CREATE UNIQUE INDEX uniq_maybe ON uniq (maybe)"); // nullable: not usable
            Db.exec(c, "CREATE UNIQUE INDEX uniq_code ON uniq (code)");
            Db.exec(c, "INSERT INTO uniq SELECT 'c' || g, CASE WHEN g % 3 = 0 THEN NULL ELSE g END, g, NULL FROM generate_series(1, 4000) g");
            Db.exec(c, "ANALYZE uniq");
            Backfiller.Result r = h.run(c, "m_uniq", BackfillHarness.spec("uniq", List.of(), "dst", "src * 2"),
                    h.options().batchSize(100).minBatch(10).maxBatch(500).build());
            assertEquals(0, differing(c, "uniq"), h.logText());
            assertEquals(4000, r.rowsCopied());
            assertTrue(h.logText().contains("unique index uniq_code (code)"), h.logText());
        }
    }

    @Test
    void noUsableKeyUsesCtidPagesIncludingNullKeys() throws Exception {
        BackfillHarness h = new BackfillHarness(db);
        try (Connection c = db.connect()) {
            h.migration(c, "m_ctid");
            Db.exec(c, "CREATE TABLE heap (k int, src int, dst int)");
            Db.exec(c, "CREATE UNIQUE INDEX heap_k ON heap (k)"); // unique but nullable: NULL keys would be skipped by a keyset
            Db.exec(c, "INSERT INTO heap SELECT CASE WHEN g % 4 = 0 THEN NULL ELSE g * 10 END, g, NULL FROM generate_series(1, 6000) g");
            Db.exec(c, "DELETE FROM heap WHERE src BETWEEN 1000 AND 2500"); // empty pages in the middle
            Db.exec(c, "ANALYZE heap");
            Backfiller.Result r = h.run(c, "m_ctid", BackfillHarness.spec("heap", List.of(), "dst", "src * 2"),
                    h.options().batchSize(200).minBatch(50).maxBatch(600).build());
            assertEquals(0, differing(c, "heap"), h.logText());
            assertEquals(6000 - 1501, r.rowsCopied());
            assertTrue(h.logText().contains("ctid pages"), h.logText());
            assertTrue(r.batches() > 3, "several page ranges: " + r.batches());
        }
    }

    @Test
    void emptyTableDoesNoWork() throws Exception {
        BackfillHarness h = new BackfillHarness(db);
        try (Connection c = db.connect()) {
            h.migration(c, "m_empty");
            Db.exec(c, "CREATE TABLE empty_t (id int PRIMARY KEY, src int, dst int)");
            Backfiller.Result r = h.run(c, "m_empty", BackfillHarness.spec("empty_t", List.of("id"), "dst", "src * 2"), h.options().build());
            assertEquals(0, r.rowsCopied());
            assertEquals(0, r.batches());
            assertEquals(Boolean.TRUE, Db.scalar(c, "SELECT finished FROM tandem.backfill_checkpoints WHERE migration_id = 'm_empty'"));
        }
    }

    @Test
    void verifyPassRepairsRowsThatDifferAfterTheCopyAndCountsThem() throws Exception {
        BackfillHarness h = new BackfillHarness(db);
        try (Connection c = db.connect(); Connection other = db.connect()) {
            h.migration(c, "m_verify");
            Db.exec(c, "CREATE TABLE ver (id int PRIMARY KEY, src int, dst int)");
            Db.exec(c, "INSERT INTO ver SELECT g, g, NULL FROM generate_series(1, 3000) g");
            Db.exec(c, "ANALYZE ver");
            boolean[] corrupted = {false};
            BackfillOptions o = h.options().batchSize(200).minBatch(100).maxBatch(200).listener(p -> {
                if (p.pass().equals("verify") && !corrupted[0]) {
                    corrupted[0] = true;
                    try {
                        // a writer that bypassed the sync trigger: the verify pass must find and fix these
                        Db.exec(other, "UPDATE ver SET dst = -1 WHERE id > 2900 AND id % 10 = 0");
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            }).build();
            Backfiller.Result r = h.run(c, "m_verify", BackfillHarness.spec("ver", List.of("id"), "dst", "src * 2"), o);
            assertTrue(corrupted[0]);
            assertEquals(0, differing(c, "ver"), h.logText());
            assertEquals(3000, r.rowsCopied());
            assertEquals(10, r.rowsRepaired(), h.logText());
            assertTrue(h.logText().contains("verify: repaired"), h.logText());
        }
    }

    @Test
    void aCheckpointOfAnotherDefinitionIsRefusedUnlessRestart() throws Exception {
        BackfillHarness h = new BackfillHarness(db);
        try (Connection c = db.connect()) {
            h.migration(c, "m_def");
            Db.exec(c, "CREATE TABLE def (id int PRIMARY KEY, src int, dst int)");
            Db.exec(c, "INSERT INTO def SELECT g, g, NULL FROM generate_series(1, 1000) g");
            // a checkpoint halfway through a backfill that computed something else
            h.run(c, "m_def", BackfillHarness.spec("def", List.of("id"), "dst", "src + 1"), h.options().build());
            Db.exec(c, "UPDATE tandem.backfill_checkpoints SET finished = false, pass = 'copy', last_key = '{500}'"
                    + " WHERE migration_id = 'm_def'");
            BackfillSpec changed = BackfillHarness.spec("def", List.of("id"), "dst", "src * 2");
            TandemException e = assertThrows(TandemException.class, () -> h.run(c, "m_def", changed, h.options().build()));
            assertEquals(TandemException.BAD_INPUT, e.exitCode());
            assertTrue(e.getMessage().contains("--restart"), e.getMessage());
            assertEquals(1000, Db.count(c, "SELECT count(*) FROM def WHERE dst = src + 1"), "nothing written when refused");

            Backfiller.Result r = h.run(c, "m_def", changed, h.options().restart(true).build());
            assertEquals(0, differing(c, "def"));
            assertEquals(999, r.rowsCopied(), "started over from the first key (row 1 already held 2 = 1 + 1 = 1 * 2)");
            assertTrue(h.logText().contains("restarting the backfill"), h.logText());
        }
    }

    @Test
    void aLostConnectionReconnectsAndContinuesFromTheCheckpoint() throws Exception {
        BackfillHarness h = new BackfillHarness(db);
        try (Connection c = db.connect(); Connection killer = db.connect()) {
            h.migration(c, "m_lost");
            Db.exec(c, "CREATE TABLE lost (id int PRIMARY KEY, src int, dst int)");
            Db.exec(c, "INSERT INTO lost SELECT g, g, NULL FROM generate_series(1, 3000) g");
            int[] kills = {0};
            BackfillOptions o = h.options().batchSize(100).minBatch(100).maxBatch(100).listener(p -> {
                if (p.batches() == 5 && kills[0] == 0) {
                    kills[0]++;
                    try {
                        // the backfill's own sessions (worker and throttle) are cut off by the server
                        Db.exec(killer, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                                + " WHERE application_name = 'tandem' AND datname = current_database()");
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            }).build();
            Backfiller.Result r = h.run(c, "m_lost", BackfillHarness.spec("lost", List.of("id"), "dst", "src * 2"), o);
            assertEquals(1, kills[0]);
            assertEquals(0, differing(c, "lost"));
            assertEquals(3000, r.rowsCopied(), "every row counted once across the reconnect");
            assertTrue(h.logText().contains("lost the connection"), h.logText());
        }
    }
}
