package dev.tandem.estimate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.tandem.catalog.CatalogSnapshot;
import dev.tandem.catalog.Column;
import dev.tandem.catalog.Table;
import dev.tandem.plan.BackfillSpec;
import dev.tandem.plan.LockLevel;
import dev.tandem.plan.Step;
import dev.tandem.plan.mechanics.ConcurrentIndexBuild;
import dev.tandem.sql.QualifiedName;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The estimate model on a hand-made catalog: each kind of step gets the figures docs/cli.md states. */
class EstimatorTest {
    static final QualifiedName USERS = new QualifiedName("public", "users");
    static final EstimateModel M = EstimateModel.DEFAULT;

    static Column col(String name, int pos, String type) {
        return new Column(name, pos, type, false, Optional.empty(), "", "", Optional.empty(), Optional.empty());
    }

    static Table users(long rows) {
        return new Table(USERS, "r", List.of(col("id", 1, "bigint"), col("name", 2, "text"), col("age", 3, "integer")),
                List.of(), List.of(), List.of(), "", rows, Optional.empty());
    }

    final Estimator estimator = new Estimator(M);

    @Test
    void aBackfillCopiesEveryRowAndWritesANewVersionOfEach() {
        Step s = new Step("fill", "UPDATE …", List.of(), LockLevel.ROW_EXCLUSIVE, "public.users", false, false, true,
                Optional.of(new BackfillSpec(USERS, List.of("id"), List.of(new BackfillSpec.Assignment("nick", "name")))));
        StepEstimate e = estimator.step(s, users(1_000_000), false);
        assertEquals(StepEstimate.Hold.PER_BATCH, e.hold());
        assertEquals(1_000_000L, e.rowsToCopy());
        assertEquals(1_000_000 / (double) M.backfillRowsPerSecond(), e.seconds(), 1e-9);
        // bigint 8 + text 32 + integer 4 + the new column nick (not in the table yet) 32, + tuple overhead
        assertEquals(1_000_000L * (8 + 32 + 4 + 32 + M.tupleOverheadBytes()), e.extraDiskBytes());
        assertEquals(M.batchSeconds(), e.lockSeconds());
    }

    @Test
    void scansRewritesAndIndexBuildsHoldTheirLockForTheirRunTime() {
        Step validate = Step.ddl("validate", "ALTER TABLE t VALIDATE CONSTRAINT c", null, LockLevel.SHARE_UPDATE_EXCLUSIVE, "public.users")
                .withScan(true);
        StepEstimate v = estimator.step(validate, users(2_000_000), false);
        assertEquals(StepEstimate.Hold.SCAN, v.hold());
        assertEquals(2.0, v.lockSeconds(), 1e-9);
        assertEquals(0L, v.extraDiskBytes());
        Step index = ConcurrentIndexBuild.buildStep("index", USERS, "users_name_idx", "CREATE INDEX CONCURRENTLY users_name_idx ON public.users (name)");
        StepEstimate i = estimator.step(index, users(600_000), false);
        assertEquals(600_000 / (double) M.indexRowsPerSecond(), i.seconds(), 1e-9);
        assertEquals(600_000L * M.indexEntryBytes(), i.extraDiskBytes());
        Step rewrite = new Step("retype", "ALTER TABLE … TYPE bigint", List.of(), LockLevel.ACCESS_EXCLUSIVE, "public.users", true, true, true,
                Optional.empty());
        StepEstimate r = estimator.step(rewrite, users(400_000), false);
        assertEquals(StepEstimate.Hold.REWRITE, r.hold());
        assertEquals(2.0, r.lockSeconds(), 1e-9);
        assertEquals(400_000L * (8 + 32 + 4 + M.tupleOverheadBytes()), r.extraDiskBytes());
    }

    @Test
    void catalogChangesAreBriefAndUnknownRowsStayUnknown() {
        Step add = Step.ddl("add", "ALTER TABLE … ADD COLUMN x int", "…", LockLevel.ACCESS_EXCLUSIVE, "public.users");
        StepEstimate a = estimator.step(add, users(5_000_000), false);
        assertEquals(StepEstimate.Hold.BRIEF, a.hold());
        assertEquals(0.0, a.seconds());
        Step validate = add.withScan(true);
        assertNull(estimator.step(validate, users(-1), false).seconds(), "never analyzed");
        assertNull(estimator.step(validate, users(10), true).seconds(), "offline");
        assertNull(estimator.step(validate, null, false).seconds(), "a table the catalog does not hold");
        assertEquals(0L, new CatalogSnapshot(0, Map.of(USERS, users(3))).table(USERS).map(t -> 0L).orElseThrow());
    }
}
