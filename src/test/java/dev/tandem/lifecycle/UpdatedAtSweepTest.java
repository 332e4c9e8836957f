package dev.tandem.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.TandemException;
import dev.tandem.catalog.Fingerprint;
import dev.tandem.plan.Phase;
import dev.tandem.sql.Ident;
import dev.tandem.testing.Db;
import dev.tandem.testing.LifecycleDriver;
import dev.tandem.testing.PhaseWalk;
import dev.tandem.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue #11.1, the class behind it: EVERY backfilling intent ({@link NoPrimaryKeySweepTest#CASES})
 * on a table with a {@code BEFORE UPDATE} trigger stamping {@code updated_at}. As a superuser or a
 * role granted SET on {@code session_replication_role}: applied through contract and rolled back
 * entirely, no row's {@code updated_at} changes. As a role without it: {@code apply} refuses with
 * exit 2 naming the trigger, and nothing changed (fingerprint with data, no migration recorded).
 * The table has no primary key, so the ctid path is the one under test (the keyed path is covered
 * by {@link UserTriggerPrivilegeTest}).
 */
class UpdatedAtSweepTest {
    enum Role { SUPERUSER, GRANTED, PLAIN }

    @TempDir
    Path dir;

    static Stream<Arguments> cases() {
        return Stream.of(Role.values()).flatMap(r -> NoPrimaryKeySweepTest.CASES.stream().map(k -> Arguments.of(r, k)));
    }

    static long stamped(Connection c) throws SQLException {
        return Db.count(c, "SELECT count(*) FROM events WHERE updated_at <> '2020-01-01'");
    }

    private static TestDatabase as(TestDatabase db, Role role) {
        if (role == Role.SUPERUSER) {
            return db;
        }
        String name = role == Role.GRANTED ? "tandem_sweep_granted" : "tandem_sweep_plain";
        db.createRole(name, role == Role.GRANTED);
        db.admin("ALTER DATABASE " + Ident.quote(db.databaseName()) + " OWNER TO " + Ident.quote(name),
                "ALTER SCHEMA public OWNER TO " + Ident.quote(name));
        return db.asRole(name);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void backfillsLeaveUpdatedAtAloneOrAreRefused(Role role, NoPrimaryKeySweepTest.Case k) throws Exception {
        if (role == Role.SUPERUSER) {
            Assumptions.assumeFalse(TestDatabase.asOwner(), "this case is the superuser's");
        }
        TestDatabase db = TestDatabase.create("stamp_" + role.name().toLowerCase(java.util.Locale.ROOT).charAt(0) + k.id().substring(5).replace('_', 'x'));
        if (role == Role.GRANTED) {
            try (Connection c = db.connect()) {
                Assumptions.assumeTrue(Db.count(c, "SELECT current_setting('server_version_num')::int / 10000") >= 15);
            }
        }
        TestDatabase user = as(db, role);
        try (Connection c = user.connect()) {
            NoPrimaryKeySweepTest.seed(c);
            Db.exec(c, """
                    ALTER TABLE events ADD COLUMN updated_at timestamptz NOT NULL DEFAULT '2020-01-01';
                    CREATE FUNCTION stamp() RETURNS trigger LANGUAGE plpgsql AS $$
                    BEGIN NEW.updated_at := clock_timestamp(); RETURN NEW; END $$;
                    CREATE TRIGGER events_stamp BEFORE UPDATE ON events FOR EACH ROW EXECUTE FUNCTION stamp();
                    """);
            LifecycleDriver tandem = LifecycleDriver.forMigration(user, dir, k.id(), k.yaml());
            if (role == Role.PLAIN && k.ctid()) {
                Fingerprint before = Db.publicFingerprint(c);
                TandemException e = assertThrows(TandemException.class, () -> tandem.apply(Phase.BACKFILL));
                assertEquals(2, e.exitCode(), e.getMessage());
                assertTrue(e.getMessage().contains("events_stamp"), "names the trigger: " + e.getMessage());
                PhaseWalk.assertNoDiff(before, Db.publicFingerprint(c), k + ": a refused apply");
                assertTrue(Db.tandemMigrationRows(c) <= 0, "no migration was started");
                return;
            }
            for (Phase p : Phase.values()) {
                tandem.forward(p);
                assertEquals(0L, stamped(c), k + " as " + role + ": no backfill stamps updated_at (after " + p + ")");
            }
            tandem.rollback(Optional.empty(), true);
            assertEquals(0L, stamped(c), k + " as " + role + ": nor does any rollback");
            assertEquals((long) NoPrimaryKeySweepTest.ROWS, Db.count(c, "SELECT count(*) FROM events"));
        }
    }
}
