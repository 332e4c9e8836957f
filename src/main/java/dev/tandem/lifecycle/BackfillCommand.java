package dev.tandem.lifecycle;

import dev.tandem.TandemException;
import dev.tandem.backfill.CheckpointStore;
import dev.tandem.plan.Phase;
import dev.tandem.state.MigrationRecord;
import dev.tandem.state.MigrationRecord.Status;
import java.sql.SQLException;
import java.util.Optional;

/**
 * {@code tandem backfill ID}: runs (or resumes) the backfill phase of one migration whose
 * dual-write phase is applied, from its stored plan; {@code --pause} / {@code --resume} only set or
 * clear the pause flag a running backfill reads about every 250 ms (they need no lock, so another
 * process can steer a running job).
 * <p>It does not run expand or dual-write (that is {@code tandem apply}), nor re-run a finished backfill.
 */
public final class BackfillCommand {
    private final Workspace ws;

    public BackfillCommand(Workspace ws) {
        this.ws = ws;
    }

    /** Sets or clears the pause flag; returns the line to print. */
    public String setPaused(String id, boolean paused) throws SQLException {
        ws.record(id); // unknown ids are bad input
        CheckpointStore store = new CheckpointStore(ws.settings().plan().stateSchema());
        if (!store.upToDate(ws.connection())) {
            throw TandemException.badInput("the state schema predates pause/resume; run any `tandem apply` once to upgrade it");
        }
        store.setPaused(ws.connection(), id, paused, ws.store().who());
        ws.store().log(ws.connection(), id, Phase.BACKFILL, null, paused ? "backfill-pause" : "backfill-resume", "");
        return id + ": backfill " + (paused ? "paused (a running backfill stops before its next batch; resume with --resume)"
                : "resumed");
    }

    /** Runs the backfill phase; returns the line to print. Needs a writing workspace. */
    public String run(String id) throws SQLException {
        MigrationRecord r = ws.record(id);
        Optional<Phase> at = r.phase();
        if (at.isEmpty() || at.get().ordinal() < Phase.DUAL_WRITE.ordinal()) {
            throw TandemException.badInput(id + " has no dual-write yet; run `tandem apply` (it runs expand, dual-write and backfill)");
        }
        if (at.get().ordinal() >= Phase.BACKFILL.ordinal() && !r.status().equals(Status.INTERRUPTED)) {
            return id + ": backfill already done (phase " + at.get() + ")";
        }
        if (at.get() != Phase.DUAL_WRITE) {
            throw TandemException.badInput(id + " was interrupted after " + at.get() + "; finish it with `tandem "
                    + at.get().next().map(Phase::toString).orElse("status") + " " + id + "` or roll it back");
        }
        ws.executor().apply(ws.connection(), ws.storedPlan(r), Phase.BACKFILL);
        String note = ws.storedPlan(r).phase(Phase.BACKFILL).deployNote();
        return id + ": backfill applied" + (note.isEmpty() ? "" : ". " + note);
    }
}
