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
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Intents on a range-partitioned table (four partitions and a default one) on a real PostgreSQL:
 * the supported ones walk every phase with exact rollbacks, the unsupported ones are refused before
 * any DDL, naming the table.
 */
class PartitionedTableLifecycleTest {
    @TempDir
    Path changelog;

    static void load(Connection c) throws SQLException {
        Db.exec(c, """
                CREATE TABLE events (
                    id bigint NOT NULL,
                    happened date NOT NULL,
                    kind text NOT NULL,
                    note text NOT NULL,
                    PRIMARY KEY (id, happened)
                ) PARTITION BY RANGE (happened);
                CREATE TABLE events_2023 PARTITION OF events FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');
                CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
                CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
                CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
                CREATE TABLE events_other PARTITION OF events DEFAULT;
                INSERT INTO events SELECT g, date '2022-06-01' + (g * 7 % 1800), 'k' || (g % 5), 'n' || g
                  FROM generate_series(1, 500) AS g;
                """);
    }

    @Test
    @DisplayName("set_default and drop_not_null on a partitioned table: every phase rolls back exactly, writes reach every partition")
    void supportedIntentsWalk() throws SQLException {
        TestDatabase db = TestDatabase.create("part_walk");
        try (Connection c = db.connect()) {
            load(c);
            assertEquals(5L, Db.count(c, "SELECT count(*) FROM pg_inherits WHERE inhparent = 'events'::regclass"));
            LifecycleDriver tandem = LifecycleDriver.forMigration(db, changelog, "0001_events_defaults", """
                    changes:
                      - set_default: {table: events, column: kind, default: "'info'"}
                      - drop_not_null: {table: events, column: note}
                    """);
            PhaseWalk.run(tandem, c, List.of("public"), new PhaseWalk.Checks() {
                @Override
                public void afterPhase(Phase p) throws SQLException {
                    Db.exec(c, "INSERT INTO events (id, happened) VALUES (-1, '2021-01-01'), (-2, '2024-05-05')");
                    try {
                        assertEquals(2L, Db.count(c, "SELECT count(*) FROM events WHERE id < 0 AND kind = 'info' AND note IS NULL"),
                                "the default and the NULL reach the default partition and a range partition after " + p);
                        assertEquals(1L, Db.count(c, "SELECT count(*) FROM events_other WHERE id = -1"));
                    } finally {
                        Db.exec(c, "DELETE FROM events WHERE id < 0");
                    }
                }
            });
        }
    }

    @Test
    @DisplayName("intents Tandem does not support on partitioned tables yet are refused up front, naming the table, nothing changed")
    void unsupportedIntentsAreRefusedUpFront() throws Exception {
        TestDatabase db = TestDatabase.create("part_refuse");
        try (Connection c = db.connect()) {
            load(c);
            Fingerprint before = Fingerprint.of(c, List.of("public"), true);
            List<String> intents = List.of(
                    // up repairs orphans under a sync trigger: not done on a partitioned table
                    "add_foreign_key: {table: events, name: events_kind_fkey, columns: [kind], references: {table: kinds, columns: [kind]}, up: {kind: \"'k0'\"}}",
                    // up de-duplicates by the primary key's order: not done on a partitioned table
                    "add_unique: {table: events, name: events_note_key, columns: [note, happened], up: {note: \"note || id\"}}",
                    "drop_column: {table: events, column: happened}",
                    // a primary-key column: its new key index would be built CONCURRENTLY on the parent
                    "change_column_type: {table: events, column: id, type: numeric, up: \"id::numeric\", down: \"id::bigint\"}");
            int n = 0;
            for (String intent : intents) {
                String id = "000" + (++n) + "_refused";
                Path dir = Files.createDirectories(changelog.resolve(id));
                LifecycleDriver tandem = LifecycleDriver.forMigration(db, dir, id, "changes:\n  - " + intent + "\n");
                TandemException e = assertThrows(TandemException.class, () -> tandem.apply(Phase.EXPAND), intent);
                assertTrue(e.getMessage().contains("not supported") && e.getMessage().contains("public.events")
                        && e.getMessage().contains("nothing was changed"), e.getMessage());
                assertTrue(e.getMessage().contains(id + ".yaml:"), e.getMessage());
                assertEquals(2, e.exitCode());
            }
            PhaseWalk.assertNoDiff(before, Fingerprint.of(c, List.of("public"), true), "refused migrations");
        }
    }
}
