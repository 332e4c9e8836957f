package dev.tandem.cli;

import dev.tandem.lifecycle.AdvanceCommand;
import dev.tandem.lifecycle.Workspace;
import dev.tandem.plan.Phase;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tandem switch-reads ID}. */
@Command(name = "switch-reads", description = "Validate the new shape's constraints and make it authoritative (after the new application version is rolled out).")
final class SwitchReadsCmd implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", description = "Migration id, e.g. 0001_rename_full_name.")
    String id;

    @Option(names = "--dry-run", description = "Print what would run from the current state (SQL of each step); change nothing.")
    boolean dryRun;

    @Mixin
    TextOrJson output;

    @Mixin
    DatabaseOptions db;

    @Override
    public Integer call() throws Exception {
        if (dryRun) {
            try (Workspace ws = Workspace.forReading(db.settings(Main.environment, spec.commandLine().getErr()::println))) {
                new DryRunPlanner(ws).advance(id, Phase.SWITCH_READS).print(spec.commandLine().getOut(), output.json());
            }
            return ExitCodes.OK;
        }
        try (Workspace ws = Workspace.forWriting(db.settings(Main.environment, spec.commandLine().getErr()::println))) {
            output.json();
            String line = new AdvanceCommand(ws).run(id, Phase.SWITCH_READS);
            output.print(spec.commandLine().getOut(), line, java.util.Map.of("id", id, "action", "switch-reads", "message", line));
        }
        return ExitCodes.OK;
    }
}
