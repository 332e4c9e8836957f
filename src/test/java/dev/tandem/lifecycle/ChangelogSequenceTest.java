package dev.tandem.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.backfill.BackfillOptions;
import dev.tandem.catalog.Fingerprint;
import dev.tandem.db.ConnectionConfig;
import dev.tandem.execute.LockPolicy;
import dev.tandem.intent.ChangelogReader;
import dev.tandem.intent.Migration;
import dev.tandem.plan.Phase;
import dev.tandem.plan.PlanOptions;
import dev.tandem.state.MigrationRecord.Status;
import dev.tandem.testing.Db;
import dev.tandem.testing.PhaseWalk;
import dev.tandem.testing.SampleSchema;
import dev.tandem.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A long changelog ({@code src/test/resources/sequence/}, 32 migrations on three tables: create,
 * add, rename, retype, constrain, index, split, merge, drop, raw SQL, rename table, drop table) carried
 * end to end: every migration through expand, dual-write, backfill, switch-reads, contract and
 * purge, one after the other, with rows written in between. Then a fresh database replays the same
 * changelog, and the two catalogs must have the same fingerprint; the rows written at the start must
 * have come through every change.
 */
class ChangelogSequenceTest {
    static final Path CHANGELOG = SampleSchema.repoRoot().resolve("src/test/resources/sequence");

    @Test
    void thirtyTwoMigrationsEndToEndThenAFreshReplayHasTheSameCatalog() throws SQLException {
        List<Migration> migrations = ChangelogReader.readPath(CHANGELOG);
        assertTrue(migrations.size() >= 30, "at least 30 migrations: " + migrations.size());

        TestDatabase first = TestDatabase.create("sequence_a");
        Fingerprint a;
        try (Connection c = first.connect()) {
            runAll(first, migrations, c, true);
            a = Fingerprint.of(c, List.of("public"), false);
            // the accounts written after migration 2 came through split, merge and the drops
            assertEquals(50L, Db.count(c, "SELECT count(*) FROM accounts"));
            assertEquals(50L, Db.count(c, "SELECT count(*) FROM accounts WHERE display_name = 'Given' || substring(email from 'A([0-9]+)@') || ' Family' || substring(email from 'A([0-9]+)@')"));
            assertEquals(200L, Db.count(c, "SELECT count(*) FROM entries"));
            assertEquals(200L, Db.count(c, "SELECT count(*) FROM entries WHERE (content LIKE 'note %' OR content = '') AND priority BETWEEN 1 AND 5"));
            assertEquals("bigint", Db.scalar(c, "SELECT data_type FROM information_schema.columns"
                    + " WHERE table_name = 'entries' AND column_name = 'id'"));
            assertEquals(0L, Db.count(c, "SELECT count(*) FROM information_schema.columns"
                    + " WHERE table_schema = 'public' AND column_name LIKE 'tandem%'"), "nothing retired is left");
        }

        TestDatabase second = TestDatabase.create("sequence_b");
        try (Connection c = second.connect()) {
            runAll(second, migrations, c, false);
            PhaseWalk.assertNoDiff(a, Fingerprint.of(c, List.of("public"), false), "replay on a fresh database");
        }
    }

    private static void runAll(TestDatabase db, List<Migration> migrations, Connection c, boolean writeRows) throws SQLException {
        Settings settings = new Settings(ConnectionConfig.of(db.jdbcUrl(), db.user(), db.password(), Map.of()),
                new PlanOptions("public", "tandem"), LockPolicy.defaults(), BackfillOptions.defaults(), line -> { });
        List<Migration> sofar = new ArrayList<>();
        for (Migration m : migrations) {
            sofar.add(m);
            try (Workspace ws = Workspace.forWriting(settings)) {
                new ApplyCommand(ws).run(sofar, Phase.BACKFILL);
                new AdvanceCommand(ws).run(m.id(), Phase.SWITCH_READS);
                new AdvanceCommand(ws).run(m.id(), Phase.CONTRACT);
                new PurgeCommand(ws).run(m.id());
                assertEquals(Status.PURGED, ws.record(m.id()).status(), m.id());
            } catch (RuntimeException | SQLException e) {
                throw new AssertionError("migration " + m.id() + " failed: " + e.getMessage(), e);
            }
            if (writeRows && m.id().startsWith("0002")) {
                Db.exec(c, "INSERT INTO accounts (email, full_name) SELECT 'A' || g || '@x.test', 'Given' || g || ' Family' || g"
                        + " FROM generate_series(1, 50) g");
                Db.exec(c, "INSERT INTO notes (account_id, body, priority) SELECT 1 + g % 50, CASE WHEN g % 4 = 0 THEN NULL"
                        + " ELSE 'note ' || g END, 1 + g % 7 FROM generate_series(1, 200) g");
            }
        }
    }
}
