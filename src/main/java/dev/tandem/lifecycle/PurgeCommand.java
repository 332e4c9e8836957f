package dev.tandem.lifecycle;

import dev.tandem.TandemException;
import dev.tandem.state.MigrationRecord;
import dev.tandem.state.MigrationRecord.Status;
import java.sql.SQLException;

/**
 * {@code tandem purge ID}: after contract, drops what contract kept for a rollback (the retired
 * column, helper constraints). Irreversible; refuses unless the migration is contracted, or
 * {@code purging} (a purge that failed or was killed part-way: it resumes after the last journaled step).
 */
public final class PurgeCommand {
    private final Workspace ws;

    public PurgeCommand(Workspace ws) {
        this.ws = ws;
    }

    public String run(String id) throws SQLException {
        MigrationRecord r = ws.record(id);
        if (r.status().equals(Status.PURGED)) {
            return id + " is already purged";
        }
        if (!r.status().equals(Status.CONTRACTED) && !r.status().equals(Status.PURGING)) {
            throw TandemException.badInput("migration " + id + " is " + r.status() + r.phase().map(p -> " at " + p).orElse("")
                    + "; purge needs contract first");
        }
        ws.log("== " + id + ": purge (irreversible)" + (r.status().equals(Status.PURGING) ? ", resuming" : "") + " ==");
        ws.executor().purge(ws.connection(), ws.storedPlan(r));
        return id + ": purged";
    }
}
