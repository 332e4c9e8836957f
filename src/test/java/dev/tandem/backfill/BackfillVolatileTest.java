package dev.tandem.backfill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.tandem.testing.Db;
import dev.tandem.testing.TestDatabase;
import java.sql.Connection;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A volatile (or merely stable) expression gives a different value each time it is evaluated: the
 * verify pass must compare with what the copy wrote, not evaluate the expression again, and must
 * not report repairs that nobody caused.
 */
class BackfillVolatileTest {
    static TestDatabase db;

    @BeforeAll
    static void setUp() {
        db = TestDatabase.create("BackfillVolatileTest");
    }

    @Test
    void aVolatileExpressionIsWrittenOnceAndNotRepaired() throws Exception {
        BackfillHarness h = new BackfillHarness(db);
        try (Connection c = db.connect()) {
            h.migration(c, "m_vol");
            Db.exec(c, "CREATE TABLE vol (id bigint PRIMARY KEY, src int, dst int)");
            Db.exec(c, "INSERT INTO vol SELECT g, g, NULL FROM generate_series(1, 1000) g");
            Db.exec(c, "ANALYZE vol");
            Backfiller.Result r = h.run(c, "m_vol", BackfillHarness.spec("vol", List.of("id"), "dst", "(random() * 1000)::int + 1"),
                    h.options().batchSize(100).minBatch(50).maxBatch(300).build());
            assertEquals(1000, r.rowsCopied(), h.logText());
            assertEquals(0, r.rowsRepaired(), "nobody bypassed the copy: " + h.logText());
            assertEquals(0, Db.count(c, "SELECT count(*) FROM vol WHERE dst IS NULL"));
            assertFalse(h.logText().contains("verify: repaired"), h.logText());
        }
    }

    @Test
    void aStableExpressionIsNotReEvaluatedEither() throws Exception {
        BackfillHarness h = new BackfillHarness(db);
        try (Connection c = db.connect()) {
            h.migration(c, "m_stable");
            Db.exec(c, "CREATE TABLE stab (id bigint PRIMARY KEY, src int, dst timestamptz)");
            Db.exec(c, "INSERT INTO stab SELECT g, g, NULL FROM generate_series(1, 500) g");
            Db.exec(c, "ANALYZE stab");
            // clock_timestamp() differs between the copy's and the verify's evaluation
            Backfiller.Result r = h.run(c, "m_stable", BackfillHarness.spec("stab", List.of("id"), "dst", "clock_timestamp()"),
                    h.options().batchSize(100).minBatch(50).maxBatch(300).build());
            assertEquals(500, r.rowsCopied(), h.logText());
            assertEquals(0, r.rowsRepaired(), h.logText());
        }
    }

    @Test
    void aRowTheCopyMissedIsStillRepairedForAVolatileExpression() throws Exception {
        BackfillHarness h = new BackfillHarness(db);
        try (Connection c = db.connect()) {
            h.migration(c, "m_miss");
            Db.exec(c, "CREATE TABLE miss (id bigint PRIMARY KEY, src int, dst int)");
            Db.exec(c, "INSERT INTO miss SELECT g, g, NULL FROM generate_series(1, 300) g");
            Db.exec(c, "ANALYZE miss");
            // a trigger that undoes the copy's write on one row stands in for a writer that bypassed it
            Db.exec(c, "CREATE FUNCTION miss_undo() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                    + " IF NEW.id = 150 AND NOT EXISTS (SELECT 1 FROM miss_seen) THEN NEW.dst := NULL; INSERT INTO miss_seen VALUES (1); END IF;"
                    + " RETURN NEW; END $$");
            Db.exec(c, "CREATE TABLE miss_seen (x int)");
            Db.exec(c, "CREATE TRIGGER miss_undo BEFORE UPDATE ON miss FOR EACH ROW EXECUTE FUNCTION miss_undo()");
            Db.exec(c, "ALTER TABLE miss ENABLE ALWAYS TRIGGER miss_undo");
            Backfiller.Result r = h.run(c, "m_miss", BackfillHarness.spec("miss", List.of("id"), "dst", "(random() * 1000)::int + 1"),
                    h.options().batchSize(100).minBatch(50).maxBatch(300).build());
            assertEquals(0, Db.count(c, "SELECT count(*) FROM miss WHERE dst IS NULL"), h.logText());
            assertEquals(1, r.rowsRepaired(), h.logText());
        }
    }
}
