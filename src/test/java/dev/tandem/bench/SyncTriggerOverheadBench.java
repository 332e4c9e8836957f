package dev.tandem.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tandem.plan.Phase;
import dev.tandem.testing.Db;
import dev.tandem.testing.LifecycleDriver;
import dev.tandem.testing.SampleSchema;
import dev.tandem.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Not a test (surefire does not pick up {@code *Bench}): prints what the dual-write trigger costs an
 * old-application writer, for rename_column (expressions {@code NEW."x"}) and split_column
 * (author expressions evaluated as {@code (SELECT (up) FROM (SELECT NEW.*) AS tandem_row)}).
 * Run: {@code mvn -o -q -B test -Dtest=SyncTriggerOverheadBench -Dsurefire.failIfNoSpecifiedTests=false}
 * <p>Per round: N single-row INSERTs and N single-row UPDATEs of the old column in one transaction
 * (rolled back, so every round sees the same table), before and after dual-write; median of rounds.
 */
class SyncTriggerOverheadBench {
    static final int N = 4000;
    static final int ROUNDS = 5;

    @TempDir
    Path changelog;

    @Test
    void renameAndSplit() throws Exception {
        measure("rename_column", "0001_rename", """
                changes:
                  - rename_column: {table: users, column: full_name, to: display_name}
                """);
        measure("split_column", "0001_split", """
                changes:
                  - split_column:
                      table: users
                      column: full_name
                      into:
                        - {name: first_name, type: text, up: "split_part(full_name, ' ', 1)"}
                        - {name: last_name, type: text, up: "substr(full_name, length(split_part(full_name, ' ', 1)) + 2)"}
                      down: "concat_ws(' ', first_name, nullif(last_name, ''))"
                """);
    }

    private void measure(String kind, String id, String yaml) throws Exception {
        TestDatabase db = TestDatabase.create("bench_" + kind);
        try (Connection c = db.connect()) {
            SampleSchema.load(c);
            SampleSchema.seed(c, 1000);
            LifecycleDriver tandem = LifecycleDriver.forMigration(db, changelog, id, yaml);
            tandem.apply(Phase.EXPAND);
            double[] before = rounds(c);
            double beforeAuto = autocommitInserts(c, "a");
            tandem.apply(Phase.DUAL_WRITE);
            double[] after = rounds(c);
            double afterAuto = autocommitInserts(c, "b");
            assertEquals(1L, Db.count(c, "SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'tandem_sync%'"));
            System.out.printf("[bench] %s: old-app INSERT %.1f -> %.1f us/row (x%.2f), UPDATE %.1f -> %.1f us/row (x%.2f)%n",
                    kind, before[0], after[0], after[0] / before[0], before[1], after[1], after[1] / before[1]);
            // one transaction per row: the old-write probe (tandem.note_old_write) runs at most once per second per session
            System.out.printf("[bench] %s: old-app INSERT, autocommit %.1f -> %.1f us/row (x%.2f); old-write samples recorded: %d%n",
                    kind, beforeAuto, afterAuto, afterAuto / beforeAuto,
                    Db.count(c, "SELECT coalesce(sum(old_writes), 0) FROM tandem.activity"));
        }
    }

    /** Median microseconds per row of single-row INSERTs, each its own transaction (the rows stay). */
    private static double autocommitInserts(Connection c, String tag) throws SQLException {
        List<Double> ins = new ArrayList<>();
        int n = N / 4;
        for (int r = 0; r < ROUNDS; r++) {
            try (PreparedStatement i = c.prepareStatement("INSERT INTO users (email, full_name, password_hash) VALUES (?, ?, 'h')")) {
                long t0 = System.nanoTime();
                for (int k = 0; k < n; k++) {
                    i.setString(1, "auto-" + tag + r + "-" + k + "@b.test");
                    i.setString(2, "Auto Person " + k);
                    i.executeUpdate();
                }
                ins.add((System.nanoTime() - t0) / 1e3 / n);
            }
        }
        Collections.sort(ins);
        return ins.get(ROUNDS / 2);
    }

    /** Median microseconds per row of {insert, update}. */
    private static double[] rounds(Connection c) throws SQLException {
        List<Double> ins = new ArrayList<>();
        List<Double> upd = new ArrayList<>();
        for (int r = 0; r < ROUNDS; r++) {
            c.setAutoCommit(false);
            try (PreparedStatement i = c.prepareStatement("INSERT INTO users (email, full_name, password_hash) VALUES (?, ?, 'h')");
                 PreparedStatement u = c.prepareStatement("UPDATE users SET full_name = ? WHERE email = ?")) {
                long t0 = System.nanoTime();
                for (int k = 0; k < N; k++) {
                    i.setString(1, "bench" + k + "@b.test");
                    i.setString(2, "Bench Person " + k);
                    i.executeUpdate();
                }
                long t1 = System.nanoTime();
                for (int k = 0; k < N; k++) {
                    u.setString(1, "Changed Person " + k);
                    u.setString(2, "bench" + k + "@b.test");
                    u.executeUpdate();
                }
                long t2 = System.nanoTime();
                ins.add((t1 - t0) / 1e3 / N);
                upd.add((t2 - t1) / 1e3 / N);
            } finally {
                c.rollback();
                c.setAutoCommit(true);
            }
        }
        Collections.sort(ins);
        Collections.sort(upd);
        return new double[] {ins.get(ROUNDS / 2), upd.get(ROUNDS / 2)};
    }
}
