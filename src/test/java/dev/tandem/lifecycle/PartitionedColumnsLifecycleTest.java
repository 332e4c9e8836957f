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

    /** Inserts one old-shape row per partition kind (a range partition, the default one) with {@code columns} = {@code values}. */
    private static void insertOld(Connection c, String columns, String values) throws SQLException {
        for (int i = 0; i < DAYS.length; i++) {
            Db.exec(c, "INSERT INTO events (id, happened, kind, " + columns + ") VALUES (" + (-1 - i) + ", '" + DAYS[i] + "', 'k', " + values + ")");
        }
    }

    @Test
    void changeColumnType() throws SQLException {
        TestDatabase db = TestDatabase.create("part_retype");
        try (Connection c = db.connect()) {
            PartitionedTableLifecycleTest.load(c);
            Db.exec(c, "ALTER TABLE events ADD COLUMN score integer; UPDATE events SET score = id % 100");
            LifecycleDriver tandem = LifecycleDriver.forMigration(db, changelog, "0001_score_bigint", """
                    changes:
                      - change_column_type: {table: events, column: score, type: bigint, up: "score::bigint", down: "score::integer"}
                    """);
            PhaseWalk.run(tandem, c, List.of("public"), new PhaseWalk.Checks() {
                @Override
                public void afterPhase(Phase p) throws SQLException {
                    try {
                        insertOld(c, "note, score", "'x', 77");
                        assertEquals(2L, Db.count(c, "SELECT count(*) FROM events WHERE id < 0 AND score = 77"), "write and read after " + p);
                        assertEquals(0L, Db.count(c, "SELECT count(*) FROM events WHERE id > 0 AND score IS DISTINCT FROM id % 100"),
                                "every row keeps its value after " + p);
                    } finally {
                        Db.exec(c, "DELETE FROM events WHERE id < 0");
                    }
                }

                @Override
                public Map<QualifiedName, Set<String>> excludedData(Phase p) {
                    return p == Phase.BACKFILL ? Map.of(EVENTS, Set.of(dev.tandem.sql.Names.bounded("tandem_new", "0001_score_bigint", "score"))) : Map.of();
                }

                @Override
                public void afterPurge() throws SQLException {
                    for (String rel : List.of("events", "events_2023", "events_other")) {
                        assertEquals("bigint", Db.scalar(c, "SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = '"
                                + rel + "'::regclass AND attname = 'score'"), rel);
                    }
                }
            });
        }
    }

    @Test
    void setNotNull() throws SQLException {
        TestDatabase db = TestDatabase.create("part_notnull");
        try (Connection c = db.connect()) {
            PartitionedTableLifecycleTest.load(c);
            Db.exec(c, "ALTER TABLE events ALTER note DROP NOT NULL; UPDATE events SET note = NULL WHERE id % 10 = 0");
            LifecycleDriver tandem = LifecycleDriver.forMigration(db, changelog, "0001_note_not_null", """
                    changes:
                      - set_not_null: {table: events, column: note, up: "coalesce(note, 'none')"}
                    """);
            PhaseWalk.run(tandem, c, List.of("public"), new PhaseWalk.Checks() {
                @Override
                public void afterPhase(Phase p) throws SQLException {
                    try {
                        if (p.ordinal() >= Phase.BACKFILL.ordinal()) {
                            assertEquals(0L, Db.count(c, "SELECT count(*) FROM events WHERE note IS NULL"), "no NULL left after " + p);
                        }
                        if (p.ordinal() >= Phase.DUAL_WRITE.ordinal() && p.ordinal() < Phase.CONTRACT.ordinal()) {
                            insertOld(c, "note", "NULL");
                            assertEquals(2L, Db.count(c, "SELECT count(*) FROM events WHERE id < 0 AND note = 'none'"),
                                    "an old-app NULL is repaired in both partitions after " + p);
                        }
                    } finally {
                        Db.exec(c, "DELETE FROM events WHERE id < 0");
                    }
                }

                @Override
                public Map<QualifiedName, Set<String>> excludedData(Phase p) {
                    return p == Phase.BACKFILL ? Map.of(EVENTS, Set.of("note")) : Map.of();
                }

                @Override
                public void afterPurge() throws SQLException {
                    assertEquals(0L, Db.count(c, "SELECT count(*) FROM pg_attribute WHERE attname = 'note' AND NOT attnotnull"
                            + " AND attrelid IN (SELECT relid FROM pg_partition_tree('events'))"), "NOT NULL on the parent and every partition");
                    assertEquals(50L, Db.count(c, "SELECT count(*) FROM events WHERE note = 'none'"));
                }
            });
        }
    }

    @Test
    void dropColumn() throws SQLException {
        TestDatabase db = TestDatabase.create("part_drop");
        try (Connection c = db.connect()) {
            PartitionedTableLifecycleTest.load(c);
            LifecycleDriver tandem = LifecycleDriver.forMigration(db, changelog, "0001_drop_note", """
                    changes:
                      - drop_column: {table: events, column: note, down: "'restored'"}
                    """);
            PhaseWalk.run(tandem, c, List.of("public"), new PhaseWalk.Checks() {
                @Override
                public void afterPhase(Phase p) throws SQLException {
                    try {
                        if (p.ordinal() < Phase.CONTRACT.ordinal()) {
                            insertOld(c, "note", "'old app'");
                            assertEquals(2L, Db.count(c, "SELECT count(*) FROM events WHERE id < 0 AND note = 'old app'"), "old app after " + p);
                        }
                        // the new application does not write note
                        for (int i = 0; i < DAYS.length; i++) {
                            Db.exec(c, "INSERT INTO events (id, happened, kind) VALUES (" + (-10 - i) + ", '" + DAYS[i] + "', 'new')");
                        }
                        assertEquals(2L, Db.count(c, "SELECT count(*) FROM events WHERE id <= -10"), "new app after " + p);
                    } finally {
                        Db.exec(c, "DELETE FROM events WHERE id < 0");
                    }
                }

                @Override
                public void afterPurge() throws SQLException {
                    assertEquals(0L, Db.count(c, "SELECT count(*) FROM pg_attribute WHERE attname = 'note' AND NOT attisdropped"
                            + " AND attrelid IN (SELECT relid FROM pg_partition_tree('events'))"), "gone from the parent and every partition");
                }
            });
        }
    }

    @Test
    void splitAndMergeColumns() throws Exception {
        TestDatabase db = TestDatabase.create("part_split");
        try (Connection c = db.connect()) {
            PartitionedTableLifecycleTest.load(c);
            LifecycleDriver tandem = LifecycleDriver.forMigration(db, changelog, "0001_split_note", """
                    changes:
                      - split_column:
                          table: events
                          column: note
                          into:
                            - {name: note_prefix, type: text, up: "left(note, 1)"}
                            - {name: note_rest, type: text, up: "substr(note, 2)"}
                          down: "note_prefix || note_rest"
                    """);
            PhaseWalk.run(tandem, c, List.of("public"), new PhaseWalk.Checks() {
                @Override
                public void afterPhase(Phase p) throws SQLException {
                    try {
                        if (p.ordinal() >= Phase.BACKFILL.ordinal() && p.ordinal() < Phase.CONTRACT.ordinal()) {
                            assertEquals(0L, Db.count(c, "SELECT count(*) FROM events WHERE note_prefix || note_rest IS DISTINCT FROM note"),
                                    "every row of every partition split after " + p);
                        }
                        if (p.ordinal() >= Phase.DUAL_WRITE.ordinal() && p.ordinal() < Phase.CONTRACT.ordinal()) {
                            insertOld(c, "note", "'xyz'");
                            assertEquals(2L, Db.count(c, "SELECT count(*) FROM events WHERE id < 0 AND note_prefix = 'x' AND note_rest = 'yz'"),
                                    "old-app insert split in both partitions after " + p);
                        }
                    } finally {
                        Db.exec(c, "DELETE FROM events WHERE id < 0");
                    }
                }

                @Override
                public Map<QualifiedName, Set<String>> excludedData(Phase p) {
                    return p == Phase.BACKFILL ? Map.of(EVENTS, Set.of("note_prefix", "note_rest")) : Map.of();
                }

                @Override
                public void afterPurge() throws SQLException {
                    assertEquals(500L, Db.count(c, "SELECT count(*) FROM events WHERE note_prefix || note_rest = 'n' || id"));
                }
            });
            Path merge = java.nio.file.Files.createDirectories(changelog.resolve("merge"));
            LifecycleDriver back = LifecycleDriver.forMigration(db, merge, "0002_merge_note", """
                    changes:
                      - merge_columns:
                          table: events
                          columns: [note_prefix, note_rest]
                          into: {name: note, type: text, up: "note_prefix || note_rest"}
                          down: {note_prefix: "left(note, 1)", note_rest: "substr(note, 2)"}
                    """);
            PhaseWalk.run(back, c, List.of("public"), new PhaseWalk.Checks() {
                @Override
                public void afterPhase(Phase p) throws SQLException {
                    if (p.ordinal() >= Phase.BACKFILL.ordinal() && p.ordinal() < Phase.CONTRACT.ordinal()) {
                        assertEquals(0L, Db.count(c, "SELECT count(*) FROM events WHERE note IS DISTINCT FROM note_prefix || note_rest"),
                                "every row merged after " + p);
                    }
                }

                @Override
                public Map<QualifiedName, Set<String>> excludedData(Phase p) {
                    return p == Phase.BACKFILL ? Map.of(EVENTS, Set.of("note")) : Map.of();
                }

                @Override
                public void afterPurge() throws SQLException {
                    assertEquals(500L, Db.count(c, "SELECT count(*) FROM events WHERE note = 'n' || id"));
                }
            });
        }
    }

    @Test
    void partitionKeyColumnIsRefused() throws Exception {
        TestDatabase db = TestDatabase.create("part_keycol");
        try (Connection c = db.connect()) {
            PartitionedTableLifecycleTest.load(c);
            dev.tandem.catalog.Fingerprint before = dev.tandem.catalog.Fingerprint.of(c, List.of("public"), true);
            LifecycleDriver tandem = LifecycleDriver.forMigration(db, changelog, "0001_rename_key", """
                    changes:
                      - rename_column: {table: events, column: happened, to: occurred}
                    """);
            dev.tandem.TandemException e = org.junit.jupiter.api.Assertions.assertThrows(dev.tandem.TandemException.class,
                    () -> tandem.apply(Phase.EXPAND));
            assertEquals(2, e.exitCode());
            assertTrue(e.getMessage().contains("part of the partition key of public.events (RANGE (happened))"), e.getMessage());
            PhaseWalk.assertNoDiff(before, dev.tandem.catalog.Fingerprint.of(c, List.of("public"), true), "refused");
        }
    }

    @Test
    void addCheckValidatedPerPartition() throws SQLException {
        TestDatabase db = TestDatabase.create("part_check");
        try (Connection c = db.connect()) {
            PartitionedTableLifecycleTest.load(c);
            Db.exec(c, "UPDATE events SET kind = '' WHERE id % 50 = 0");
            LifecycleDriver tandem = LifecycleDriver.forMigration(db, changelog, "0001_kind_check", """
                    changes:
                      - add_check: {table: events, name: events_kind_check, check: "kind <> ''", up: {kind: "coalesce(nullif(kind, ''), 'none')"}}
                    """);
            String valid = "SELECT count(*) FROM pg_constraint WHERE conname = 'events_kind_check' AND convalidated"
                    + " AND conrelid IN (SELECT relid FROM pg_partition_tree('events'))";
            PhaseWalk.run(tandem, c, List.of("public"), new PhaseWalk.Checks() {
                @Override
                public void afterPhase(Phase p) throws SQLException {
                    try {
                        if (p.ordinal() >= Phase.SWITCH_READS.ordinal()) {
                            assertEquals(6L, Db.count(c, valid), "validated on the parent and its five partitions after " + p);
                        }
                        if (p.ordinal() >= Phase.CONTRACT.ordinal()) { // the repair trigger is gone: the check refuses
                            for (String day : DAYS) {
                                org.junit.jupiter.api.Assertions.assertThrows(SQLException.class, () -> Db.exec(c,
                                        "INSERT INTO events (id, happened, kind, note) VALUES (-5, '" + day + "', '', 'x')"), "enforced in " + day);
                            }
                        } else if (p.ordinal() >= Phase.DUAL_WRITE.ordinal()) {
                            insertOld(c, "note", "'x'");
                            Db.exec(c, "UPDATE events SET kind = '' WHERE id < 0");
                            assertEquals(2L, Db.count(c, "SELECT count(*) FROM events WHERE id < 0 AND kind = 'none'"),
                                    "an old-app violation is repaired in both partitions after " + p);
                        }
                    } finally {
                        Db.exec(c, "DELETE FROM events WHERE id < 0");
                    }
                }

                @Override
                public Map<QualifiedName, Set<String>> excludedData(Phase p) {
                    return p == Phase.BACKFILL ? Map.of(EVENTS, Set.of("kind")) : Map.of();
                }

                @Override
                public void afterPurge() throws SQLException {
                    assertEquals(6L, Db.count(c, valid));
                    assertEquals(10L, Db.count(c, "SELECT count(*) FROM events WHERE kind = 'none'"));
                    assertTrue(tandem.log().stream().anyMatch(l -> l.contains("on partition public.events_other")), tandem.log().toString());
                }
            });
        }
    }
}
