package dev.tandem.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
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

/**
 * {@code split_column users.full_name → first_name, last_name} on a real PostgreSQL, walked phase
 * by phase (apply, old-app and new-app writes, rollback to an identical fingerprint, apply again,
 * then purge); plus the same on a table whose names are hostile to SQL and PL/pgSQL.
 */
class SplitColumnLifecycleTest {
    static final String ID = "0001_split_full_name";
    static final String YAML = """
            changes:
              - split_column:
                  table: users
                  column: full_name
                  into:
                    - {name: first_name, type: text, nullable: false, up: "split_part(full_name, ' ', 1)"}
                    - {name: last_name,  type: text, nullable: false, up: "substr(full_name, length(split_part(full_name, ' ', 1)) + 2)"}
                  down: "concat_ws(' ', first_name, nullif(last_name, ''))"
            """;

    @TempDir
    Path changelog;

    @Test
    @DisplayName("every phase applies, serves both versions, rolls back exactly and applies again; then purge")
    void phaseWalk() throws SQLException {
        TestDatabase db = TestDatabase.create("split_walk");
        try (Connection c = db.connect()) {
            SampleSchema.load(c);
            SampleSchema.seed(c, 200);
            LifecycleDriver tandem = LifecycleDriver.forMigration(db, changelog, ID, YAML);
            PhaseWalk.run(tandem, c, List.of("public"), new PhaseWalk.Checks() {
                @Override
                public void afterPhase(Phase p) throws SQLException {
                    writes(c, p);
                }

                @Override
                public Map<QualifiedName, Set<String>> excludedData(Phase p) {
                    return p == Phase.BACKFILL ? Map.of(new QualifiedName("public", "users"), Set.of("first_name", "last_name")) : Map.of();
                }

                @Override
                public void afterPurge() throws SQLException {
                    assertFalse(Db.columnExists(c, "public", "users", "full_name"));
                    assertEquals(0L, Db.count(c, "SELECT count(*) FROM pg_attribute WHERE attrelid = 'users'::regclass"
                            + " AND attname LIKE 'tandem_retired%' AND NOT attisdropped"), "the retired column is gone");
                    assertTrue(Rows.notNull(c, "users", "first_name"));
                    assertTrue(Rows.notNull(c, "users", "last_name"));
                    assertEquals(0L, Db.count(c, "SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'tandem%'"));
                    assertEquals(0L, Db.count(c, "SELECT count(*) FROM users WHERE first_name = '' "), "every seeded name split");
                }
            });
        }
    }

    /** Old-app and new-app writes after phase p, and what the other representation shows. */
    static void writes(Connection c, Phase p) throws SQLException {
        boolean oldShape = p.ordinal() < Phase.CONTRACT.ordinal();
        boolean synced = p.ordinal() >= Phase.DUAL_WRITE.ordinal() && oldShape;
        String tag = p.wireName() + UUID.randomUUID().toString().substring(0, 6);
        List<UUID> mine = new ArrayList<>();
        try {
            if (oldShape) {
                UUID o = Rows.insert(c, "INSERT INTO users (email, full_name, password_hash) VALUES (?, ?, 'h') RETURNING id",
                        "old-" + tag + "@t.invalid", "Ada King Lovelace");
                mine.add(o);
                if (synced) {
                    assertEquals("Ada", Rows.get(c, "users", o, "first_name"), "old-app insert after " + p);
                    assertEquals("King Lovelace", Rows.get(c, "users", o, "last_name"), "old-app insert after " + p);
                } else {
                    assertNull(Rows.get(c, "users", o, "first_name"), "no sync before dual-write");
                }
                Rows.write(c, "UPDATE users SET full_name = ? WHERE id = ?", o, "Grace Hopper");
                if (synced) {
                    assertEquals("Grace|Hopper", Rows.get(c, "users", o, "first_name || '|' || last_name"), "old-app update after " + p);
                }
                Rows.write(c, "UPDATE users SET password_hash = 'other' WHERE id = ?", o);
            }
            if (p.ordinal() >= Phase.DUAL_WRITE.ordinal()) {
                UUID n = Rows.insert(c, "INSERT INTO users (email, first_name, last_name, password_hash) VALUES (?, ?, ?, 'h') RETURNING id",
                        "new-" + tag + "@t.invalid", "Alan", "Turing");
                mine.add(n);
                if (synced) {
                    assertEquals("Alan Turing", Rows.get(c, "users", n, "full_name"), "new-app insert after " + p);
                }
                Rows.write(c, "UPDATE users SET first_name = ? WHERE id = ?", n, "Alonzo");
                if (synced) {
                    assertEquals("Alonzo Turing", Rows.get(c, "users", n, "full_name"), "new-app update after " + p);
                    Rows.write(c, "UPDATE users SET full_name = ? WHERE id = ?", n, "Kurt Godel");
                    assertEquals("Kurt|Godel", Rows.get(c, "users", n, "first_name || '|' || last_name"), "old-app update of a new-app row");
                }
            }
            if (p == Phase.CONTRACT) {
                assertFalse(Db.columnExists(c, "public", "users", "full_name"), "full_name is out of sight after contract");
            }
        } finally {
            Rows.delete(c, "users", mine);
        }
    }

