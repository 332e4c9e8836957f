package dev.tandem.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.TandemException;
import dev.tandem.plan.Phase;
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
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code drop_column} on a real PostgreSQL: with and without {@code down}, every phase's rollback exact. */
class DropColumnLifecycleTest {
    static final String WITH_DOWN = """
            changes:
              - drop_column: {table: users, column: password_hash, down: "'!' || split_part(email, '@', 1)"}
            """;

    @TempDir
    Path changelog;

    @Test
    @DisplayName("with down: new-app writes fill the column for old readers; every phase rolls back exactly; purge drops it")
    void phaseWalkWithDown() throws SQLException {
        TestDatabase db = TestDatabase.create("drop_walk");
        try (Connection c = db.connect()) {
            SampleSchema.load(c);
            SampleSchema.seed(c, 150);
            LifecycleDriver tandem = LifecycleDriver.forMigration(db, changelog, "0001_drop_password", WITH_DOWN);
            PhaseWalk.run(tandem, c, List.of("public"), new PhaseWalk.Checks() {
                @Override
                public void afterPhase(Phase p) throws SQLException {
                    boolean visible = p.ordinal() < Phase.CONTRACT.ordinal();
                    boolean filling = visible && p.ordinal() >= Phase.DUAL_WRITE.ordinal();
                    String tag = p.wireName() + UUID.randomUUID().toString().substring(0, 6);
                    List<UUID> mine = new ArrayList<>();
                    try {
                        UUID n = Rows.insert(c, "INSERT INTO users (email, full_name) VALUES (?, 'New') RETURNING id", "n" + tag + "@t.invalid");
                        mine.add(n);
                        if (visible) {
                            assertEquals(filling ? "!n" + tag : null, Rows.get(c, "users", n, "password_hash"), "new-app insert after " + p);
                            Rows.write(c, "UPDATE users SET email = ? WHERE id = ?", n, "m" + tag + "@t.invalid");
                            assertEquals(filling ? "!m" + tag : null, Rows.get(c, "users", n, "password_hash"), "new-app update after " + p);
                            UUID o = Rows.insert(c, "INSERT INTO users (email, full_name, password_hash) VALUES (?, 'Old', 'secret') RETURNING id",
                                    "o" + tag + "@t.invalid");
                            mine.add(o);
                            assertEquals("secret", Rows.get(c, "users", o, "password_hash"), "an old-app value is kept after " + p);
                            Rows.write(c, "UPDATE users SET email = ?, password_hash = 'changed' WHERE id = ?", o, "p" + tag + "@t.invalid");
                            assertEquals("changed", Rows.get(c, "users", o, "password_hash"), "an old-app update is kept after " + p);
                        } else {
                            assertFalse(Db.columnExists(c, "public", "users", "password_hash"), "out of sight after contract");
                        }
                    } finally {
                        Rows.delete(c, "users", mine);
                    }
                }

                @Override
                public void afterPurge() throws SQLException {
                    assertEquals(0L, Db.count(c, "SELECT count(*) FROM pg_attribute WHERE attrelid = 'users'::regclass"
                            + " AND (attname = 'password_hash' OR attname LIKE 'tandem_retired%') AND NOT attisdropped"));
                    assertEquals(0L, Db.count(c, "SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'tandem%'"));
                }
            });
        }
    }

    @Test
    @DisplayName("rows the new application writes after contract get down too, so rolling contract back shows them to old readers")
    void contractRollbackRefills() throws SQLException {
        TestDatabase db = TestDatabase.create("drop_refill");
        try (Connection c = db.connect()) {
            SampleSchema.load(c);
            SampleSchema.seed(c, 50);
            LifecycleDriver tandem = LifecycleDriver.forMigration(db, changelog, "0001_drop_password", WITH_DOWN);
            tandem.apply(Phase.BACKFILL);
            tandem.advance(Phase.SWITCH_READS);
            tandem.advance(Phase.CONTRACT);
            UUID n = Rows.insert(c, "INSERT INTO users (email, full_name) VALUES ('late@t.invalid', 'Late') RETURNING id");
            tandem.rollbackOne();
            assertEquals("!late", Rows.get(c, "users", n, "password_hash"), "filled by the trigger, which followed the retired column");
            assertEquals(0L, Db.count(c, "SELECT count(*) FROM users WHERE password_hash IS NULL"));
            assertFalse(Rows.notNull(c, "users", "password_hash"), "NOT NULL comes back only with the rollback of expand");
        }
    }

    @Test
    @DisplayName("without down: rolling back expand after NULLs were written fails clearly and changes nothing")
    void expandRollbackRefusesNulls() throws SQLException {
        TestDatabase db = TestDatabase.create("drop_nulls");
        try (Connection c = db.connect()) {
            SampleSchema.load(c);
            SampleSchema.seed(c, 50);
            LifecycleDriver tandem = LifecycleDriver.forMigration(db, changelog, "0001_drop_full_name", """
                    changes:
                      - drop_column: {table: users, column: full_name}
                    """);
            tandem.apply(Phase.EXPAND);
            UUID n = Rows.insert(c, "INSERT INTO users (email, password_hash) VALUES ('nameless@t.invalid', 'h') RETURNING id");
            assertNull(Rows.get(c, "users", n, "full_name"));
            TandemException e = assertThrows(TandemException.class, tandem::rollbackOne);
            assertTrue(e.getMessage().contains("cannot restore NOT NULL on public.users.full_name"), e.getMessage());
            assertFalse(Rows.notNull(c, "users", "full_name"));
            assertEquals(0L, Db.count(c, "SELECT count(*) FROM pg_constraint WHERE conname = 'users_full_name_not_null_restore'"),
                    "the failed restore leaves no check behind");
            Rows.delete(c, "users", List.of(n));
            tandem.rollbackOne();
            assertTrue(Rows.notNull(c, "users", "full_name"), "NOT NULL restored once the NULL rows are gone");
            assertEquals(Optional.empty(), tandem.record().phase());
        }
    }
}
