package dev.tandem.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
 * Issue #11.3: {@code rename_column} and {@code add_column … up} on a table without a primary key
 * or unique index (with duplicate rows) are planned and backfilled by ctid pages, walked phase by
 * phase with exact rollbacks, old- and new-application writes synced.
 */
class NoPrimaryKeyLifecycleTest {
    static final QualifiedName EVENTS = new QualifiedName("public", "events");
    static final int ROWS = 3000;

    @TempDir
    Path changelog;

    private static void seed(Connection c) throws SQLException {
        Db.exec(c, "CREATE TABLE events (code text NOT NULL, payload text)");
        // every row twice: only the physical position tells the copies apart
        Db.exec(c, "INSERT INTO events SELECT 'e' || (g % " + (ROWS / 2) + "), 'payload ' || (g % " + (ROWS / 2) + ")"
                + " FROM generate_series(1, " + ROWS + ") g");
        Db.exec(c, "UPDATE events SET payload = NULL WHERE code LIKE '%7'");
    }

    @Test
    void renameColumnWithoutPrimaryKey() throws SQLException {
        TestDatabase db = TestDatabase.create("nopk_rename");
        try (Connection c = db.connect()) {
            seed(c);
            long nulls = Db.count(c, "SELECT count(*) FROM events WHERE payload IS NULL");
            LifecycleDriver tandem = LifecycleDriver.forMigration(db, changelog, "0001_rename_payload", """
                    changes:
                      - rename_column: {table: events, column: payload, to: body}
                    """);
            PhaseWalk.run(tandem, c, List.of("public"), new PhaseWalk.Checks() {
                @Override
                public void afterPhase(Phase p) throws SQLException {
                    String tag = "t-" + p.wireName();
                    try {
                        if (p.ordinal() >= Phase.BACKFILL.ordinal() && p.ordinal() < Phase.CONTRACT.ordinal()) {
                            assertEquals(0L, Db.count(c, "SELECT count(*) FROM events WHERE body IS DISTINCT FROM payload"),
                                    "every row copied after " + p);
                        }
                        if (p.ordinal() >= Phase.DUAL_WRITE.ordinal() && p.ordinal() < Phase.CONTRACT.ordinal()) {
                            Db.exec(c, "INSERT INTO events (code, payload) VALUES ('" + tag + "-old', 'from old')");
                            assertEquals("from old", Db.scalar(c, "SELECT body FROM events WHERE code = '" + tag + "-old'"), "old-app insert after " + p);
                            Db.exec(c, "INSERT INTO events (code, body) VALUES ('" + tag + "-new', 'from new')");
                            assertEquals("from new", Db.scalar(c, "SELECT payload FROM events WHERE code = '" + tag + "-new'"), "new-app insert after " + p);
                            Db.exec(c, "UPDATE events SET payload = 'moved' WHERE code = '" + tag + "-old'");
                            assertEquals("moved", Db.scalar(c, "SELECT body FROM events WHERE code = '" + tag + "-old'"), "old-app update after " + p);
                        }
                        if (p == Phase.CONTRACT) {
                            Db.exec(c, "INSERT INTO events (code, body) VALUES ('" + tag + "-new', 'after contract')");
                        }
                    } finally {
                        Db.exec(c, "DELETE FROM events WHERE code LIKE '" + tag + "-%'");
                    }
                }

                @Override
                public Map<QualifiedName, Set<String>> excludedData(Phase p) {
                    return p == Phase.BACKFILL ? Map.of(EVENTS, Set.of("body")) : Map.of();
                }

                @Override
                public void afterPurge() throws SQLException {
                    assertEquals((long) ROWS, Db.count(c, "SELECT count(*) FROM events"));
                    org.junit.jupiter.api.Assertions.assertTrue(tandem.log().stream().anyMatch(l -> l.contains("by ctid pages")),
                            "the backfill was cut by ctid pages: " + tandem.log());
                    assertEquals(nulls, Db.count(c, "SELECT count(*) FROM events WHERE body IS NULL"), "NULLs kept");
                    assertEquals(0L, Db.count(c, "SELECT count(*) FROM events WHERE body IS NOT NULL AND body <> 'payload ' || substr(code, 2)"));
                }
            });
        }
    }

    @Test
    void addColumnWithUpWithoutPrimaryKey() throws SQLException {
        TestDatabase db = TestDatabase.create("nopk_add");
        try (Connection c = db.connect()) {
            seed(c);
            LifecycleDriver tandem = LifecycleDriver.forMigration(db, changelog, "0001_add_code_len", """
                    changes:
                      - add_column:
                          table: events
                          column: {name: code_len, type: integer}
                          up: length(code)
                    """);
            PhaseWalk.run(tandem, c, List.of("public"), new PhaseWalk.Checks() {
                @Override
                public void afterPhase(Phase p) throws SQLException {
                    String tag = "t-" + p.wireName();
                    try {
                        if (p.ordinal() >= Phase.BACKFILL.ordinal()) {
                            assertEquals(0L, Db.count(c, "SELECT count(*) FROM events WHERE code_len IS DISTINCT FROM length(code)"),
                                    "every row filled after " + p);
                        }
                        if (p.ordinal() >= Phase.DUAL_WRITE.ordinal() && p.ordinal() < Phase.CONTRACT.ordinal()) {
                            Db.exec(c, "INSERT INTO events (code, payload) VALUES ('" + tag + "-old', 'x')");
                            assertEquals((long) (tag + "-old").length(),
                                    ((Number) Db.scalar(c, "SELECT code_len FROM events WHERE code = '" + tag + "-old'")).longValue(),
                                    "old-app insert filled after " + p);
                        }
                    } finally {
                        Db.exec(c, "DELETE FROM events WHERE code LIKE '" + tag + "-%'");
                    }
                }

                @Override
                public Map<QualifiedName, Set<String>> excludedData(Phase p) {
                    return p == Phase.BACKFILL ? Map.of(EVENTS, Set.of("code_len")) : Map.of();
                }
            });
        }
    }
}
