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
import dev.tandem.testing.SampleDatabaseTest;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code add_exclusion} and its {@code drop_constraint} through {@link PhaseWalk} on a bookings
 * table (gist on a range with a partial predicate; hash equality on the sample's users), the
 * conflict count refusing before any DDL, and a lock trace of the ADD CONSTRAINT … EXCLUDE.
 */
class ExclusionLifecycleTest extends SampleDatabaseTest {
    @TempDir
    Path dir;

    ExclusionLifecycleTest() {
        super("exclusion_", 10);
    }

    LifecycleDriver tandem(String yaml) {
        return LifecycleDriver.forMigration(db, dir, "0001_exclusion", yaml);
    }

    void bookings() throws SQLException {
        Db.exec(c, "CREATE TABLE bookings (id integer PRIMARY KEY, room integer NOT NULL, during tstzrange NOT NULL, cancelled boolean NOT NULL DEFAULT false)");
        Db.exec(c, "INSERT INTO bookings SELECT g, g % 3, tstzrange(timestamptz '2026-01-01' + g * interval '1 hour',"
                + " timestamptz '2026-01-01' + (g + 1) * interval '1 hour'), false FROM generate_series(1, 30) g");
        // a cancelled booking may overlap: the constraint is partial
        Db.exec(c, "INSERT INTO bookings VALUES (99, 1, tstzrange('2026-01-01 02:30+00', '2026-01-01 03:30+00'), true)");
    }

    String sqlState(String sql) {
        try (java.sql.Statement s = c.createStatement()) {
            s.execute(sql);
            return null;
        } catch (SQLException e) {
            return e.getSQLState();
        }
    }

    static final String OVERLAP = "INSERT INTO bookings VALUES (100, 2, tstzrange('2026-01-01 05:30+00', '2026-01-01 06:30+00'), false)";

    @Test
    void addExclusionAtSwitchReads() throws SQLException {
        bookings();
        LifecycleDriver tandem = tandem("""
                changes:
                  - add_exclusion:
                      table: bookings
                      name: bookings_no_overlap
                      using: gist
                      elements: [{column: during, operator: "&&"}]
                      where: "NOT cancelled"
                  - add_exclusion:
                      table: users
                      name: users_email_excl
                      using: hash
                      elements: [{expression: "lower(email)", operator: "="}]
                """);
        PhaseWalk.run(tandem, c, List.of("public"), p -> {
            boolean on = p.ordinal() >= Phase.SWITCH_READS.ordinal();
            assertEquals(on ? 1 : 0, Db.count(c, "SELECT count(*) FROM pg_constraint WHERE conname = 'bookings_no_overlap' AND contype = 'x'"), "after " + p);
            assertEquals(on ? "23P01" : null, sqlState(OVERLAP), "an overlapping booking after " + p);
            if (!on) {
                Db.exec(c, "DELETE FROM bookings WHERE id = 100");
            }
            if (on) {
                assertEquals("23P01", sqlState("INSERT INTO users (email, full_name, password_hash)"
                        + " SELECT upper(email), 'x', 'h' FROM users ORDER BY id LIMIT 1"), "a case-variant email after " + p);
            }
        });
    }

    @Test
    void conflictingRowsAreCountedBeforeAnyLock() throws SQLException {
        bookings();
        Db.exec(c, OVERLAP);
        LifecycleDriver tandem = tandem("""
                changes:
                  - add_exclusion: {table: bookings, name: bookings_no_overlap, elements: [{column: during, operator: "&&"}], where: "NOT cancelled"}
                """);
        tandem.apply(Phase.BACKFILL);
        Fingerprint before = Db.publicFingerprint(c);
        TandemException e = assertThrows(TandemException.class, () -> tandem.advance(Phase.SWITCH_READS));
        assertTrue(e.getMessage().contains("add_exclusion: 3 row(s) of public.bookings conflict with another row"), e.getMessage());
        PhaseWalk.assertNoDiff(before, Db.publicFingerprint(c), "nothing changed");
    }

    @Test
    void dropExclusionAtContractAndItsUndo() throws SQLException {
        bookings();
        Db.exec(c, "ALTER TABLE bookings ADD CONSTRAINT bookings_no_overlap EXCLUDE USING gist (during WITH &&) WHERE (NOT cancelled)");
        LifecycleDriver tandem = tandem("changes:\n  - drop_constraint: {table: bookings, name: bookings_no_overlap}\n");
        PhaseWalk.run(tandem, c, List.of("public"), p -> {
            boolean gone = p == Phase.CONTRACT;
            assertEquals(gone ? 0 : 1, Db.count(c, "SELECT count(*) FROM pg_constraint WHERE conname = 'bookings_no_overlap'"), "after " + p);
            if (!gone) {
                assertEquals("23P01", sqlState(OVERLAP), "still enforced after " + p);
            }
        });
    }

    @Test
    void lockTraceAccessExclusive() throws SQLException {
        bookings();
        c.setAutoCommit(false);
        try {
            Db.exec(c, "ALTER TABLE public.bookings ADD CONSTRAINT b_x EXCLUDE USING gist (during WITH &&) WHERE (NOT cancelled)");
            Object modes = Db.scalar(c, "SELECT string_agg(mode, ',' ORDER BY mode) FROM pg_locks WHERE pid = pg_backend_pid()"
                    + " AND locktype = 'relation' AND relation = 'bookings'::regclass");
            assertTrue(modes.toString().contains("AccessExclusiveLock"), "the lock the plan states (the strongest held): " + modes);
        } finally {
            c.rollback();
            c.setAutoCommit(true);
        }
        // and there is no gentler form
        assertEquals("0A000", sqlState("ALTER TABLE public.bookings ADD CONSTRAINT b_x EXCLUDE USING gist (during WITH &&) NOT VALID"),
                "no NOT VALID form");
    }
}