    @Test
    @DisplayName("an UPDATE that writes exactly up(old) into the new columns (a backfill with triggers on) keeps old as it is")
    void consistentNewWriteKeepsOld() throws SQLException {
        TestDatabase db = TestDatabase.create("split_consistent");
        try (Connection c = db.connect()) {
            SampleSchema.load(c);
            SampleSchema.seed(c, 20);
            LifecycleDriver tandem = LifecycleDriver.forMigration(db, changelog, ID, YAML);
            UUID odd = Rows.insert(c, "INSERT INTO users (email, full_name, password_hash) VALUES ('odd@t.invalid', 'Ada  Lovelace ', 'h') RETURNING id");
            tandem.apply(Phase.DUAL_WRITE);
            // what a backfill batch does when it may not turn the table's triggers off
            Rows.write(c, "UPDATE users SET first_name = split_part(full_name, ' ', 1),"
                    + " last_name = substr(full_name, length(split_part(full_name, ' ', 1)) + 2) WHERE id = ?", odd);
            assertEquals("Ada  Lovelace ", Rows.get(c, "users", odd, "full_name"), "down(up(old)) would have lost the spaces");
            assertEquals("Ada| Lovelace ", Rows.get(c, "users", odd, "first_name || '|' || last_name"));
            Rows.write(c, "UPDATE users SET last_name = 'Byron' WHERE id = ?", odd);
            assertEquals("Ada Byron", Rows.get(c, "users", odd, "full_name"), "a real new-side change still syncs old");
        }
    }

    @Test
    @DisplayName("hostile names: quoted, mixed-case, a quote inside, and columns named like PL/pgSQL variables")
    void hostileNames() throws SQLException {
        TestDatabase db = TestDatabase.create("split_hostile");
        try (Connection c = db.connect()) {
            Db.exec(c, "CREATE TABLE \"We\"\"ird Table\" (id uuid PRIMARY KEY DEFAULT gen_random_uuid(),"
                    + " \"Full Name\" text NOT NULL, writer text, \"new\" text)");
            Db.exec(c, "INSERT INTO \"We\"\"ird Table\" (\"Full Name\", writer, \"new\") VALUES ('Ada Lovelace', 'w1', 'n1'), ('Solo', NULL, NULL)");
            String yaml = """
                    changes:
                      - split_column:
                          table: '"We""ird Table"'
                          column: Full Name
                          into:
                            - {name: 'Given"Name', type: text, up: "split_part(\\"Full Name\\", ' ', 1) || coalesce(':' || writer, '')"}
                            - {name: tg_op, type: text, up: "substr(\\"Full Name\\", length(split_part(\\"Full Name\\", ' ', 1)) + 2) || coalesce(\\"new\\", '')"}
                          down: "split_part(\\"Given\\"\\"Name\\", ':', 1) || ' ' || tg_op"
                    """;
            LifecycleDriver tandem = LifecycleDriver.forMigration(db, changelog, "0001_hostile", yaml);
            tandem.apply(Phase.BACKFILL);
            String t = "\"We\"\"ird Table\"";
            assertEquals(0L, Db.count(c, "SELECT count(*) FROM " + t + " WHERE \"Given\"\"Name\" IS DISTINCT FROM"
                    + " split_part(\"Full Name\", ' ', 1) || coalesce(':' || writer, '')"), "backfill used the real columns");
            assertEquals("Lovelacen1", Db.scalar(c, "SELECT tg_op FROM " + t + " WHERE \"Full Name\" = 'Ada Lovelace'"));
            UUID o = Rows.insert(c, "INSERT INTO " + t + " (\"Full Name\", writer, \"new\") VALUES (?, ?, ?) RETURNING id", "Grace Hopper", "w2", "x");
            assertEquals("Grace:w2", Rows.get(c, t, o, "\"Given\"\"Name\""), "old-app insert evaluated up over NEW");
            assertEquals("Hopperx", Rows.get(c, t, o, "tg_op"));
            UUID n = Rows.insert(c, "INSERT INTO " + t + " (\"Given\"\"Name\", tg_op) VALUES (?, ?) RETURNING id", "Alan", "Turing");
            assertEquals("Alan Turing", Rows.get(c, t, n, "\"Full Name\""), "new-app insert evaluated down over NEW");
            tandem.advance(Phase.SWITCH_READS);
            tandem.advance(Phase.CONTRACT);
            assertFalse(Db.columnExists(c, "public", "We\"ird Table", "Full Name"));
            tandem.rollbackOne();
            assertEquals("Alan Turing", Rows.get(c, t, n, "\"Full Name\""));
            tandem.advance(Phase.CONTRACT);
            tandem.purge();
            assertEquals(0L, Db.count(c, "SELECT count(*) FROM pg_attribute WHERE attrelid = '" + t.replace("'", "''")
                    + "'::regclass AND attname LIKE 'tandem_retired%' AND NOT attisdropped"));
        }
    }
}
