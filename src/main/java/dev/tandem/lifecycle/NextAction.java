package dev.tandem.lifecycle;

import dev.tandem.plan.Phase;
import dev.tandem.state.MigrationRecord;
import dev.tandem.state.MigrationRecord.Status;
import java.util.Optional;

/**
 * The one command that moves a migration on from where its state says it is — what {@code tandem
 * status} shows as {@code next}. Pure: it reads the state row (and, for an interrupted phase,
 * whether the interruption happened while rolling back), never the database.
 * <ul>
 *   <li>not started, or rolled back entirely: {@code tandem apply} (or {@code none} without a file);</li>
 *   <li>expand or dual-write applied, or one of them or backfill interrupted: {@code tandem apply};</li>
 *   <li>backfill applied: {@code tandem switch-reads ID}; switch-reads applied: {@code tandem contract ID};</li>
 *   <li>switch-reads or contract interrupted while applying: that phase's command again;</li>
 *   <li>any phase interrupted while rolling back: {@code tandem rollback ID} (it continues);</li>
 *   <li>contracted or purging: {@code tandem purge ID}; purged: {@code none}.</li>
 * </ul>
 * It does not look at other migrations (one that waits for another still names {@code tandem apply})
 * nor at a changed file (checksum drift is shown separately).
 */
public final class NextAction {
    /** The value when nothing is left to do. */
    public static final String NONE = "none";

    private NextAction() {}

    /**
     * @param r the migration's state row, or null when it never started
     * @param rollingBack whether the last phase action started was a rollback that did not finish
     * @param hasFile whether the changelog still holds the migration's file
     */
    public static String of(MigrationRecord r, boolean rollingBack, boolean hasFile) {
        if (r == null || r.status().equals(Status.PENDING)) {
            return hasFile ? "tandem apply" : NONE;
        }
        String id = r.id();
        switch (r.status()) {
            case Status.PURGED:
                return NONE;
            case Status.CONTRACTED:
            case Status.PURGING:
                return "tandem purge " + id;
            case Status.INTERRUPTED: {
                if (rollingBack) {
                    return "tandem rollback " + id;
                }
                Phase interrupted = r.phase().flatMap(Phase::next).orElse(Phase.EXPAND);
                return forward(id, interrupted);
            }
            default: {
                Optional<Phase> next = r.phase().flatMap(Phase::next);
                return next.map(p -> forward(id, p)).orElse(NONE);
            }
        }
    }

    /** The command that applies {@code phase}: {@code tandem apply} up to backfill, else the phase's own. */
    public static String forward(String id, Phase phase) {
        return phase.ordinal() <= Phase.BACKFILL.ordinal() ? "tandem apply" : "tandem " + phase.wireName() + " " + id;
    }
}
