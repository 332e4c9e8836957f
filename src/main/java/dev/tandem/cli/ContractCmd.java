package dev.tandem.cli;

import dev.tandem.lifecycle.AdvanceCommand;
import dev.tandem.lifecycle.Workspace;
import dev.tandem.plan.Phase;
import java.sql.SQLException;
import picocli.CommandLine.Command;

/** {@code tandem contract ID [--yes]}: the release manager's step. */
@Command(name = "contract", description = "Stop writing the old shape and retire it (after no old application instance is left). Reversible until purge.")
final class ContractCmd extends GuardedCmd {
    @Override
    String question() {
        return "Contract " + id + "? Every application instance must already use the new shape";
    }

    @Override
    DryRun dryRun(DryRunPlanner planner) throws SQLException {
        return planner.advance(id, Phase.CONTRACT);
    }

    @Override
    String act(Workspace ws) throws SQLException {
        return new AdvanceCommand(ws).run(id, Phase.CONTRACT);
    }
}
