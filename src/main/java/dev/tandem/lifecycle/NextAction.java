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
 * {@link #of} does not look at other migrations nor at a changed file; {@link #waiting},
 * {@link #drifted} and {@link #afterRestoring} say what to run instead when they matter
 * ({@link NextInContext} decides which applies, from the state and the changelog):
 * <ul>
 *   <li>a pending migration that waits for a holder: {@code waits for H (it holds …): run `tandem contract H`},
 *       naming the holder's own next command, then the purge that releases the hold;</li>
 *   <li>a started migration whose file changed: restore the file, or roll the migration back entirely
 *       (only the restore once purge has begun);</li>
 *   <li>{@code tandem apply} while another started migration's file changed (apply refuses until it is restored).</li>
 * </ul>
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

    /**
     * The next step of a pending migration that waits for {@code holder}: the holder's own next
     * command ({@link #of} for its record), and what comes after it until the hold is released.
     *
     * @param wait why it waits (from {@link dev.tandem.conflict.ConflictModel#waitFor})
     * @param holderNext the holder's next command
     */
    public static String waiting(dev.tandem.conflict.ConflictModel.Wait wait, String holderNext) {
        String h = wait.holder();
        String then = holderNext.equals("tandem purge " + h) || holderNext.equals(NONE) ? ""
                : holderNext.startsWith("tandem rollback ") ? " (its rollback continues; finish it with --all, or go on to `tandem purge " + h + "`)"
                : ", then on to `tandem purge " + h + "` (or `tandem rollback " + h + " --all`)";
        return wait.message() + ": run `" + holderNext + "`" + then + ", then `tandem apply`";
    }

    /**
     * The next step of a started migration whose file changed since it started ({@code apply}
     * refuses every migration while it differs): restore the file, or roll it back entirely (not
     * once purge has begun: purge is irreversible).
     */
    public static String drifted(MigrationRecord r, String file) {
        boolean purging = r.status().equals(Status.PURGING) || r.status().equals(Status.PURGED);
        return "restore " + file + " (it changed after " + r.id() + " started; apply refuses while it differs)"
                + (purging ? "" : ", or undo the migration with `tandem rollback " + r.id() + " --all` and then change it");
    }

    /** {@code next} ({@code tandem apply}) after another started migration's changed file is restored. */
    public static String afterRestoring(String next, String driftedId, String driftedFile) {
        return "restore " + driftedFile + " first (" + driftedId + " changed after it started; apply refuses while it differs), then `"
                + next + "`";
    }

    /** The command that applies {@code phase}: {@code tandem apply} up to backfill, else the phase's own. */
    public static String forward(String id, Phase phase) {
        return phase.ordinal() <= Phase.BACKFILL.ordinal() ? "tandem apply" : "tandem " + phase.wireName() + " " + id;
    }
}
