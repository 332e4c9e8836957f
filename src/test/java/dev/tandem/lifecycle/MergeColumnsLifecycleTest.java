package dev.tandem.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code merge_columns people.first_name, last_name → full_name} walked phase by phase on a real PostgreSQL. */
class MergeColumnsLifecycleTest {
    @TempDir
    Path changelog;

    @Test
    @DisplayName("every phase applies, serves both versions, rolls back exactly and applies again; then purge")
    void phaseWalk() throws SQLException {
        TestDatabase db = TestDatabase.create("merge_walk");
        try (Connection c = db.connect()) {
            Db.exec(c, "CREATE TABLE people (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), first_name text NOT NULL,"
                    + " last_name text NOT NULL DEFAULT '', email text)");
            Db.exec(c, "CREATE INDEX people_last_name_idx ON people (last_name)");
            Db.exec(c, "INSERT INTO people (first_name, last_name, email) SELECT 'First' || g, 'Last ' || g, g || '@t.invalid'"
                    + " FROM generate_series(1, 300) g");
            LifecycleDriver tandem = LifecycleDriver.forMigration(db, changelog, "0001_merge_names", """
                    changes:
                      - merge_columns:
                          table: people
                          columns: [first_name, last_name]
                          into: {name: full_name, type: text, nullable: false, up: "concat_ws(' ', first_name, nullif(last_name, ''))"}
                          down:
                            first_name: "split_part(full_name, ' ', 1)"
                            last_name: "substr(full_name, length(split_part(full_name, ' ', 1)) + 2)"
                    """);
            PhaseWalk.run(tandem, c, List.of("public"), new PhaseWalk.Checks() {
                @Override
                public void afterPhase(Phase p) throws SQLException {
                    boolean oldShape = p.ordinal() < Phase.CONTRACT.ordinal();
                    boolean synced = oldShape && p.ordinal() >= Phase.DUAL_WRITE.ordinal();
                    List<UUID> mine = new ArrayList<>();
                    try {
                        if (oldShape) {
                            UUID o = Rows.insert(c, "INSERT INTO people (first_name, last_name) VALUES (?, ?) RETURNING id", "Ada", "Lovelace");
                            mine.add(o);
                            assertEquals(synced ? "Ada Lovelace" : null, Rows.get(c, "people", o, "full_name"), "old-app insert after " + p);
                            Rows.write(c, "UPDATE people SET last_name = ? WHERE id = ?", o, "King");
                            assertEquals(synced ? "Ada King" : null, Rows.get(c, "people", o, "full_name"), "old-app update after " + p);
                        }
                        if (p.ordinal() >= Phase.DUAL_WRITE.ordinal()) {
                            UUID n = Rows.insert(c, "INSERT INTO people (full_name) VALUES (?) RETURNING id", "Grace Brewster Hopper");
                            mine.add(n);
                            if (synced) {
                                assertEquals("Grace|Brewster Hopper", Rows.get(c, "people", n, "first_name || '|' || last_name"), "new-app insert after " + p);
                                Rows.write(c, "UPDATE people SET full_name = ? WHERE id = ?", n, "Alan Turing");
                                assertEquals("Alan|Turing", Rows.get(c, "people", n, "first_name || '|' || last_name"), "new-app update after " + p);
                            } else {
                                assertFalse(Db.columnExists(c, "public", "people", "first_name"));
                            }
                        }
                    } finally {
                        Rows.delete(c, "people", mine);
                    }
                }

                @Override
                public Map<QualifiedName, Set<String>> excludedData(Phase p) {
                    return p == Phase.BACKFILL ? Map.of(new QualifiedName("public", "people"), Set.of("full_name")) : Map.of();
                }

                @Override
                public void afterPurge() throws SQLException {
                    assertTrue(Rows.notNull(c, "people", "full_name"));
                    assertEquals(0L, Db.count(c, "SELECT count(*) FROM people WHERE full_name NOT LIKE 'First% Last %'"), "every row merged");
                    assertEquals(0L, Db.count(c, "SELECT count(*) FROM pg_class WHERE relname = 'people_last_name_idx'"),
                            "the index on a merged column goes with it at purge");
                }
            });
        }
    }
}
