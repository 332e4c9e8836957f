package dev.tandem.cli;

import dev.tandem.lifecycle.PurgeCommand;
import dev.tandem.lifecycle.Workspace;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tandem purge ID}: irreversible clean-up after contract. */
@Command(name = "purge", description = "Drop what contract kept for a rollback (the retired column). Irreversible.")
final class PurgeCmd implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", description = "Migration id.")
    String id;

    @Option(names = "--yes", description = "Confirm without a prompt (required when not on a terminal).")
    boolean yes;

    @Mixin
    DatabaseOptions db;

    @Override
    public Integer call() throws Exception {
        Confirm.require(yes, "Purge " + id + "? After this it can no longer be rolled back");
        try (Workspace ws = Workspace.forWriting(db.settings(Main.environment, spec.commandLine().getErr()::println))) {
            spec.commandLine().getOut().println(new PurgeCommand(ws).run(id));
        }
        return ExitCodes.OK;
    }
}
