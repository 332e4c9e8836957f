package dev.tandem.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.sql.QualifiedName;
import dev.tandem.testing.Db;
import dev.tandem.testing.TestDatabase;
import java.sql.Connection;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The catalog of a partitioned table with range partitions, a default partition and a
 * sub-partitioned (list) partition: key, tree and bounds in the snapshot, through the codec, and in
 * the fingerprint (which also sees each partition's own indexes and constraints).
 */
class CatalogPartitionsTest {
    static final QualifiedName EVENTS = new QualifiedName("public", "events");

    @Test
    void snapshotCodecAndFingerprintKnowPartitions() throws Exception {
        TestDatabase db = TestDatabase.create("catalog_partitions");
        try (Connection c = db.connect()) {
            Db.exec(c, """
                    CREATE TABLE events (id bigint NOT NULL, happened date NOT NULL, kind text NOT NULL, PRIMARY KEY (id, happened, kind))
                      PARTITION BY RANGE (happened);
                    CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
                    CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')
                      PARTITION BY LIST (kind);
                    CREATE TABLE events_2025_a PARTITION OF events_2025 FOR VALUES IN ('a');
                    CREATE TABLE events_2025_rest PARTITION OF events_2025 DEFAULT;
                    CREATE TABLE events_other PARTITION OF events DEFAULT;
                    CREATE TABLE plain (id int PRIMARY KEY);
                    """);
            CatalogSnapshot s = CatalogReader.read(c, List.of("public"));
            assertEquals(List.of(EVENTS, new QualifiedName("public", "plain")), List.copyOf(s.tables().keySet()),
                    "partitions are not tables of their own in the snapshot");
            Table t = s.table(EVENTS).orElseThrow();
            assertTrue(t.partitioned());
            Partitioning p = t.partitioning().orElseThrow();
            assertEquals("RANGE (happened)", p.key());
            assertEquals(List.of("happened"), p.keyColumns());
            assertEquals(List.of("events_2024", "events_2025", "events_2025_a", "events_2025_rest", "events_other"),
                    p.partitions().stream().map(x -> x.name().name()).toList(), "parents before their children");
            assertEquals(List.of("events_2024", "events_2025_a", "events_2025_rest", "events_other"),
                    p.leaves().stream().map(x -> x.name().name()).toList());
            Partition sub = p.partitions().get(1);
            assertFalse(sub.leaf());
            assertEquals(List.of("kind"), sub.keyColumns());
            assertEquals("FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')", sub.bound());
            assertEquals(new QualifiedName("public", "events_2025"), p.partitions().get(2).parent());
            assertTrue(p.partitions().get(3).isDefault());
            assertTrue(p.partitions().get(4).isDefault());
            assertTrue(p.nested());
            assertEquals(List.of("happened", "kind"), p.allKeyColumns());
            assertTrue(s.table(new QualifiedName("public", "plain")).orElseThrow().partitioning().isEmpty());

            String json = SnapshotCodec.encode(s);
            CatalogSnapshot back = SnapshotCodec.decode(json, "s.json");
            assertEquals(s.tables(), back.tables(), "the codec round-trips partitions");
            assertEquals(json, SnapshotCodec.encode(back));

            Fingerprint before = Fingerprint.of(c, List.of("public"), false);
            assertTrue(before.lines().contains("table public.events partition public.events_2025_a of public.events_2025 FOR VALUES IN ('a') leaf"),
                    before.toString());
            // an index built on one partition only, an invalid-able object the parent does not show
            Db.exec(c, "CREATE INDEX events_2024_kind ON events_2024 (kind)");
            List<String> diff = before.diff(Fingerprint.of(c, List.of("public"), false));
            assertEquals(1, diff.size(), diff.toString());
            assertTrue(diff.get(0).startsWith("+ partition public.events_2024 index events_2024_kind valid"), diff.toString());
            Db.exec(c, "DROP INDEX events_2024_kind; ALTER TABLE events_2025_a ADD CONSTRAINT k CHECK (kind = 'a') NOT VALID");
            diff = before.diff(Fingerprint.of(c, List.of("public"), false));
            assertEquals(1, diff.size(), diff.toString());
            assertTrue(diff.get(0).contains("partition public.events_2025_a constraint k c not-valid"), diff.toString());
        }
    }
}
