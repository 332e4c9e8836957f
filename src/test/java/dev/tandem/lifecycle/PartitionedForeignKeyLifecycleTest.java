package dev.tandem.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
 * {@code add_foreign_key} from a range-partitioned table (four partitions and a default one):
 * NOT VALID then VALIDATE per leaf, then the parent's ADD attaches the validated leaf constraints;
 * every phase rolls back exactly; once it holds, an orphan written to a range or the default
 * partition is rejected, while matching writes of both versions land.
 */
class PartitionedForeignKeyLifecycleTest {
    @TempDir
    Path changelog;

    static final String ATTACHED = "SELECT count(*) FROM pg_constraint k JOIN pg_constraint p ON p.oid = k.conparentid"
            + " WHERE p.conname = 'events_kind_fkey' AND p.conrelid = 'events'::regclass AND k.contype = 'f' AND k.convalidated";

    @Test
    void addForeignKeyWalksEveryPhase() throws SQLException {
        TestDatabase db = TestDatabase.create("part_fk");
        try (Connection c = db.connect()) {
            PartitionedTableLifecycleTest.load(c);
            Db.exec(c, "CREATE TABLE kinds (kind text PRIMARY KEY); INSERT INTO kinds SELECT 'k' || g FROM generate_series(0, 4) g");
            LifecycleDriver tandem = LifecycleDriver.forMigration(db, changelog, "0001_events_kind_fkey", """
                    changes:
                      - add_foreign_key: {table: events, name: events_kind_fkey, columns: [kind], references: {table: kinds, columns: [kind]}}
                    """);
            PhaseWalk.run(tandem, c, List.of("public"), new PhaseWalk.Checks() {
                @Override
                public void afterPhase(Phase p) throws SQLException {
                    boolean holds = p.ordinal() >= Phase.SWITCH_READS.ordinal();
                    assertEquals(holds ? 1L : 0L, Db.count(c, "SELECT count(*) FROM pg_constraint WHERE conname = 'events_kind_fkey'"
                            + " AND conrelid = 'events'::regclass AND convalidated"), "parent's foreign key after " + p);
                    assertEquals(holds ? 5L : 0L, Db.count(c, ATTACHED), "every partition's validated key attached after " + p);
                    assertEquals(0L, Db.count(c, "SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND conparentid = 0"
                            + " AND conrelid IN (SELECT inhrelid FROM pg_inherits WHERE inhparent = 'events'::regclass)"), "no partition keeps a foreign key of its own after " + p);
                    Db.exec(c, "INSERT INTO events VALUES (-1, '2024-03-03', 'k1', 'old'), (-2, '2030-02-02', 'k2', 'old')");
                    Db.exec(c, "SET tandem.version = 'new'");
                    Db.exec(c, "INSERT INTO events VALUES (-3, '2025-03-03', 'k3', 'new')");
                    Db.exec(c, "RESET tandem.version");
                    SQLException orphan = null;
                    try {
                        Db.exec(c, "INSERT INTO events VALUES (-5, '2030-02-02', 'nope', 'x')");
                    } catch (SQLException e) {
                        orphan = e;
                    }
                    assertEquals(holds, orphan != null, "an orphan in the default partition is rejected iff the key holds, after " + p);
                    if (orphan != null) {
                        assertEquals("23503", orphan.getSQLState());
                    }
                    Db.exec(c, "DELETE FROM events WHERE id < 0");
                }
            });
        }
    }
}
