package dev.tandem.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.TandemException;
import dev.tandem.catalog.Fingerprint;
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
 * {@code create_index} on a range-partitioned table (four partitions and a default one): built
 * CONCURRENTLY per leaf, {@code ON ONLY} the parent, attached per leaf; every phase rolls back
 * exactly; a build that fails in the second partition leaves no INVALID index behind (the executor
 * drops it), keeps the first partition's, and the phase applied again builds the rest and attaches
 * all; a unique index without the partition key is refused up front.
 */
class PartitionedIndexLifecycleTest {
    @TempDir
    Path changelog;

    static final String VALID_TREE = "SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
            + " WHERE i.indisvalid AND (c.relname = 'events_kind_idx' OR c.oid IN (SELECT relid FROM pg_partition_tree('events_kind_idx')))";

    @Test
    void createIndexWalksEveryPhase() throws SQLException {
        TestDatabase db = TestDatabase.create("part_index");
        try (Connection c = db.connect()) {
            PartitionedTableLifecycleTest.load(c);
            LifecycleDriver tandem = LifecycleDriver.forMigration(db, changelog, "0001_events_kind_idx", """
                    changes:
                      - create_index: {table: events, name: events_kind_idx, columns: [kind, "happened DESC"]}
                    """);
            PhaseWalk.run(tandem, c, List.of("public"), new PhaseWalk.Checks() {
                @Override
                public void afterPhase(Phase p) throws SQLException {
                    assertEquals(6L, Db.count(c, VALID_TREE), "the parent's index and five attached partition indexes are valid after " + p);
                    assertEquals(5L, Db.count(c, "SELECT count(*) FROM pg_partition_tree('events_kind_idx') WHERE level = 1"));
                    Db.exec(c, "INSERT INTO events VALUES (-1, '2021-01-01', 'k', 'x'), (-2, '2024-02-02', 'k', 'x')");
                    Db.exec(c, "DELETE FROM events WHERE id < 0");
                }
            });
            assertTrue(tandem.log().stream().anyMatch(l -> l.contains("ON ONLY public.events")), tandem.log().toString());
        }
    }

    @Test
    void failedLeafBuildIsRebuiltOnResume() throws Exception {
        TestDatabase db = TestDatabase.create("part_index_resume");
        try (Connection c = db.connect()) {
            PartitionedTableLifecycleTest.load(c);
            assertEquals("events_2024", Db.scalar(c, "SELECT tableoid::regclass::text FROM events WHERE id = 100"));
            Fingerprint before = Fingerprint.of(c, List.of("public"), true);
            LifecycleDriver tandem = LifecycleDriver.forMigration(db, changelog, "0001_events_expr_idx", """
                    changes:
                      - create_index: {table: events, name: events_kind_idx, columns: ["(1 / (id - 100))"]}
                    """);
            TandemException e = assertThrows(TandemException.class, () -> tandem.apply(Phase.EXPAND));
            assertTrue(e.getMessage().contains("division by zero"), e.getMessage());
            // the executor drops the INVALID index the failed CONCURRENTLY build left, and forgets that step only
            assertEquals(null, Db.scalar(c, "SELECT to_regclass('events_kind_idx_events_2024')::text"), "no INVALID leftover");
            assertEquals(Boolean.TRUE, Db.scalar(c, "SELECT indisvalid FROM pg_index WHERE indexrelid = 'events_kind_idx_events_2023'::regclass"));

            Db.exec(c, "UPDATE events SET id = 100000 WHERE id = 100");
            Fingerprint fixed = Fingerprint.of(c, List.of("public"), true);
            tandem.apply(Phase.EXPAND);
            assertEquals(6L, Db.count(c, VALID_TREE.replace("'events_kind_idx'", "'events_kind_idx'")), "rebuilt, attached and valid");
            assertEquals(1L, Db.count(c, "SELECT count(*) FROM pg_class WHERE relname LIKE 'events_kind_idx_events_2024%'"), "no leftover");

            assertEquals(List.of(Phase.EXPAND), tandem.rollbackOne());
            Fingerprint after = Fingerprint.of(c, List.of("public"), true);
            assertEquals(fixed.lines().stream().filter(l -> l.startsWith("data ")).toList(),
                    after.lines().stream().filter(l -> l.startsWith("data ")).toList(), "data as after the fix");
            assertEquals(before.lines().stream().filter(l -> !l.startsWith("data ")).toList(),
                    after.lines().stream().filter(l -> !l.startsWith("data ")).toList(), "catalog as before the first attempt");
        }
    }

    @Test
    void uniqueIndexWithoutThePartitionKeyIsRefused() throws Exception {
        TestDatabase db = TestDatabase.create("part_index_unique");
        try (Connection c = db.connect()) {
            PartitionedTableLifecycleTest.load(c);
            Fingerprint before = Fingerprint.of(c, List.of("public"), true);
            LifecycleDriver tandem = LifecycleDriver.forMigration(db, changelog, "0001_unique_id", """
                    changes:
                      - create_index: {table: events, name: events_id_key, columns: [id], unique: true}
                    """);
            TandemException e = assertThrows(TandemException.class, () -> tandem.apply(Phase.EXPAND));
            assertEquals(2, e.exitCode());
            assertTrue(e.getMessage().contains("must include every column of its partition key (RANGE (happened)); missing: happened"),
                    e.getMessage());
            PhaseWalk.assertNoDiff(before, Fingerprint.of(c, List.of("public"), true), "refused");
        }
    }
}
