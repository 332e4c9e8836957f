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
 * {@code add_unique} on a range-partitioned table (four partitions and a default one): unique
 * index CONCURRENTLY per leaf, each made its leaf's constraint, then the parent's
 * {@code ADD CONSTRAINT … UNIQUE} attaches them (no build); every phase rolls back exactly; old-
 * and new-application writes reach a range and the default partition, a duplicate is rejected
 * once the constraint holds; a key without the partition key column is refused up front.
 */
class PartitionedUniqueLifecycleTest {
    @TempDir
    Path changelog;

    /** Leaf constraints attached to the parent's events_note_key (conparentid), each backed by its own leaf index. */
    static final String ATTACHED = "SELECT count(*) FROM pg_constraint k JOIN pg_constraint p ON p.oid = k.conparentid"
            + " WHERE p.conname = 'events_note_key' AND p.conrelid = 'events'::regclass AND k.contype = 'u'";

    @Test
    void addUniqueWalksEveryPhase() throws SQLException {
        TestDatabase db = TestDatabase.create("part_unique");
        try (Connection c = db.connect()) {
            PartitionedTableLifecycleTest.load(c);
            LifecycleDriver tandem = LifecycleDriver.forMigration(db, changelog, "0001_events_note_key", """
                    changes:
                      - add_unique: {table: events, name: events_note_key, columns: [note, happened]}
                    """);
            PhaseWalk.run(tandem, c, List.of("public"), new PhaseWalk.Checks() {
                @Override
                public void afterPhase(Phase p) throws SQLException {
                    boolean holds = p.ordinal() >= Phase.SWITCH_READS.ordinal();
                    assertEquals(holds ? 1L : 0L, Db.count(c, "SELECT count(*) FROM pg_constraint WHERE conname = 'events_note_key'"
                            + " AND conrelid = 'events'::regclass AND contype = 'u'"), "parent's constraint after " + p);
                    assertEquals(holds ? 5L : 0L, Db.count(c, ATTACHED), "every partition's constraint attached after " + p);
                    // old application (no tandem.version) and new application, a range partition and the default one
                    Db.exec(c, "INSERT INTO events VALUES (-1, '2024-03-03', 'k', 'dup'), (-2, '2030-02-02', 'k', 'dup')");
                    Db.exec(c, "SET tandem.version = 'new'");
                    Db.exec(c, "INSERT INTO events VALUES (-3, '2025-03-03', 'k', 'new'), (-4, '2031-02-02', 'k', 'new')");
                    Db.exec(c, "RESET tandem.version");
                    SQLException dup = null;
                    try {
                        Db.exec(c, "INSERT INTO events VALUES (-5, '2030-02-02', 'k', 'dup')");
                    } catch (SQLException e) {
                        dup = e;
                    }
                    assertEquals(holds, dup != null, "a duplicate in the default partition is rejected iff the constraint holds, after " + p);
                    if (dup != null) {
                        assertEquals("23505", dup.getSQLState());
                    }
                    Db.exec(c, "DELETE FROM events WHERE id < 0");
                }
            });
            assertTrue(tandem.log().stream().anyMatch(l -> l.contains("add unique constraint events_note_key on public.events")), tandem.log().toString());
        }
    }

    @Test
    void parentConstraintAttachesTheLeavesWithoutABuild() throws SQLException {
        TestDatabase db = TestDatabase.create("part_unique_attach");
        try (Connection c = db.connect()) {
            PartitionedTableLifecycleTest.load(c);
            LifecycleDriver tandem = LifecycleDriver.forMigration(db, changelog, "0001_events_note_key", """
                    changes:
                      - add_unique: {table: events, name: events_note_key, columns: [note, happened]}
                    """);
            for (Phase p : List.of(Phase.EXPAND, Phase.DUAL_WRITE, Phase.BACKFILL)) {
                tandem.apply(p);
            }
            tandem.forward(Phase.SWITCH_READS);
            // the indexes tandem built CONCURRENTLY per leaf (its names) are the ones attached; PostgreSQL built none of its own
            String ours = "events_note_key_events_2023,events_note_key_events_2024,events_note_key_events_2025,"
                    + "events_note_key_events_2026,events_note_key_events_other";
            assertEquals(ours, Db.scalar(c, "SELECT string_agg(conindid::regclass::text, ',' ORDER BY 1) FROM pg_constraint WHERE conparentid ="
                    + " (SELECT oid FROM pg_constraint WHERE conname = 'events_note_key' AND conrelid = 'events'::regclass)"));
            assertEquals(ours, Db.scalar(c, "SELECT string_agg(indexrelid::regclass::text, ',' ORDER BY 1) FROM pg_index WHERE indrelid IN"
                    + " (SELECT inhrelid FROM pg_inherits WHERE inhparent = 'events'::regclass) AND indisunique AND NOT indisprimary"),
                    "one unique index per leaf besides the primary key's");
        }
    }

    @Test
    void keyWithoutThePartitionKeyIsRefused() throws Exception {
        TestDatabase db = TestDatabase.create("part_unique_refused");
        try (Connection c = db.connect()) {
            PartitionedTableLifecycleTest.load(c);
            Fingerprint before = Fingerprint.of(c, List.of("public"), true);
            LifecycleDriver tandem = LifecycleDriver.forMigration(db, changelog, "0001_note_key", """
                    changes:
                      - add_unique: {table: events, name: events_note_key, columns: [note]}
                    """);
            TandemException e = assertThrows(TandemException.class, () -> tandem.apply(Phase.EXPAND));
            assertEquals(2, e.exitCode());
            assertTrue(e.getMessage().contains("must include every column of its partition key (RANGE (happened)); missing: happened"),
                    e.getMessage());
            PhaseWalk.assertNoDiff(before, Fingerprint.of(c, List.of("public"), true), "refused");
        }
    }
}
