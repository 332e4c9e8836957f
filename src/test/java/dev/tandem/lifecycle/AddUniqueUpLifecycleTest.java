package dev.tandem.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.plan.Phase;
import dev.tandem.testing.Db;
import dev.tandem.testing.LifecycleDriver;
import dev.tandem.testing.PhaseWalk;
import dev.tandem.testing.SampleDatabaseTest;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code add_unique} with {@code up} through every phase ({@link PhaseWalk}): existing duplicates
 * of {@code user_profiles.phone} are de-duplicated by the backfill (all but the row with the
 * smallest key), the old application's duplicate writes by a trigger from dual-write; the unique
 * index exists from backfill; a duplicate written by the new application ({@code tandem.version =
 * 'new'}) fails with 23505 from dual-write. Every phase rolls back exactly (the duplicates come back).
 */
class AddUniqueUpLifecycleTest extends SampleDatabaseTest {
    AddUniqueUpLifecycleTest() {
        super("unique_up_", 60);
    }

    @TempDir
    Path changelog;

    @Test
    @DisplayName("add_unique with up: duplicates de-duplicated (backfill and old-app writes), new-app duplicates refused, exact rollbacks")
    void deduplicatesOldWritesRefusesNewOnes() throws SQLException {
        List<Object> group = ids("SELECT user_id FROM user_profiles WHERE phone IS NOT NULL ORDER BY user_id LIMIT 3");
        for (Object id : group) {
            exec("UPDATE user_profiles SET phone = '+1-555-7777' WHERE user_id = '" + id + "'");
        }
        Object target = scalar("SELECT user_id FROM user_profiles WHERE phone IS NOT NULL AND phone <> '+1-555-7777' ORDER BY user_id LIMIT 1");
        LifecycleDriver tandem = LifecycleDriver.forMigration(db, changelog, "0001_phone_unique", """
                changes:
                  - add_unique: {table: user_profiles, name: user_profiles_phone_key, columns: [phone], up: {phone: "phone || '#' || left(user_id::text, 8)"}}
                """);
        PhaseWalk.run(tandem, c, List.of("public"), new PhaseWalk.Checks() {
            @Override
            public void afterPhase(Phase p) throws SQLException {
                boolean repairing = p.ordinal() >= Phase.DUAL_WRITE.ordinal() && p.ordinal() < Phase.CONTRACT.ordinal();
                String dup = "UPDATE user_profiles SET phone = '+1-555-7777' WHERE user_id = '" + target + "'";
                c.setAutoCommit(false); // rolled back: the table's updated_at trigger would stamp the row
                try {
                    if (p == Phase.CONTRACT) {
                        assertEquals("23505", assertThrows(SQLException.class, () -> exec(dup)).getSQLState(), "the constraint holds after " + p);
                    } else {
                        exec(dup);
                        String got = (String) scalar("SELECT phone FROM user_profiles WHERE user_id = '" + target + "'");
                        assertEquals(repairing ? "+1-555-7777#" + target.toString().substring(0, 8) : "+1-555-7777", got,
                                "the old application's duplicate after " + p);
                    }
                } finally {
                    c.rollback();
                }
                if (repairing) {
                    exec("SET tandem.version = 'new'");
                    try {
                        SQLException e = assertThrows(SQLException.class, () -> exec(dup), "a new-application duplicate fails after " + p);
                        assertEquals("23505", e.getSQLState());
                        assertTrue(e.getMessage().contains("user_profiles_phone_key"), e.getMessage());
                    } finally {
                        c.rollback();
                        exec("RESET tandem.version");
                    }
                }
                c.setAutoCommit(true);
                if (p.ordinal() >= Phase.BACKFILL.ordinal()) {
                    assertEquals(1L, num("SELECT count(*) FROM user_profiles WHERE phone = '+1-555-7777'"), "de-duplicated after " + p);
                    assertEquals("+1-555-7777", scalar("SELECT phone FROM user_profiles WHERE user_id = '" + group.get(0) + "'"),
                            "the row with the smallest key keeps its value");
                    assertEquals(1L, num("SELECT count(*) FROM pg_index WHERE indexrelid = 'user_profiles_phone_key'::regclass AND indisunique AND indisvalid"),
                            "the unique index exists from backfill");
                } else {
                    assertEquals(3L, num("SELECT count(*) FROM user_profiles WHERE phone = '+1-555-7777'"), "duplicates untouched after " + p);
                }
            }

            @Override
            public void afterPurge() throws SQLException {
                assertEquals("UNIQUE (phone)", scalar("SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = 'user_profiles_phone_key'"));
                assertEquals(0L, num("SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'tandem%'"));
            }
        });
    }

    private List<Object> ids(String sql) throws SQLException {
        List<Object> out = new java.util.ArrayList<>();
        try (var s = c.createStatement(); var rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getObject(1));
            }
        }
        return out;
    }

    private void exec(String sql) throws SQLException {
        Db.exec(c, sql);
    }

    private Object scalar(String sql) throws SQLException {
        return Db.scalar(c, sql);
    }

    private long num(String sql) throws SQLException {
        return ((Number) Db.scalar(c, sql)).longValue();
    }
}
