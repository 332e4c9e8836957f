package dev.tandem.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tandem.plan.Phase;
import dev.tandem.sql.QualifiedName;
import dev.tandem.testing.Db;
import dev.tandem.testing.LifecycleDriver;
import dev.tandem.testing.PhaseWalk;
import dev.tandem.testing.SampleSchema;
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

/**
 * Several column intents in ONE migration, two of them on the same table (users: split_column and
 * add_column with up; tasks: drop_column with down): one set of phases, one sync trigger per
 * intent (two on users, on disjoint columns), each phase rolled back exactly.
 */
class ColumnIntentsTogetherTest {
    @TempDir
    Path changelog;

    @Test
    @DisplayName("split + add on users and drop on tasks in one migration walk every phase together")
    void threeIntentsOneMigration() throws SQLException {
        TestDatabase db = TestDatabase.create("columns_together");
        try (Connection c = db.connect()) {
            SampleSchema.load(c);
            SampleSchema.seed(c, 150);
            String yaml = SplitColumnLifecycleTest.YAML + """
                      - add_column:
                          table: users
                          column: {name: email_domain, type: text, nullable: false, default: "'unknown'"}
                          up: "split_part(email, '@', 2)"
                      - drop_column: {table: tasks, column: description, down: "'see ' || title"}
                    """;
            LifecycleDriver tandem = LifecycleDriver.forMigration(db, changelog, "0001_together", yaml);
            PhaseWalk.run(tandem, c, List.of("public"), new PhaseWalk.Checks() {
                @Override
                public void afterPhase(Phase p) throws SQLException {
                    SplitColumnLifecycleTest.writes(c, p);
                    boolean dual = p.ordinal() >= Phase.DUAL_WRITE.ordinal() && p.ordinal() < Phase.CONTRACT.ordinal();
                    List<UUID> mine = new ArrayList<>();
                    try {
                        if (p.ordinal() < Phase.CONTRACT.ordinal()) {
                            UUID u = Rows.insert(c, "INSERT INTO users (email, full_name, password_hash) VALUES (?, 'Two Words', 'h') RETURNING id",
                                    "both-" + p.wireName() + "@example.org");
                            mine.add(u);
                            assertEquals(dual ? "example.org" : null, Rows.get(c, "users", u, "email_domain"), "add_column fill after " + p);
                            assertEquals(dual ? "Two|Words" : null, Rows.get(c, "users", u, "first_name || '|' || last_name"), "split after " + p);
                        }
                        UUID t = Rows.insert(c, "INSERT INTO tasks (project_id, title) VALUES ((SELECT id FROM projects ORDER BY id LIMIT 1), ?) RETURNING id",
                                "T" + p.wireName());
                        try {
                            if (p.ordinal() < Phase.CONTRACT.ordinal()) {
                                assertEquals(dual ? "see T" + p.wireName() : null, Rows.get(c, "tasks", t, "description"), "drop_column fill after " + p);
                            }
                        } finally {
                            Rows.delete(c, "tasks", List.of(t));
                        }
                        if (dual) {
                            assertEquals(2L, Db.count(c, "SELECT count(*) FROM pg_trigger WHERE tgrelid = 'users'::regclass AND tgname LIKE 'tandem_sync%'"),
                                    "one trigger per intent on users");
                        }
                    } finally {
                        Rows.delete(c, "users", mine);
                    }
                }

                @Override
                public Map<QualifiedName, Set<String>> excludedData(Phase p) {
                    return p == Phase.BACKFILL
                            ? Map.of(new QualifiedName("public", "users"), Set.of("first_name", "last_name", "email_domain")) : Map.of();
                }

                @Override
                public void afterPurge() throws SQLException {
                    assertEquals(0L, Db.count(c, "SELECT count(*) FROM users WHERE email_domain IS DISTINCT FROM split_part(email, '@', 2)"));
                    assertEquals(0L, Db.count(c, "SELECT count(*) FROM pg_attribute WHERE attname LIKE 'tandem_retired%' AND NOT attisdropped"));
                }
            });
        }
    }
}
