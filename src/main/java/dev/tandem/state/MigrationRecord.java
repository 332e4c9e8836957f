package dev.tandem.state;

import dev.tandem.plan.Phase;
import java.time.OffsetDateTime;
import java.util.Optional;

/**
 * One row of {@code tandem.migrations}.
 *
 * @param id migration id
 * @param checksum checksum of the file when its plan was made
 * @param description the migration's description
 * @param phase the last fully applied phase (empty: none)
 * @param status see {@link Status}
 * @param planJson the plan being executed (PlanCodec JSON), fixed when expand starts
 * @param appliedBy who ran the last action
 * @param updatedAt when
 */
public record MigrationRecord(String id, String checksum, String description, Optional<Phase> phase, String status,
                              Optional<String> planJson, String appliedBy, OffsetDateTime updatedAt) {

    /** Status values stored in {@code tandem.migrations.status}. */
    public static final class Status {
        /** No phase applied (never started, or rolled back entirely). */
        public static final String PENDING = "pending";
        /** Phases up to switch-reads applied; old and new shapes coexist. */
        public static final String IN_PROGRESS = "in-progress";
        /** A phase was interrupted part-way (crash, failure); apply resumes it, rollback undoes it. */
        public static final String INTERRUPTED = "interrupted";
        /**
         * Shown by {@code tandem status} only (never stored): an interrupted phase while another Tandem
         * process holds the advisory lock, i.e. the phase is most likely being applied right now.
         */
        public static final String RUNNING = "running";
        /** Contract applied; can still be rolled back until purge. */
        public static final String CONTRACTED = "contracted";
        /**
         * Purge started and not finished (failed or killed part-way): {@code tandem purge} resumes it;
         * rollback is refused, because purge steps already dropped what it would need.
         */
        public static final String PURGING = "purging";
        /** Purged: final, cannot be rolled back. */
        public static final String PURGED = "purged";

        private Status() {}
    }

    /**
     * True while the migration still changes something (started, not yet contracted). Not the rule
     * for release trains: a contracted, unpurged migration still holds its objects
     * ({@code conflict.ConflictModel#holds}).
     */
    public boolean inFlight() {
        return !status.equals(Status.PENDING) && !status.equals(Status.CONTRACTED) && !status.equals(Status.PURGED)
                && !status.equals(Status.PURGING);
    }
}
