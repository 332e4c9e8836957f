package dev.tandem.lifecycle;

import dev.tandem.TandemException;
import dev.tandem.plan.MigrationPlan;
import dev.tandem.plan.Phase;
import dev.tandem.state.MigrationRecord;
import dev.tandem.state.MigrationRecord.Status;
import java.sql.SQLException;

/**
 * {@code tandem switch-reads ID} and {@code tandem contract ID}: applies the one phase that follows
 * the migration's last applied phase, from the plan stored when the migration started. Refuses
 * (exit 2) when the migration is not right before that phase; does nothing when it is already there.
 * An interrupted run of the same phase is resumed.
 */
public final class AdvanceCommand {
    private final Workspace ws;

    public AdvanceCommand(Workspace ws) {
        this.ws = ws;
    }

    /** Applies {@code target}; returns the deploy note of the phase, or a message when nothing was done. */
    public String run(String id, Phase target) throws SQLException {
        if (target != Phase.SWITCH_READS && target != Phase.CONTRACT) {
            throw new IllegalArgumentException("advance is for switch-reads and contract");
        }
        MigrationRecord r = ws.record(id);
        if (r.status().equals(Status.PURGED)) {
            throw TandemException.badInput("migration " + id + " is purged");
        }
        if (r.status().equals(Status.PURGING)) {
            throw TandemException.badInput("migration " + id + " is purging; run `tandem purge " + id + "` to finish it");
        }
        boolean interruptedHere = r.status().equals(Status.INTERRUPTED)
                && r.phase().flatMap(Phase::next).map(p -> p == target).orElse(false);
        if (!interruptedHere && r.phase().map(p -> p == target).orElse(false)) {
            recordInSource(target);
            return id + " is already at " + target;
        }
        Phase needed = target.previous().orElseThrow();
        if (!interruptedHere && (r.phase().isEmpty() || r.phase().get() != needed)) {
            throw TandemException.badInput("migration " + id + " is " + r.status() + r.phase().map(p -> " at " + p).orElse("")
                    + "; " + target + " needs " + needed + " first" + (needed == Phase.BACKFILL ? " (run `tandem apply`)" : ""));
        }
        MigrationPlan plan = ws.storedPlan(r);
        ws.executor().apply(ws.connection(), plan, target);
        recordInSource(target);
        if (target == Phase.SWITCH_READS) {
            dev.tandem.readiness.ContractReadinessCheck.captureBaseline(ws, id, plan);
        }
        String note = plan.phase(target).deployNote();
        return id + ": " + target + " applied" + (note.isEmpty() ? "" : ". " + note);
    }

    /** After contract: a migration read from a Liquibase changelog is recorded in databasechangelog. */
    private void recordInSource(Phase target) throws SQLException {
        if (target == Phase.CONTRACT) {
            dev.tandem.source.SourceHistory.flush(ws.connection(), ws.settings().plan().stateSchema(), ws::log);
        }
    }
}
