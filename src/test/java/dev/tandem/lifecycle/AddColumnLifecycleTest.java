package dev.tandem.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

/** {@code add_column} in its three forms (up, volatile default, constant default), walked phase by phase on a real PostgreSQL. */
class AddColumnLifecycleTest {
    static final QualifiedName USERS = new QualifiedName("public", "users");
    static final QualifiedName TASKS = new QualifiedName("public", "tasks");

    @TempDir
    Path changelog;

    @Test
    @DisplayName("up + nullable: false + unique: filled for old-app writes, NOT NULL and UNIQUE without a scan under a write lock")
    void upNotNullUnique() throws SQLException {
        TestDatabase db = TestDatabase.create("add_up");
        try (Connection c = db.connect()) {
            SampleSchema.load(c);
            SampleSchema.seed(c, 200);
            LifecycleDriver tandem = LifecycleDriver.forMigration(db, changelog, "0001_add_slug", """
                    changes:
                      - add_column:
                          table: users
                          column: {name: slug, type: text, nullable: false, unique: true, check: "slug <> ''"}
                          up: lower(email)
                    """);
            PhaseWalk.run(tandem, c, List.of("public"), new PhaseWalk.Checks() {
                @Override
                public void afterPhase(Phase p) throws SQLException {
                    boolean filling = p.ordinal() >= Phase.DUAL_WRITE.ordinal() && p.ordinal() < Phase.CONTRACT.ordinal();
                    String tag = p.wireName() + UUID.randomUUID().toString().substring(0, 6);
                    List<UUID> mine = new ArrayList<>();
                    try {
                        if (p.ordinal() < Phase.CONTRACT.ordinal()) {
                            UUID o = Rows.insert(c, "INSERT INTO users (email, full_name, password_hash) VALUES (?, 'Old', 'h') RETURNING id",
                                    "Old-" + tag + "@T.invalid");
                            mine.add(o);
                            assertEquals(filling ? ("old-" + tag + "@t.invalid") : null, Rows.get(c, "users", o, "slug"), "old-app insert after " + p);
                            Rows.write(c, "UPDATE users SET email = ? WHERE id = ?", o, "Moved-" + tag + "@T.invalid");
                            assertEquals(filling ? ("moved-" + tag + "@t.invalid") : null, Rows.get(c, "users", o, "slug"), "old-app update after " + p);
                        }
                        if (p.ordinal() >= Phase.DUAL_WRITE.ordinal()) {
                            UUID n = Rows.insert(c, "INSERT INTO users (email, full_name, password_hash, slug) VALUES (?, 'New', 'h', ?) RETURNING id",
                                    "new-" + tag + "@t.invalid", "custom-" + tag);
                            mine.add(n);
                            assertEquals("custom-" + tag, Rows.get(c, "users", n, "slug"), "a new-app value is kept after " + p);
                            Rows.write(c, "UPDATE users SET slug = ? WHERE id = ?", n, "renamed-" + tag);
                            assertEquals("renamed-" + tag, Rows.get(c, "users", n, "slug"));
                        }
                        if (p.ordinal() >= Phase.SWITCH_READS.ordinal()) {
                            assertTrue(Rows.notNull(c, "users", "slug"), "NOT NULL after " + p);
                            assertEquals(0L, Db.count(c, "SELECT count(*) FROM pg_constraint WHERE conname = 'users_slug_not_null'"),
                                    "the helper check is dropped once NOT NULL holds");
                            assertEquals(1L, Db.count(c, "SELECT count(*) FROM pg_constraint WHERE conname = 'users_slug_key' AND contype = 'u'"));
                            assertEquals(1L, Db.count(c, "SELECT count(*) FROM pg_constraint WHERE conname = 'users_slug_check' AND convalidated"));
                            assertThrows(SQLException.class, () -> Db.exec(c, "INSERT INTO users (email, full_name, password_hash, slug)"
                                    + " VALUES ('dup-" + tag + "@t.invalid', 'x', 'h', (SELECT slug FROM users LIMIT 1))"), "unique");
                        }
                    } finally {
                        Rows.delete(c, "users", mine);
                    }
                }

                @Override
                public Map<QualifiedName, Set<String>> excludedData(Phase p) {
                    return p == Phase.BACKFILL ? Map.of(USERS, Set.of("slug")) : Map.of();
                }

                @Override
                public void afterPurge() throws SQLException {
                    assertEquals(0L, Db.count(c, "SELECT count(*) FROM users WHERE slug IS DISTINCT FROM lower(email)"), "every row has up(old)");
                    assertEquals(0L, Db.count(c, "SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'tandem%'"));
                }
            });
        }
    }

