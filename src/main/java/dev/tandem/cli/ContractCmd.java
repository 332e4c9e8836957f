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

/** {@code tandem contract ID [--yes]}: the release manager's step. */
@Command(name = "contract", description = "Stop writing the old shape and retire it (after no old application instance is left). Reversible until purge.")
final class ContractCmd implements Callable<Integer> {
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
        Confirm.require(yes, "Contract " + id + "? Every application instance must already use the new shape");
        try (Workspace ws = Workspace.forWriting(db.settings(Main.environment, spec.commandLine().getErr()::println))) {
            spec.commandLine().getOut().println(new AdvanceCommand(ws).run(id, Phase.CONTRACT));
        }
        return ExitCodes.OK;
    }
}
