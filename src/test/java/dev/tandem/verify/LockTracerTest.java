package dev.tandem.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.execute.LockPolicy;
import dev.tandem.execute.StatementRunner;
import dev.tandem.plan.LockLevel;
import dev.tandem.testing.Db;
import dev.tandem.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the lock trace sees for statements whose locks, scans and rewrites PostgreSQL documents. */
class LockTracerTest {
    @Test
    void tracesLocksScansAndRewrites() throws Exception {
        TestDatabase db = TestDatabase.create("lock_tracer");
        try (Connection c = db.connect(); Connection blocker = db.connect()) {
            Db.exec(c, "CREATE TABLE public.t (id integer PRIMARY KEY, n integer NOT NULL)");
            Db.exec(c, "INSERT INTO public.t SELECT g, g FROM generate_series(1, 2000) g");
            LockTracer tracer = new LockTracer("tandem", () -> {
                try {
                    return db.connect();
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            StatementRunner runner = new StatementRunner(LockPolicy.defaults(), line -> { }, tracer);
            tracer.begin(c);
            for (String sql : List.of(
                    "ALTER TABLE public.t ADD CONSTRAINT t_n_positive CHECK (n > 0)",
                    "ALTER TABLE public.t ADD CONSTRAINT t_n_small CHECK (n < 1000000) NOT VALID",
                    "ALTER TABLE public.t VALIDATE CONSTRAINT t_n_small",
                    "ALTER TABLE public.t ALTER COLUMN n TYPE bigint",
                    "COMMENT ON TABLE public.t IS 'x'")) {
                runner.inTransaction(c, sql, "public.t", true, cx -> { });
            }
            // CREATE INDEX CONCURRENTLY waits for a transaction holding a snapshot: its lock is held meanwhile
            blocker.setAutoCommit(false);
            Db.exec(blocker, "SELECT pg_catalog.txid_current()");
            Thread release = new Thread(() -> {
                try {
                    Thread.sleep(300);
                    blocker.commit();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            release.start();
            runner.outsideTransaction(c, "CREATE INDEX CONCURRENTLY t_n_idx ON public.t (n)");
            release.join();

            List<StatementTrace> t = tracer.traces();
            assertEquals(6, t.size());
            StatementTrace addCheck = t.get(0);
            assertEquals(LockLevel.ACCESS_EXCLUSIVE, addCheck.locks().get("public.t"));
            assertEquals(List.of("public.t"), addCheck.scanned(), "ADD CHECK scans");
            assertEquals(List.of(), addCheck.rewritten());
            assertEquals(List.of(), t.get(1).scanned(), "NOT VALID does not scan");
            assertEquals(LockLevel.SHARE_UPDATE_EXCLUSIVE, t.get(2).locks().get("public.t"));
            assertEquals(List.of("public.t"), t.get(2).scanned(), "VALIDATE scans");
            assertTrue(t.get(3).rewritten().contains("public.t"), "int -> bigint rewrites: " + t.get(3));
            assertEquals(LockLevel.ACCESS_EXCLUSIVE, t.get(3).strongestTableLock().orElseThrow().getValue());
            assertEquals(List.of(), t.get(4).rewritten());
            assertEquals(List.of(), t.get(4).scanned());
            assertFalse(t.get(5).inTransaction());
            assertEquals(LockLevel.SHARE_UPDATE_EXCLUSIVE, t.get(5).locks().get("public.t"), "sampled: " + t.get(5));
            assertEquals(List.of(), t.get(5).rewritten());

            assertTrue(StepJudge.judge("x", dev.tandem.plan.Step.ddl("d", "s", "r", LockLevel.SHARE_UPDATE_EXCLUSIVE, "public.t"),
                    addCheck, true).stream().map(Verdict::rule).toList().containsAll(List.of(Verdict.SCAN_UNDER_LOCK, Verdict.LOCK_STRONGER)));
            assertEquals(List.of(), StepJudge.judge("x", dev.tandem.plan.Step.ddl("d", "s", "r", LockLevel.SHARE_UPDATE_EXCLUSIVE,
                    "public.t").withScan(true), t.get(2), true), "VALIDATE under SHARE UPDATE EXCLUSIVE is the safe form");
        }
    }
}
