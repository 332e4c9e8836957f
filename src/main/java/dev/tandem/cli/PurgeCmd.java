package dev.tandem.cli;

import dev.tandem.lifecycle.PurgeCommand;
import dev.tandem.lifecycle.Workspace;
import java.sql.SQLException;
import picocli.CommandLine.Command;

/** {@code tandem purge ID [--yes]}: irreversible clean-up after contract. */
@Command(name = "purge", description = "Drop what contract kept for a rollback (the retired column). Irreversible.")
final class PurgeCmd extends GuardedCmd {
    @Override
    String question() {
        return "Purge " + id + "? After this it can no longer be rolled back";
    }

    @Override
    DryRun dryRun(DryRunPlanner planner) throws SQLException {
        return planner.purge(id);
    }

    @Override
    String act(Workspace ws) throws SQLException {
        return new PurgeCommand(ws).run(id);
    }
}
