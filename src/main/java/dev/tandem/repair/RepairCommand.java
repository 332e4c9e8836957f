package dev.tandem.repair;

import dev.tandem.TandemException;
import dev.tandem.intent.Migration;
import dev.tandem.lifecycle.Workspace;
import dev.tandem.plan.MigrationPlan;
import dev.tandem.state.MigrationRecord;
import dev.tandem.state.OfflinePlans;
import dev.tandem.sql.Ident;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * {@code tandem repair ID}: accepts an edited file of a started migration whose plan is unchanged
 * (its description, comments, whitespace, key order) by storing the file's new checksum and
 * description, with a {@code repair} history entry. "Unchanged" is decided on the plan made from
 * the file alone (no catalog): the one recorded when the migration started ({@link OfflinePlans})
 * against the edited file's ({@link PlanDiff}).
 * <p>Refuses with exit 4 when the plan differs (the differences are in the result), and with exit 2
 * for an unknown id, a migration the changelog does not list, or one started before Tandem recorded
 * offline plans (it cannot tell; restore the file). It never changes the plan being executed.
 */
public final class RepairCommand {
    /**
     * The outcome.
     *
     * @param id the migration
     * @param oldChecksum the stored checksum
     * @param newChecksum the file's checksum
     * @param differences the plan differences (empty: accepted)
     * @param repaired whether the checksum was stored (false: nothing to do, a difference, or a dry run)
     * @param message one line for the user
     */
    public record Result(String id, String oldChecksum, String newChecksum, List<String> differences, boolean repaired, String message) {
        public boolean accepted() {
            return differences.isEmpty();
        }
    }

    private final Workspace ws;

    public RepairCommand(Workspace ws) {
        this.ws = ws;
    }

    public Result run(List<Migration> migrations, String id, boolean dryRun) throws SQLException {
        MigrationRecord r = ws.record(id);
        Migration m = migrations.stream().filter(x -> x.id().equals(id)).findFirst().orElseThrow(() ->
                TandemException.badInput("repair " + id + ": the changelog has no migration " + id));
        if (r.status().equals(MigrationRecord.Status.PENDING) || r.checksum().equals(m.checksum())) {
            return new Result(id, r.checksum(), m.checksum(), List.of(), false, "nothing to repair: " + id
                    + (r.status().equals(MigrationRecord.Status.PENDING) ? " has not started" : "'s file is unchanged"));
        }
        Connection c = ws.connection();
        MigrationPlan recorded = new OfflinePlans(ws.settings().plan().stateSchema()).find(c, id).orElseThrow(() ->
                TandemException.badInput("repair " + id + ": no offline plan was recorded when it started (it started before Tandem kept them),"
                        + " so repair cannot tell whether the edit changes the plan; restore " + m.file() + " or roll the migration back entirely"));
        MigrationPlan edited = ws.planner().plan(m, Optional.empty());
        List<String> differences = PlanDiff.diff(recorded, edited);
        if (!differences.isEmpty()) {
            return new Result(id, r.checksum(), m.checksum(), differences, false, "repair of " + id + " refused: the edit of " + m.file()
                    + " changes the plan (" + differences.size() + " difference(s)); nothing changed. Restore the file, or roll the migration back entirely and apply it again");
        }
        if (dryRun) {
            return new Result(id, r.checksum(), m.checksum(), List.of(), false, "repair (dry run): the plan of " + id
                    + " is unchanged; would store checksum " + m.checksum() + "; nothing changed");
        }
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + Ident.quote(ws.settings().plan().stateSchema())
                    + ".migrations SET checksum = ?, description = ? WHERE id = ?")) {
                ps.setString(1, m.checksum());
                ps.setString(2, m.description());
                ps.setString(3, id);
                ps.executeUpdate();
            }
            new OfflinePlans(ws.settings().plan().stateSchema()).save(c, id, edited);
            ws.store().log(c, id, null, null, "repair", "checksum " + r.checksum() + " → " + m.checksum()
                    + ": the edited file's plan is unchanged");
            c.commit();
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
        return new Result(id, r.checksum(), m.checksum(), List.of(), true, id + ": repaired; the edited file's plan is unchanged, checksum "
                + r.checksum() + " → " + m.checksum() + " stored");
    }
}
