package dev.tandem.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.plan.Phase;
import dev.tandem.testing.Db;
import dev.tandem.testing.LifecycleDriver;
import dev.tandem.testing.PhaseWalk;
import dev.tandem.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code drop_index} of a partitioned index on a range-partitioned table (four partitions and a
 * default one) whose partition indexes carry the names {@code create_index} gives them: a plain
 * {@code DROP INDEX} at contract drops the whole tree; rolling contract back rebuilds it
 * CONCURRENTLY per leaf, ON ONLY the parent and ATTACH per leaf, and the fingerprint (names,
 * validity, attachment of every partition's index) and data are as before; writes of both
 * application versions reach a range and the default partition in every phase.
 */
class PartitionedDropIndexLifecycleTest {
    @TempDir
    Path changelog;

    static final String TREE = "SELECT count(*) FROM pg_class c JOIN pg_index i ON i.indexrelid = c.oid WHERE i.indisvalid"
            + " AND (c.relname = 'events_kind_idx' OR c.oid IN (SELECT inhrelid FROM pg_inherits WHERE inhparent = to_regclass('events_kind_idx')))";

    @Test
    void dropIndexWalksEveryPhase() throws SQLException {
        TestDatabase db = TestDatabase.create("part_drop_index");
        try (Connection c = db.connect()) {
            PartitionedTableLifecycleTest.load(c);
            StringBuilder sql = new StringBuilder("CREATE INDEX events_kind_idx ON ONLY events USING btree (kind, happened DESC);");
            for (String leaf : List.of("events_2023", "events_2024", "events_2025", "events_2026", "events_other")) {
                sql.append("CREATE INDEX events_kind_idx_").append(leaf).append(" ON ").append(leaf).append(" (kind, happened DESC);")
                        .append("ALTER INDEX events_kind_idx ATTACH PARTITION events_kind_idx_").append(leaf).append(';');
            }
            Db.exec(c, sql.toString());
            assertEquals(6L, Db.count(c, TREE));
            LifecycleDriver tandem = LifecycleDriver.forMigration(db, changelog, "0001_drop_events_kind_idx", """
                    changes:
                      - drop_index: {table: events, name: events_kind_idx}
                    """);
            PhaseWalk.run(tandem, c, List.of("public"), new PhaseWalk.Checks() {
                @Override
                public void afterPhase(Phase p) throws SQLException {
                    boolean dropped = p.ordinal() >= Phase.CONTRACT.ordinal();
                    assertEquals(dropped ? 0L : 6L, Db.count(c, TREE), "the index tree after " + p);
                    assertEquals(dropped ? 0L : 1L, Db.count(c, "SELECT count(*) FROM pg_class WHERE relname = 'events_kind_idx_events_other'"));
                    Db.exec(c, "INSERT INTO events VALUES (-1, '2024-03-03', 'k', 'old'), (-2, '2030-02-02', 'k', 'old')");
                    Db.exec(c, "SET tandem.version = 'new'");
                    Db.exec(c, "INSERT INTO events VALUES (-3, '2025-03-03', 'k', 'new'), (-4, '2031-02-02', 'k', 'new')");
                    Db.exec(c, "RESET tandem.version");
                    assertEquals(2L, Db.count(c, "SELECT count(*) FROM events_other WHERE id < 0"));
                    Db.exec(c, "DELETE FROM events WHERE id < 0");
                }
            });
            assertTrue(tandem.log().stream().anyMatch(l -> l.contains("drop partitioned index events_kind_idx")), tandem.log().toString());
        }
    }
}
