package dev.tandem.backfill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.testing.Db;
import dev.tandem.testing.TestDatabase;
import java.sql.Connection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The throttle query holds and releases the backfill; row locks held by others make batches back off, not fail. */
class BackfillThrottleTest {
    static TestDatabase db;

    @BeforeAll
    static void setUp() {
        db = TestDatabase.create("BackfillThrottleTest");
    }

    private static long batches(Connection c, String id) throws Exception {
        return Db.count(c, "SELECT coalesce(max(batches), 0) FROM tandem.backfill_checkpoints WHERE migration_id = '" + id + "'");
    }

    @Test
    void throttleQueryReturningOneHoldsAndZeroReleases() throws Exception {
        BackfillHarness h = new BackfillHarness(db);
        try (Connection c = db.connect()) {
            h.migration(c, "m_thr");
            Db.exec(c, "CREATE TABLE thr (id int PRIMARY KEY, src int, dst int)");
            Db.exec(c, "INSERT INTO thr SELECT g, g, NULL FROM generate_series(1, 2000) g");
            Db.exec(c, "CREATE TABLE thr_flag (v int)");
            Db.exec(c, "INSERT INTO thr_flag VALUES (1)");
            BackfillOptions o = h.options().batchSize(100).minBatch(100).maxBatch(100).throttleQuery("SELECT v FROM thr_flag").build();
            CompletableFuture<Backfiller.Result> job = CompletableFuture.supplyAsync(() -> {
                try (Connection own = db.connect()) {
                    return h.run(own, "m_thr", BackfillHarness.spec("thr", List.of("id"), "dst", "src * 2"), o);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(2000);
            assertFalse(job.isDone(), "held by the throttle query");
            assertEquals(0, batches(c, "m_thr"), "no batch ran while the throttle query returned 1");
            assertEquals(2000, Db.count(c, "SELECT count(*) FROM thr WHERE dst IS NULL"));
            assertEquals("throttle query returned 1", Db.scalar(c, "SELECT throttle FROM tandem.backfill_checkpoints WHERE migration_id = 'm_thr'"),
                    "status can say why it waits");
            assertTrue(h.events.stream().anyMatch(p -> p.throttle().filter(t -> t.contains("throttle query returned 1")).isPresent()),
                    "the listener heard why");
            Db.exec(c, "UPDATE thr_flag SET v = 0");
            Backfiller.Result r = job.get(60, TimeUnit.SECONDS);
            assertEquals(2000, r.rowsCopied());
            assertEquals(0, Db.count(c, "SELECT count(*) FROM thr WHERE dst IS DISTINCT FROM src * 2"));
        }
    }

    @Test
    void rowLocksHeldByAnotherTransactionMakeTheBatchBackOffThenFinish() throws Exception {
        BackfillHarness h = new BackfillHarness(db);
        try (Connection c = db.connect(); Connection locker = db.connect()) {
            h.migration(c, "m_lock");
            Db.exec(c, "CREATE TABLE lk (id int PRIMARY KEY, src int, dst int)");
            Db.exec(c, "INSERT INTO lk SELECT g, g, NULL FROM generate_series(1, 4000) g");
            // each batch takes at least 20 ms, so the locker gets in while the backfill is still far away
            Db.exec(c, "CREATE FUNCTION lk_slow() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(0.02); RETURN NULL; END $$");
            Db.exec(c, "CREATE TRIGGER lk_slow AFTER UPDATE ON lk FOR EACH STATEMENT EXECUTE FUNCTION lk_slow()");
            Db.exec(c, "ALTER TABLE lk ENABLE ALWAYS TRIGGER lk_slow");
            BackfillOptions o = h.options().batchSize(100).minBatch(10).maxBatch(100).lockTimeoutMs(100).maxRetries(20).build();
            CompletableFuture<Backfiller.Result> job = CompletableFuture.supplyAsync(() -> {
                try (Connection own = db.connect()) {
                    return h.run(own, "m_lock", BackfillHarness.spec("lk", List.of("id"), "dst", "src * 2"), o);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (batches(c, "m_lock") < 1) {
                assertTrue(System.nanoTime() < deadline, "the backfill did not start: " + h.logText());
                Thread.sleep(5);
            }
            locker.setAutoCommit(false);
            Db.exec(locker, "SELECT * FROM lk WHERE id BETWEEN 3000 AND 3050 FOR UPDATE");
            while (!h.logText().contains("backing off")) {
                assertTrue(System.nanoTime() < deadline, "no back-off seen: " + h.logText());
                assertFalse(job.isDone(), "finished through a locked range? " + h.logText());
                Thread.sleep(20);
            }
            Thread.sleep(500);
            assertFalse(job.isDone(), "still waiting for the locked rows");
            assertEquals(0, Db.count(c, "SELECT count(*) FROM lk WHERE id BETWEEN 3000 AND 3050 AND dst IS NOT NULL"));
            long before = Db.count(c, "SELECT count(*) FROM lk WHERE dst IS NOT NULL");
            assertTrue(before >= 2000 && before < 3000, "copied up to near the locked rows, not past them: " + before);
            locker.commit();
            Backfiller.Result r = job.get(60, TimeUnit.SECONDS);
            assertEquals(4000, r.rowsCopied());
            assertEquals(0, Db.count(c, "SELECT count(*) FROM lk WHERE dst IS DISTINCT FROM src * 2"));
            assertTrue(h.logText().contains("waited too long for a lock"), h.logText());
        }
    }

    @Test
    void anApplicationSessionWaitingOnTheBackfillHoldsItAndShrinksTheBatch() throws Exception {
        BackfillHarness h = new BackfillHarness(db);
        try (Connection c = db.connect(); Connection app = db.connect()) {
            h.migration(c, "m_blk");
            Db.exec(c, "CREATE TABLE blk (id int PRIMARY KEY, src int, dst int)");
            Db.exec(c, "INSERT INTO blk SELECT g, g, NULL FROM generate_series(1, 3000) g");
            // each batch holds its row locks for at least 300 ms
            Db.exec(c, "CREATE FUNCTION blk_slow() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(0.3); RETURN NULL; END $$");
            Db.exec(c, "CREATE TRIGGER blk_slow AFTER UPDATE ON blk FOR EACH STATEMENT EXECUTE FUNCTION blk_slow()");
            Db.exec(c, "ALTER TABLE blk ENABLE ALWAYS TRIGGER blk_slow");
            BackfillOptions o = h.options().batchSize(100).minBatch(10).maxBatch(100).targetBatchMs(100_000).build();
            CompletableFuture<Backfiller.Result> job = CompletableFuture.supplyAsync(() -> {
                try (Connection own = db.connect()) {
                    return h.run(own, "m_blk", BackfillHarness.spec("blk", List.of("id"), "dst", "src * 2"), o);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            long deadline = System.nanoTime() + 60_000_000_000L;
            // the application writes rows just ahead of the last checkpoint: inside the batch in flight
            while (h.events.stream().noneMatch(p -> p.throttle().filter(t -> t.contains("waiting on the backfill's locks")).isPresent())) {
                assertTrue(System.nanoTime() < deadline, "the throttle never saw the waiting session: " + h.logText());
                assertFalse(job.isDone(), "finished without noticing: " + h.logText());
                Object last = Db.scalar(c, "SELECT last_key[1]::int FROM tandem.backfill_checkpoints WHERE migration_id = 'm_blk'");
                int next = (last == null ? 0 : (Integer) last) + 50;
                Db.exec(app, "UPDATE blk SET src = src WHERE id = " + next);
            }
            Backfiller.Result r = job.get(120, TimeUnit.SECONDS);
            assertTrue(h.events.stream().anyMatch(p -> p.batchSize() < 100), "the batch shrank after sessions waited");
            assertEquals(0, Db.count(c, "SELECT count(*) FROM blk WHERE dst IS DISTINCT FROM src * 2"));
            assertEquals(3000, r.rowsCopied());
        }
    }

    @Test
    void aSignalThatCannotBeReadCountsAsPause() throws Exception {
        BackfillHarness h = new BackfillHarness(db);
        try (Connection c = db.connect()) {
            h.migration(c, "m_unread");
            Db.exec(c, "CREATE TABLE unread (id int PRIMARY KEY, src int, dst int)");
            Db.exec(c, "INSERT INTO unread SELECT g, g, NULL FROM generate_series(1, 500) g");
            BackfillOptions o = h.options().throttleQuery("SELECT v FROM later_flag").build(); // no such table yet
            CompletableFuture<Backfiller.Result> job = CompletableFuture.supplyAsync(() -> {
                try (Connection own = db.connect()) {
                    return h.run(own, "m_unread", BackfillHarness.spec("unread", List.of("id"), "dst", "src * 2"), o);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(1500);
            assertFalse(job.isDone(), "an unreadable signal holds the backfill");
            assertEquals(500, Db.count(c, "SELECT count(*) FROM unread WHERE dst IS NULL"));
            assertTrue(String.valueOf(Db.scalar(c, "SELECT throttle FROM tandem.backfill_checkpoints WHERE migration_id = 'm_unread'"))
                    .startsWith("the throttle query failed"), h.logText());
            Db.exec(c, "CREATE TABLE later_flag AS SELECT 0 AS v");
            assertEquals(500, job.get(60, TimeUnit.SECONDS).rowsCopied());
        }
    }

    @Test
    void aRangeThatKeepsFailingStopsTheJobWithItsCheckpointKept() throws Exception {
        BackfillHarness h = new BackfillHarness(db);
        try (Connection c = db.connect(); Connection locker = db.connect()) {
            h.migration(c, "m_stuck");
            Db.exec(c, "CREATE TABLE stuck (id int PRIMARY KEY, src int, dst int)");
            Db.exec(c, "INSERT INTO stuck SELECT g, g, NULL FROM generate_series(1, 300) g");
            locker.setAutoCommit(false);
            Db.exec(locker, "LOCK TABLE stuck IN EXCLUSIVE MODE"); // reads pass, the batch UPDATE cannot
            BackfillOptions o = h.options().lockTimeoutMs(50).maxRetries(2).build();
            dev.tandem.TandemException e = org.junit.jupiter.api.Assertions.assertThrows(dev.tandem.TandemException.class,
                    () -> h.run(c, "m_stuck", BackfillHarness.spec("stuck", List.of("id"), "dst", "src * 2"), o));
            locker.rollback();
            assertEquals(dev.tandem.TandemException.LOCK, e.exitCode());
            assertTrue(e.getMessage().contains("after 3 attempts") && e.getMessage().contains("checkpoint is kept")
                    && e.getMessage().contains("tandem backfill m_stuck"), e.getMessage());
            assertEquals(Boolean.FALSE, Db.scalar(c, "SELECT finished FROM tandem.backfill_checkpoints WHERE migration_id = 'm_stuck'"));
            assertEquals(300, Db.count(c, "SELECT count(*) FROM stuck WHERE dst IS NULL"));
            // once the lock is gone, the same job resumes and finishes
            assertEquals(300, h.run(c, "m_stuck", BackfillHarness.spec("stuck", List.of("id"), "dst", "src * 2"), h.options().build())
                    .rowsCopied());
        }
    }
}
