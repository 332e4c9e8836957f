package dev.tandem.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.plan.Phase;
import dev.tandem.sql.QualifiedName;
import dev.tandem.testing.Db;
import dev.tandem.testing.LifecycleDriver;
import dev.tandem.testing.PhaseWalk;
import dev.tandem.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Column intents on a range-partitioned table (four partitions and a default one, see
 * {@link PartitionedTableLifecycleTest#load}): the sync trigger on the parent reaches every
 * partition, the backfill fills one leaf partition at a time, every phase rolls back exactly
 * (catalog of parent and partitions, and data), old- and new-application writes land in a range
 * partition and in the default one.
 */
class PartitionedColumnsLifecycleTest {
    static final QualifiedName EVENTS = new QualifiedName("public", "events");
    /** One row per partition kind: a range partition (2024) and the default one (2021). */
    static final String[] DAYS = {"2024-05-05", "2021-01-01"};

    @TempDir
    Path changelog;

    private static long leafCheckpoints(Connection c, String id) throws SQLException {
        return Db.count(c, "SELECT count(*) FROM tandem.backfill_checkpoints WHERE migration_id = '" + id
                + "' AND partition_name <> '' AND finished");
    }

    @Test
    void renameColumn() throws SQLException {
        TestDatabase db = TestDatabase.create("part_rename");
        try (Connection c = db.connect()) {
            PartitionedTableLifecycleTest.load(c);
            LifecycleDriver tandem = LifecycleDriver.forMigration(db, changelog, "0001_rename_note", """
                    changes:
                      - rename_column: {table: events, column: note, to: remark}
                    """);
            PhaseWalk.run(tandem, c, List.of("public"), new PhaseWalk.Checks() {
                @Override
                public void afterPhase(Phase p) throws SQLException {
                    try {
                        if (p.ordinal() >= Phase.BACKFILL.ordinal() && p.ordinal() < Phase.CONTRACT.ordinal()) {
                            assertEquals(0L, Db.count(c, "SELECT count(*) FROM events WHERE remark IS DISTINCT FROM note"),
                                    "every row of every partition copied after " + p);
                            assertEquals(5L, leafCheckpoints(c, "0001_rename_note"), "one finished checkpoint per leaf after " + p);
                        }
                        if (p.ordinal() >= Phase.DUAL_WRITE.ordinal() && p.ordinal() < Phase.CONTRACT.ordinal()) {
                            for (int i = 0; i < DAYS.length; i++) {
                                long old = -1 - 2 * i;
                                long neu = -2 - 2 * i;
                                Db.exec(c, "INSERT INTO events (id, happened, kind, note) VALUES (" + old + ", '" + DAYS[i] + "', 'k', 'from old')");
                                assertEquals("from old", Db.scalar(c, "SELECT remark FROM events WHERE id = " + old), "old-app insert after " + p);
                                Db.exec(c, "INSERT INTO events (id, happened, kind, remark) VALUES (" + neu + ", '" + DAYS[i] + "', 'k', 'from new')");
                                assertEquals("from new", Db.scalar(c, "SELECT note FROM events WHERE id = " + neu), "new-app insert after " + p);
                                Db.exec(c, "UPDATE events SET note = 'moved' WHERE id = " + old);
                                assertEquals("moved", Db.scalar(c, "SELECT remark FROM events WHERE id = " + old), "old-app update after " + p);
                                Db.exec(c, "UPDATE events SET remark = 'moved new' WHERE id = " + neu);
                                assertEquals("moved new", Db.scalar(c, "SELECT note FROM events WHERE id = " + neu), "new-app update after " + p);
                            }
                            assertEquals(2L, Db.count(c, "SELECT count(*) FROM events_other WHERE id < 0"), "rows in the default partition");
                        }
                        if (p == Phase.CONTRACT) {
                            Db.exec(c, "INSERT INTO events (id, happened, kind, remark) VALUES (-9, '2021-01-01', 'k', 'after contract')");
                        }
                    } finally {
                        Db.exec(c, "DELETE FROM events WHERE id < 0");
                    }
                }

                @Override
                public Map<QualifiedName, Set<String>> excludedData(Phase p) {
                    return p == Phase.BACKFILL ? Map.of(EVENTS, Set.of("remark")) : Map.of();
                }

                @Override
                public void afterPurge() throws SQLException {
                    assertEquals(500L, Db.count(c, "SELECT count(*) FROM events WHERE remark = 'n' || id"));
                    assertEquals(0L, Db.count(c, "SELECT count(*) FROM pg_attribute WHERE attrelid = 'events_2024'::regclass"
                            + " AND attname = 'note' AND NOT attisdropped"), "old column gone from the partitions");
                }
            });
        }
    }

    @Test
    void addColumnWithUp() throws SQLException {
        TestDatabase db = TestDatabase.create("part_add");
        try (Connection c = db.connect()) {
            PartitionedTableLifecycleTest.load(c);
            LifecycleDriver tandem = LifecycleDriver.forMigration(db, changelog, "0001_add_kind_len", """
                    changes:
                      - add_column:
                          table: events
                          column: {name: kind_len, type: integer}
                          up: length(kind)
                    """);
            PhaseWalk.run(tandem, c, List.of("public"), new PhaseWalk.Checks() {
                @Override
                public void afterPhase(Phase p) throws SQLException {
                    try {
                        if (p.ordinal() >= Phase.BACKFILL.ordinal()) {
                            assertEquals(0L, Db.count(c, "SELECT count(*) FROM events WHERE kind_len IS DISTINCT FROM length(kind)"),
                                    "every row of every partition filled after " + p);
                        }
                        if (p.ordinal() >= Phase.DUAL_WRITE.ordinal() && p.ordinal() < Phase.CONTRACT.ordinal()) {
                            for (int i = 0; i < DAYS.length; i++) {
                                Db.exec(c, "INSERT INTO events (id, happened, kind, note) VALUES (" + (-1 - i) + ", '" + DAYS[i] + "', 'abcd', 'x')");
                                assertEquals(4L, ((Number) Db.scalar(c, "SELECT kind_len FROM events WHERE id = " + (-1 - i))).longValue(),
                                        "old-app insert filled after " + p + " in " + DAYS[i]);
                            }
                        }
                    } finally {
                        Db.exec(c, "DELETE FROM events WHERE id < 0");
                    }
                }

                @Override
                public Map<QualifiedName, Set<String>> excludedData(Phase p) {
                    return p == Phase.BACKFILL ? Map.of(EVENTS, Set.of("kind_len")) : Map.of();
                }

                @Override
                public void afterPurge() throws SQLException {
                    assertTrue(tandem.log().stream().anyMatch(l -> l.contains("backfill public.events_other")), tandem.log().toString());
                }
            });
        }
    }
}
