package dev.tandem.cli;

import dev.tandem.lifecycle.RollbackCommand;
import dev.tandem.lifecycle.Workspace;
import dev.tandem.plan.Phase;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tandem rollback ID [--to PHASE | --all]}. */
@Command(name = "rollback", description = "Undo the latest applied phase of a migration; --to PHASE keeps PHASE as the last applied one; --all undoes every phase. Works after contract until purge.")
final class RollbackCmd implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", description = "Migration id.")
    String id;

    static final class Range {
        @Option(names = "--to", converter = PhaseConverter.class, description = "Keep this phase as the last applied one.")
        Phase to;

        @Option(names = "--all", description = "Undo every phase.")
        boolean all;
    }

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Range range;

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
        Optional<Phase> keep = range == null ? Optional.empty() : Optional.ofNullable(range.to);
        boolean all = range != null && range.all;
        output.json();
        if (dryRun) {
            try (Workspace ws = Workspace.forReading(db.settings(Main.environment, spec.commandLine().getErr()::println, backfill))) {
                new DryRunPlanner(ws).rollback(id, keep, all).print(spec.commandLine().getOut(), output.json());
            }
            return ExitCodes.OK;
        }
        try (Workspace ws = Workspace.forWriting(db.settings(Main.environment, spec.commandLine().getErr()::println, backfill))) {
            ws.records().values().stream().filter(r -> r.id().equals(id)).findFirst().flatMap(r ->
                    dev.tandem.readiness.RollbackWarning.of(r.phase(), keep, all)).ifPresent(spec.commandLine().getErr()::println);
            List<Phase> undone = new RollbackCommand(ws).run(id, keep, all);
            List<String> names = undone.stream().map(Phase::wireName).toList();
            output.print(spec.commandLine().getOut(), id + ": rolled back " + String.join(", ", names),
                    java.util.Map.of("id", id, "action", "rollback", "rolled_back", names));
        }
        return ExitCodes.OK;
    }
}
