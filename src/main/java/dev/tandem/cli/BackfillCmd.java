package dev.tandem.cli;

import dev.tandem.lifecycle.BackfillCommand;
import dev.tandem.lifecycle.Settings;
import dev.tandem.lifecycle.Workspace;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tandem backfill ID [--pause | --resume | --restart]}. */
@Command(name = "backfill", description = {"Run or resume the backfill of a migration whose dual-write is applied;",
        "--pause / --resume steer a running backfill from another process (effective within a second)."})
final class BackfillCmd implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", description = "Migration id, e.g. 0001_rename_full_name.")
    String id;

    @ArgGroup(exclusive = true)
    Control control;

    static final class Control {
        @Option(names = "--pause", required = true, description = "Pause the backfill (a running one stops before its next batch).")
        boolean pause;

        @Option(names = "--resume", required = true, description = "Let a paused backfill continue.")
        boolean resume;
    }

    @Option(names = "--dry-run", description = "Print what would run from the current state (SQL of each step); change nothing.")
    boolean dryRun;

    @Mixin
    TextOrJson output;

    @Mixin
    DatabaseOptions db;

    @Mixin
    BackfillFlags backfill;

    @Override
    public Integer call() throws Exception {
        output.json();
        Settings settings = db.settings(Main.environment, spec.commandLine().getErr()::println, backfill);
        String line;
        if (dryRun) {
            if (control != null) {
                throw dev.tandem.TandemException.badInput("--dry-run cannot be combined with --pause or --resume");
            }
            try (Workspace ws = Workspace.forReading(settings)) {
                new DryRunPlanner(ws).advance(id, dev.tandem.plan.Phase.BACKFILL).print(spec.commandLine().getOut(), output.json());
            }
            return ExitCodes.OK;
        }
        if (control != null) {
            if (backfill.restart) {
                throw dev.tandem.TandemException.badInput("--restart cannot be combined with --pause or --resume");
            }
            try (Workspace ws = Workspace.forReading(settings)) {
                line = new BackfillCommand(ws).setPaused(id, control.pause);
            }
        } else {
            try (Workspace ws = Workspace.forWriting(settings)) {
                line = new BackfillCommand(ws).run(id);
            }
        }
        output.print(spec.commandLine().getOut(), line, java.util.Map.of("id", id,
                "action", control == null ? "backfill" : control.pause ? "pause" : "resume", "message", line));
        return ExitCodes.OK;
    }
}
