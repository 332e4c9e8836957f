package dev.tandem.cli;

import dev.tandem.lifecycle.Workspace;
import java.sql.SQLException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * A deliberate step on one migration (contract, purge): asks for confirmation on a terminal, or
 * requires {@code --yes}, then runs in a writing workspace and prints its result on stdout.
 */
abstract class GuardedCmd implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", description = "Migration id, e.g. 0001_rename_full_name.")
    String id;

    @Option(names = "--yes", description = "Confirm without a prompt (required when not on a terminal).")
    boolean yes;

    @Option(names = "--dry-run", description = "Print what would run from the current state (SQL of each step); change nothing.")
    boolean dryRun;

    @Mixin
    TextOrJson output;

    @Mixin
    DatabaseOptions db;

    /** The confirmation question. */
    abstract String question();

    /** The command's name in JSON output (contract, purge). */
    String action() {
        return spec.name();
    }

    /** What the step would run, for --dry-run. */
    abstract DryRun dryRun(DryRunPlanner planner) throws SQLException;

    /** The step itself; returns the line to print. */
    abstract String act(Workspace ws) throws SQLException;

    @Override
    public Integer call() throws Exception {
        output.json();
        if (dryRun) {
            try (Workspace ws = Workspace.forReading(db.settings(Main.environment, spec.commandLine().getErr()::println))) {
                dryRun(new DryRunPlanner(ws)).print(spec.commandLine().getOut(), output.json());
            }
            return ExitCodes.OK;
        }
        Confirm.require(yes, question());
        try (Workspace ws = Workspace.forWriting(db.settings(Main.environment, spec.commandLine().getErr()::println))) {
            String line = act(ws);
            output.print(spec.commandLine().getOut(), line, java.util.Map.of("id", id, "action", action(), "message", line));
        }
        return ExitCodes.OK;
    }
}
