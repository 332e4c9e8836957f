package dev.tandem.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.plan.Phase;
import dev.tandem.state.MigrationRecord.Status;
import dev.tandem.testing.Db;
import dev.tandem.testing.TestDatabase;
import dev.tandem.testing.Train;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Release trains across migrations on one table (issue #10): a migration that wants a table or
 * column an earlier, started and unpurged migration holds waits until that one is purged; stored
 * plans therefore never run against a name a later migration changed, and the compatibility view
 * of {@code rename_table} never shows Tandem's internal columns.
 */
class ReleaseTrainTest {
    @TempDir
    Path dir;

    private static TestDatabase tiny(String name) throws SQLException {
        TestDatabase db = TestDatabase.create(name);
        try (Connection c = db.connect()) {
            Db.exec(c, "CREATE TABLE t (id integer PRIMARY KEY, v text, n integer NOT NULL DEFAULT 0)");
            Db.exec(c, "INSERT INTO t SELECT g, 'v' || g, g FROM generate_series(1, 20) g");
        }
        return db;
    }

    /** Before: apply ran both, then {@code contract 0001} failed (its trigger was on a table now called t2). */
    @Test
    void renameTableWaitsForAnUnpurgedRenameColumnOnTheSameTable() throws SQLException {
        TestDatabase db = tiny("ReleaseTrain_rename");
        Train train = new Train(db, dir, false)
                .write("0001_rename_v", "changes:\n  - rename_column: {table: t, column: v, to: w}\n")
                .write("0002_rename_t", "changes:\n  - rename_table: {table: t, to: t2}\n");
        ApplyCommand.Result r = train.apply();
        assertEquals(Optional.of("0001_rename_v"), r.waitingFor(), r.toString());
        String msg = r.outcomes().get(1).message();
        assertTrue(msg.contains("waits for 0001_rename_v") && msg.contains("public.t"), msg);
        assertTrue(train.record("0002_rename_t").isEmpty(), "0002 not started");

        train.advance("0001_rename_v", Phase.SWITCH_READS);
        train.advance("0001_rename_v", Phase.CONTRACT);
        assertEquals(Status.CONTRACTED, train.record("0001_rename_v").orElseThrow().status());
        // contracted is not enough: a rollback of 0001 would still need the name t
        assertEquals(Optional.of("0001_rename_v"), train.apply().waitingFor());
        train.purge("0001_rename_v");
        ApplyCommand.Result after = train.apply();
        assertEquals(Optional.empty(), after.waitingFor(), after.toString());
        assertEquals(Optional.of(Phase.BACKFILL), train.record("0002_rename_t").orElseThrow().phase());
        try (Connection c = db.connect()) {
            assertEquals(20L, Db.count(c, "SELECT count(*) FROM t2 WHERE w = 'v' || id"));
            assertEquals(20L, Db.count(c, "SELECT count(*) FROM t WHERE w = 'v' || id"), "the view shows the renamed column");
        }
        train.advance("0002_rename_t", Phase.SWITCH_READS);
        train.advance("0002_rename_t", Phase.CONTRACT);
        train.purge("0002_rename_t");
    }

    /** Before: rename_table ran after a contracted retype, whose purge then ran its stored SQL against the view t. */
    @Test
    void purgeOfAnEarlierRetypeNeverRunsAgainstARenamedTable() throws SQLException {
        TestDatabase db = tiny("ReleaseTrain_retype");
        Train train = new Train(db, dir, false)
                .write("0001_n_bigint", "changes:\n  - change_column_type: {table: t, column: n, type: bigint}\n")
                .write("0002_rename_t", "changes:\n  - rename_table: {table: t, to: t2}\n");
        assertEquals(Optional.of("0001_n_bigint"), train.apply().waitingFor());
        train.advance("0001_n_bigint", Phase.SWITCH_READS);
        train.advance("0001_n_bigint", Phase.CONTRACT);
        ApplyCommand.Result waiting = train.apply();
        assertEquals(Optional.of("0001_n_bigint"), waiting.waitingFor(), waiting.toString());
        assertTrue(train.record("0002_rename_t").isEmpty());

        assertEquals("0001_n_bigint: purged", train.purge("0001_n_bigint"));
        assertEquals(Optional.empty(), train.apply().waitingFor());
        try (Connection c = db.connect()) {
            assertEquals("bigint", Db.scalar(c, "SELECT data_type FROM information_schema.columns WHERE table_name = 't2' AND column_name = 'n'"));
            assertEquals(List.of("id", "v", "n"), viewColumns(c, "t"));
        }
    }

    /** Before: the view was {@code SELECT *} and captured a {@code tandem_old_*} column left on the table. */
    @Test
    void compatibilityViewListsColumnsAndHidesTandemInternalColumns() throws SQLException {
        TestDatabase db = tiny("ReleaseTrain_view");
        try (Connection c = db.connect()) {
            Db.exec(c, "ALTER TABLE t ADD COLUMN tandem_old_0001_x_n integer, ADD COLUMN tandem_retired_0002_x_v text, ADD COLUMN z text");
        }
        Train train = new Train(db, dir, false).write("0003_rename_t", "changes:\n  - rename_table: {table: t, to: t2}\n");
        assertEquals(Optional.empty(), train.apply().waitingFor());
        try (Connection c = db.connect()) {
            assertEquals(List.of("id", "v", "n", "z"), viewColumns(c, "t"));
            Db.exec(c, "INSERT INTO t (id, v, n, z) VALUES (100, 'old app', 1, 'z')");
            assertEquals(1L, Db.count(c, "SELECT count(*) FROM t2 WHERE id = 100 AND v = 'old app'"));
        }
        // contract and its rollback recreate the same view
        train.advance("0003_rename_t", Phase.SWITCH_READS);
        train.advance("0003_rename_t", Phase.CONTRACT);
        train.rollback("0003_rename_t", false);
        try (Connection c = db.connect()) {
            assertEquals(List.of("id", "v", "n", "z"), viewColumns(c, "t"));
        }
        train.rollback("0003_rename_t", true);
        try (Connection c = db.connect()) {
            assertFalse(Db.columnExists(c, "public", "t2", "id"));
            assertEquals(21L, Db.count(c, "SELECT count(*) FROM t"));
        }
    }

    /**
     * Before: drop_constraint held only its own name (as if it were a column), so dropping the check on
     * a column another in-flight migration retypes ran alongside it. Now it holds the columns its
     * rollback re-creates it on; drop_index likewise, so an index on another column rides the train.
     */
    @Test
    void droppedConstraintWaitsForAnInFlightRetypeOfItsColumnAndAnIndexElsewhereRidesAlong() throws SQLException {
        TestDatabase db = tiny("ReleaseTrain_dropk");
        try (Connection c = db.connect()) {
            Db.exec(c, "ALTER TABLE t ADD CONSTRAINT t_n_pos CHECK (n >= 0)");
            Db.exec(c, "CREATE INDEX t_v_idx ON t (v)");
        }
        Train train = new Train(db, dir, false)
                .write("0001_n_bigint", "changes:\n  - change_column_type: {table: t, column: n, type: bigint}\n")
                .write("0002_drop_v_idx", "changes:\n  - drop_index: {name: t_v_idx}\n")
                .write("0003_drop_n_pos", "changes:\n  - drop_constraint: {table: t, name: t_n_pos}\n");
        ApplyCommand.Result r = train.apply();
        assertEquals(Optional.of("0001_n_bigint"), r.waitingFor(), r.toString());
        assertTrue(train.record("0002_drop_v_idx").isPresent(), "an index on another column rides along: " + r);
        String msg = r.outcomes().get(r.outcomes().size() - 1).message();
        assertTrue(msg.contains("waits for 0001_n_bigint") && msg.contains("column public.t.n"), msg);
        assertTrue(train.record("0003_drop_n_pos").isEmpty());
    }

    static List<String> viewColumns(Connection c, String view) throws SQLException {
        List<String> out = new java.util.ArrayList<>();
        try (var st = c.prepareStatement("SELECT a.attname FROM pg_attribute a JOIN pg_class r ON r.oid = a.attrelid"
                + " WHERE r.relname = ? AND r.relkind = 'v' AND a.attnum > 0 ORDER BY a.attnum")) {
            st.setString(1, view);
            try (var rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }
}
