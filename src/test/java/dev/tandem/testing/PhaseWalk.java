package dev.tandem.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.catalog.Fingerprint;
import dev.tandem.plan.Phase;
import dev.tandem.sql.QualifiedName;
import dev.tandem.state.MigrationRecord.Status;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The lifecycle check every intent must pass, on a real PostgreSQL: for each phase in order —
 * fingerprint (catalog + data), apply the phase, run the intent's own checks (old-app and new-app
 * reads and writes), roll the phase back, the fingerprint must equal the one before, apply the
 * phase again and check again. Then contract → rollback → contract, and purge.
 * <p>Test rows written by {@link Checks#afterPhase} must be removed again by the checks themselves
 * (or the data part of the fingerprint will differ); {@link Checks#excludedData} names columns whose
 * data a phase's rollback deliberately keeps (e.g. a backfilled column that expand's rollback drops
 * anyway).
 * <p>Does not check concurrency (see the randomized writer tests) nor lock levels (see verify).
 */
public final class PhaseWalk {
    /** What one intent's test adds to the walk. */
    public interface Checks {
        /** Asserts reads and writes of both application versions after {@code phase} was applied. */
        void afterPhase(Phase phase) throws SQLException;

        /** Columns whose data the rollback of {@code phase} may leave changed (none by default). */
        default Map<QualifiedName, Set<String>> excludedData(Phase phase) {
            return Map.of();
        }

        /** Asserts the final shape after purge. */
        default void afterPurge() throws SQLException {
        }
    }

    private PhaseWalk() {
    }

    /**
     * Runs the whole walk. {@code c} is an open connection to the test database used for the
     * fingerprints; {@code schemas} the schemas compared (usually {@code public}).
     */
    public static void run(LifecycleDriver tandem, Connection c, List<String> schemas, Checks checks) throws SQLException {
        for (Phase p : Phase.values()) {
            Map<QualifiedName, Set<String>> exclude = checks.excludedData(p);
            Fingerprint before = Fingerprint.of(c, schemas, true, exclude);

            tandem.forward(p);
            assertEquals(Optional.of(p), tandem.record().phase(), "phase recorded after applying " + p);
            checks.afterPhase(p);

            assertEquals(List.of(p), tandem.rollbackOne(), "rollback of " + p + " undoes exactly " + p);
            assertNoDiff(before, Fingerprint.of(c, schemas, true, exclude), "rollback of " + p);
            assertEquals(p.previous(), tandem.record().phase(), "phase after rolling back " + p);

            tandem.forward(p);
            assertEquals(Optional.of(p), tandem.record().phase(), "phase after applying " + p + " again");
            checks.afterPhase(p);
        }
        assertEquals(Status.CONTRACTED, tandem.record().status());
        tandem.purge();
        assertEquals(Status.PURGED, tandem.record().status());
        checks.afterPurge();
    }

    /** Fails with the fingerprint diff when the two differ. */
    public static void assertNoDiff(Fingerprint expected, Fingerprint actual, String what) {
        List<String> diff = expected.diff(actual);
        assertTrue(diff.isEmpty(), what + ": the fingerprint differs (- before, + after):\n" + String.join("\n", diff));
    }
}
