package dev.tandem.cli;

import dev.tandem.lifecycle.PurgeCommand;
import dev.tandem.lifecycle.Workspace;
import dev.tandem.readiness.PurgeReport;
import dev.tandem.state.MigrationRecord;
import java.sql.SQLException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tandem purge ID [--yes] [--check]}: irreversible clean-up after contract. Prints what it
 * will drop, with sizes ({@link PurgeReport}), before asking; {@code --check} only prints it.
 */
@Command(name = "purge", description = "Drop what contract kept for a rollback (the retired column). Irreversible."
        + " Prints what will be dropped, with sizes, first.")
final class PurgeCmd extends GuardedCmd {
    @Option(names = "--check", description = "Only print what purge would drop; exit 0 when the migration is contracted, 4 when not. Changes nothing.")
    boolean check;

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

    @Override
    public Integer call() throws Exception {
        boolean json = output.json();
        if (dryRun) {
            return super.call();
        }
        try (Workspace ws = Workspace.forWriting(db.settings(Main.environment, spec.commandLine().getErr()::println))) {
            MigrationRecord r = ws.record(id);
            boolean contracted = r.status().equals(MigrationRecord.Status.CONTRACTED);
            String report = PurgeReport.text(ws.connection(), ws.storedPlan(r));
            if (check) {
                String text = report + (contracted ? "" : "\n  not ready: migration is " + r.status()
                        + r.phase().map(p -> " at " + p).orElse("") + "; purge needs contract first");
                output.print(spec.commandLine().getOut(), text,
                        java.util.Map.of("id", id, "action", "purge-check", "ready", contracted, "report", text));
                return contracted ? ExitCodes.OK : ExitCodes.CHECK_FAILED;
            }
            if (contracted) {
                spec.commandLine().getErr().println(report);
            }
            Confirm.require(yes, question());
            String line = act(ws);
            output.print(spec.commandLine().getOut(), line, java.util.Map.of("id", id, "action", action(), "message", line));
        }
        return ExitCodes.OK;
    }
}