    @Test
    @DisplayName("volatile default: no table rewrite, new rows get the default at once, existing rows in batches")
    void volatileDefaultDoesNotRewrite() throws SQLException {
        TestDatabase db = TestDatabase.create("add_volatile");
        try (Connection c = db.connect()) {
            SampleSchema.load(c);
            SampleSchema.seed(c, 100);
            long tasks = Db.count(c, "SELECT count(*) FROM tasks");
            assertTrue(tasks > 0);
            Object fileBefore = Db.scalar(c, "SELECT relfilenode FROM pg_class WHERE oid = 'tasks'::regclass");
            LifecycleDriver tandem = LifecycleDriver.forMigration(db, changelog, "0001_add_token", """
                    changes:
                      - add_column:
                          table: tasks
                          column: {name: public_token, type: uuid, nullable: false, default: gen_random_uuid()}
                    """);
            tandem.apply(Phase.EXPAND);
            assertEquals(fileBefore, Db.scalar(c, "SELECT relfilenode FROM pg_class WHERE oid = 'tasks'::regclass"), "no rewrite");
            assertEquals(tasks, Db.count(c, "SELECT count(*) FROM tasks WHERE public_token IS NULL"), "existing rows wait for the backfill");
            tandem.rollbackOne();
            PhaseWalk.run(tandem, c, List.of("public"), new PhaseWalk.Checks() {
                @Override
                public void afterPhase(Phase p) throws SQLException {
                    UUID t = Rows.insert(c, "INSERT INTO tasks (project_id, title) VALUES ((SELECT id FROM projects ORDER BY id LIMIT 1), ?) RETURNING id",
                            "task " + p);
                    try {
                        assertNotNull(Rows.get(c, "tasks", t, "public_token"), "an insert omitting the column gets the default after " + p);
                        if (p.ordinal() >= Phase.BACKFILL.ordinal()) {
                            assertEquals(0L, Db.count(c, "SELECT count(*) FROM tasks WHERE public_token IS NULL"));
                            assertEquals(Db.count(c, "SELECT count(*) FROM tasks"), Db.count(c, "SELECT count(DISTINCT public_token) FROM tasks"),
                                    "every row got its own value (the default is evaluated per row)");
                        }
                    } finally {
                        Rows.delete(c, "tasks", List.of(t));
                    }
                }

                @Override
                public Map<QualifiedName, Set<String>> excludedData(Phase p) {
                    return p == Phase.BACKFILL ? Map.of(TASKS, Set.of("public_token")) : Map.of();
                }
            });
            assertTrue(Rows.notNull(c, "tasks", "public_token"));
            assertEquals(fileBefore, Db.scalar(c, "SELECT relfilenode FROM pg_class WHERE oid = 'tasks'::regclass"), "still no rewrite");
        }
    }

    @Test
    @DisplayName("two add_columns on one table in one migration: constant default + check, and a foreign key")
    void constantDefaultCheckAndForeignKey() throws SQLException {
        TestDatabase db = TestDatabase.create("add_constant");
        try (Connection c = db.connect()) {
            SampleSchema.load(c);
            SampleSchema.seed(c, 100);
            Object fileBefore = Db.scalar(c, "SELECT relfilenode FROM pg_class WHERE oid = 'tasks'::regclass");
            LifecycleDriver tandem = LifecycleDriver.forMigration(db, changelog, "0001_add_two", """
                    changes:
                      - add_column:
                          table: tasks
                          column: {name: estimate_hours, type: integer, nullable: false, default: "0", check: "estimate_hours >= 0"}
                      - add_column:
                          table: tasks
                          column: {name: reviewer_id, type: uuid, references: {table: users, column: id, on_delete: set_null}}
                    """);
            PhaseWalk.run(tandem, c, List.of("public"), p -> {
                UUID t = Rows.insert(c, "INSERT INTO tasks (project_id, title) VALUES ((SELECT id FROM projects ORDER BY id LIMIT 1), ?) RETURNING id",
                        "task " + p);
                try {
                    assertEquals("0", Rows.get(c, "tasks", t, "estimate_hours"), "an old-app insert gets the default after " + p);
                    assertNull(Rows.get(c, "tasks", t, "reviewer_id"));
                    if (p.ordinal() >= Phase.SWITCH_READS.ordinal()) {
                        assertTrue(Rows.notNull(c, "tasks", "estimate_hours"));
                        assertThrows(SQLException.class, () -> Rows.write(c, "UPDATE tasks SET estimate_hours = -1 WHERE id = ?", t));
                        assertThrows(SQLException.class, () -> Rows.write(c, "UPDATE tasks SET reviewer_id = gen_random_uuid() WHERE id = ?", t));
                        assertEquals(2L, Db.count(c, "SELECT count(*) FROM pg_constraint WHERE conrelid = 'tasks'::regclass"
                                + " AND conname IN ('tasks_estimate_hours_check', 'tasks_reviewer_id_fkey') AND convalidated"));
                    }
                } finally {
                    Rows.delete(c, "tasks", List.of(t));
                }
            });
            assertEquals(fileBefore, Db.scalar(c, "SELECT relfilenode FROM pg_class WHERE oid = 'tasks'::regclass"), "no rewrite");
        }
    }
}
