package dev.tandem.lifecycle;

import dev.tandem.TandemException;
import dev.tandem.plan.MigrationPlan;
import dev.tandem.plan.Phase;
import dev.tandem.state.MigrationRecord;
import dev.tandem.state.MigrationRecord.Status;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code tandem rollback ID [--to PHASE | --all]}: undoes the latest applied phase (an interrupted
 * phase counts as the latest), or every phase after {@code PHASE}, or all of them. Uses the plan
 * stored when the migration started, so it works even when the file has changed or is gone. Works
 * after contract; refuses once any purge step has run (exit 2, also for a purge that stopped part-way), and refuses (exit 2, before anything changes) when a
 * phase to undo holds an applied irreversible step (a raw {@code sql} step without {@code down}).
 */
public final class RollbackCommand {
    private final Workspace ws;

    public RollbackCommand(Workspace ws) {
        this.ws = ws;
    }

    /**
     * @param keep the phase to keep as the last applied one (empty with {@code all} = undo everything;
     *             empty without {@code all} = undo one phase)
     * @return the phases rolled back, in order
     */
    public List<Phase> run(String id, Optional<Phase> keep, boolean all) throws SQLException {
        MigrationRecord r = ws.record(id);
        if (r.status().equals(Status.PURGED)) {
            throw TandemException.badInput("migration " + id + " is purged; it can no longer be rolled back");
        }
        MigrationPlan plan = ws.storedPlan(r);
        ws.executor().refusePurgeStarted(ws.connection(), plan);
        if (r.status().equals(Status.PURGING)) {
            throw TandemException.badInput("migration " + id + " is purging; purge is irreversible, so rollback is refused"
                    + " — nothing was changed. Run `tandem purge " + id + "` to finish it");
        }
        // the latest phase with anything applied: the interrupted one, else the last applied one
        Optional<Phase> latest = r.status().equals(Status.INTERRUPTED)
                ? Optional.of(r.phase().flatMap(Phase::next).orElse(Phase.EXPAND))
                : r.phase();
        if (latest.isEmpty()) {
            throw TandemException.badInput("migration " + id + " has no phase applied; nothing to roll back");
        }
        if (keep.isPresent() && keep.get().ordinal() >= latest.get().ordinal()
                && !(keep.get() == latest.get() && r.status().equals(Status.INTERRUPTED))) {
            throw TandemException.badInput("migration " + id + " is at " + r.phase().map(Phase::toString).orElse("no phase")
                    + "; --to " + keep.get() + " would undo nothing");
        }
        // refuse before changing anything when a phase to undo holds an applied irreversible step
        java.util.Set<Phase> undoing = new java.util.HashSet<>();
        for (Phase q = latest.get(); ; q = q.previous().orElseThrow()) {
            if (keep.isPresent() && q.ordinal() <= keep.get().ordinal()) {
                break;
            }
            ws.executor().refuseIrreversible(ws.connection(), plan, q);
            undoing.add(q);
            if ((!all && keep.isEmpty()) || q.previous().isEmpty()) {
                break;
            }
        }
        refuseUserTriggers(id, plan, undoing);
        List<Phase> undone = new ArrayList<>();
        Phase p = latest.get();
        while (true) {
            if (keep.isPresent() && p.ordinal() <= keep.get().ordinal()) {
                break;
            }
            ws.executor().rollback(ws.connection(), plan, p);
            undone.add(p);
            if (!all && keep.isEmpty()) {
                break;
            }
            Optional<Phase> prev = p.previous();
            if (prev.isEmpty()) {
                break;
            }
            p = prev.get();
        }
        return undone;
    }

    /**
     * Exit 2 before anything changes when an undo backfill of the phases to undo would fire the
     * table's own triggers and the role may not suppress them (unless --allow-user-triggers).
     */
    private void refuseUserTriggers(String id, MigrationPlan plan, java.util.Set<Phase> undoing) throws SQLException {
        if (ws.settings().backfill().allowUserTriggers()) {
            return;
        }
        java.util.Set<String> schemas = new java.util.TreeSet<>();
        plan.phases().forEach(pp -> pp.steps().forEach(st -> st.undoBackfill().ifPresent(b -> schemas.add(b.table().schema()))));
        if (schemas.isEmpty()) {
            return;
        }
        dev.tandem.catalog.CatalogSnapshot live = dev.tandem.catalog.CatalogReader.read(ws.connection(), schemas)
                .withRole(dev.tandem.catalog.RoleCapabilitiesReader.read(ws.connection()));
        var fire = dev.tandem.plan.UserTriggerFiring.unsuppressed(dev.tandem.plan.UserTriggerFiring.find(plan, live), undoing, true);
        dev.tandem.plan.UserTriggerFiring.refuse(id, "rollback", fire, live.role());
    }
}
