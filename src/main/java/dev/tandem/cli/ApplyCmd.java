package dev.tandem.cli;

import dev.tandem.intent.ChangelogReader;
import dev.tandem.lifecycle.ApplyCommand;
import dev.tandem.lifecycle.Workspace;
import dev.tandem.plan.Phase;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tandem apply}: expand, dual-write and backfill for each pending migration. */
@Command(name = "apply", description = "Run expand, dual-write and backfill of each pending migration (the part that needs no deploy).")
final class ApplyCmd implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", defaultValue = "changelogs", description = "A migration file or a changelog folder (default: ${DEFAULT-VALUE}).")
    Path path;

    @Option(names = "--to", defaultValue = "backfill", converter = PhaseConverter.class,
            description = "Stop after this phase: expand, dual-write or backfill (default: ${DEFAULT-VALUE}).")
    Phase to;

    @Mixin
    DatabaseOptions db;

    @Mixin
    BackfillFlags backfill;

    @Override
    public Integer call() throws Exception {
        var migrations = ChangelogReader.readPath(path);
        try (Workspace ws = Workspace.forWriting(db.settings(Main.environment, spec.commandLine().getErr()::println, backfill))) {
            ApplyCommand.Result result = new ApplyCommand(ws).run(migrations, to);
            var out = spec.commandLine().getOut();
            if (result.outcomes().isEmpty()) {
                out.println("nothing to apply");
            }
            for (ApplyCommand.Outcome o : result.outcomes()) {
                out.println(o.id() + ": " + o.message());
            }
            out.flush();
        }
        return ExitCodes.OK;
    }
}
