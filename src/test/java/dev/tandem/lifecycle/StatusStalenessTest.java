package dev.tandem.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.execute.CrashPoints;
import dev.tandem.plan.Phase;
import dev.tandem.testing.Cli;
import dev.tandem.testing.Db;
import dev.tandem.testing.TestDatabase;
import dev.tandem.testing.Train;
import dev.tandem.util.Json;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tandem status} never shows stale progress as current (issue #10): it walks one migration
 * through a crash mid-backfill, rollback --all, re-apply, rollback past backfill, re-apply on more
 * rows, contract, contract's rollback and re-contract, and purge, and after each command checks
 * that the text and the JSON show only what is true now — the backfill of the current attempt or
 * none, the current status, and a next command.
 */
class StatusStalenessTest {
    static final String ID = "0001_n_bigint";

    @TempDir
    Path dir;

    @SuppressWarnings("unchecked")
    private Map<String, Object> json(TestDatabase db) {
        Cli.Result r = Cli.run(Cli.withDb(db, "status", dir.toString(), "--format", "json"));
        assertEquals(0, r.code(), r.describe());
        Map<String, Object> doc = (Map<String, Object>) Json.parse(r.out());
        return (Map<String, Object>) ((List<Object>) doc.get("migrations")).get(0);
    }

    private String text(TestDatabase db) {
        Cli.Result r = Cli.run(Cli.withDb(db, "status", dir.toString()));
        assertEquals(0, r.code(), r.describe());
        return r.out();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> backfill(Map<String, Object> row) {
        return (Map<String, Object>) row.get("backfill");
    }

    private void assertNoProgress(TestDatabase db, String status, String when) {
        Map<String, Object> row = json(db);
        assertEquals(status, row.get("status"), when + ": " + row);
        assertNull(row.get("backfill"), when + ": no backfill is current: " + row);
        String text = text(db);
        assertFalse(text.contains("%"), when + ": the text shows no progress:\n" + text);
    }

    private void assertFinishedBackfill(TestDatabase db, long rows, String when) {
        Map<String, Object> row = json(db);
        Map<String, Object> b = backfill(row);
        assertTrue(b != null && Boolean.TRUE.equals(b.get("finished")), when + ": " + row);
        assertEquals(rows, ((Number) b.get("rows_done")).longValue(), when + ": this attempt's rows: " + row);
        assertEquals(Boolean.FALSE, b.get("paused"), when + ": " + row);
    }

    @Test
    void statusShowsOnlyCurrentFactsThroughTheLifecycle() throws SQLException {
        TestDatabase db = TestDatabase.create("StatusStaleness");
        try (Connection c = db.connect()) {
            Db.exec(c, "CREATE TABLE t (id integer PRIMARY KEY, n integer NOT NULL DEFAULT 0)");
            Db.exec(c, "INSERT INTO t SELECT g, g FROM generate_series(1, 40) g");
        }
        Train train = new Train(db, dir, false).write(ID, "changes:\n  - change_column_type: {table: t, column: n, type: bigint}\n");

        // a crash inside the backfill: the partial progress is current, the migration interrupted
        CrashPoints.arm(8);
        try {
            assertThrows(CrashPoints.Crash.class, train::apply);
        } finally {
            CrashPoints.arm(0);
        }
        Map<String, Object> crashed = json(db);
        assertEquals("interrupted", crashed.get("status"), crashed.toString());

        // rollback --all: nothing of that attempt remains current
        train.rollback(ID, true);
        assertNoProgress(db, "pending", "after rollback --all of an interrupted apply");
        assertEquals("tandem apply", json(db).get("next"));

        train.apply();
        assertFinishedBackfill(db, 40, "after apply");

        // rollback past backfill: the copy is undone, so is its progress
        try (Workspace ws = Workspace.forWriting(train.settings())) {
            new RollbackCommand(ws).run(ID, java.util.Optional.of(Phase.DUAL_WRITE), false);
        }
        Map<String, Object> back = json(db);
        assertEquals("dual-write", back.get("phase"), back.toString());
        assertNull(back.get("backfill"), "after rollback past backfill: " + back);
        assertFalse(text(db).contains("%"), text(db));

        // re-apply on more rows: this attempt's numbers, not the last one's
        try (Connection c = db.connect()) {
            Db.exec(c, "INSERT INTO t SELECT g, g FROM generate_series(41, 60) g");
        }
        train.apply();
        assertFinishedBackfill(db, 60, "after re-apply");

        train.advance(ID, Phase.SWITCH_READS);
        train.advance(ID, Phase.CONTRACT);
        Map<String, Object> contracted = json(db);
        assertEquals("contracted", contracted.get("status"), contracted.toString());
        assertNull(contracted.get("backfill"), "after contract no backfill is in progress or pending: " + contracted);

        // contract's rollback re-syncs (a backfill of its own); once done and contracted again, nothing is running
        try (Workspace ws = Workspace.forWriting(train.settings())) {
            new RollbackCommand(ws).run(ID, java.util.Optional.of(Phase.SWITCH_READS), false);
        }
        Map<String, Object> unContracted = json(db);
        assertEquals("switch-reads", unContracted.get("phase"), unContracted.toString());
        assertEquals("tandem contract " + ID, unContracted.get("next"));
        train.advance(ID, Phase.CONTRACT);
        assertNoProgress(db, "contracted", "after re-contract");

        train.purge(ID);
        assertNoProgress(db, "purged", "after purge");
        assertEquals("none", json(db).get("next"));
    }
}
