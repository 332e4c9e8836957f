package dev.tandem.readiness;

import dev.tandem.plan.Phase;
import java.util.Optional;

/**
 * The warning {@code tandem rollback} prints when the rollback takes away something the running
 * application version may depend on: after backfill the new version is rolled out, and it writes
 * only the new shape, so undoing dual-write (or expand) leaves its writes unsynced to the old shape
 * (or its columns gone). Pure: it decides from the last applied phase and the rollback's target.
 * <p>It does not know which version is really running; it warns on what the phase implies.
 */
public final class RollbackWarning {
    private RollbackWarning() {}

    /**
     * @param current the migration's last applied phase (empty when none)
     * @param keep the phase to keep ({@code --to}); empty with {@code all} false means "the latest phase only"
     * @param all {@code --all}
     */
    public static Optional<String> of(Optional<Phase> current, Optional<Phase> keep, boolean all) {
        if (current.isEmpty() || current.get().compareTo(Phase.BACKFILL) < 0) {
            return Optional.empty(); // the new version is not deployed before backfill is done
        }
        Optional<Phase> kept = all ? Optional.empty() : keep.isPresent() ? keep : current.get().previous();
        boolean undoesDualWrite = kept.map(p -> p.compareTo(Phase.DUAL_WRITE) < 0).orElse(true);
        if (!undoesDualWrite) {
            return Optional.empty();
        }
        boolean undoesExpand = kept.isEmpty();
        return Optional.of("warning: the migration is at " + current.get().wireName() + ", so the new application version may be running;"
                + (undoesExpand ? " this rollback removes the new shape it reads and writes"
                        : " this rollback removes the sync trigger, so its writes to the new shape stop reaching the old one")
                + ". Roll the application back to the old version first.");
    }
}
