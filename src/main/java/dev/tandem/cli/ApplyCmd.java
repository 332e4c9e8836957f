package dev.tandem.cli;

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

    @Parameters(index = "0", arity = "0..1", defaultValue = "changelogs", description = SourceFlags.PATH_DESCRIPTION)
    Path path;

    @Option(names = "--to", defaultValue = "backfill", converter = PhaseConverter.class,
            description = "Stop after this phase: expand, dual-write or backfill (default: ${DEFAULT-VALUE}).")
    Phase to;

    @Mixin
    TextOrJson output;

    @Option(names = "--dry-run", description = "Print what would run from the current state (SQL of each step); change nothing.")
    boolean dryRun;

    @Mixin
    DatabaseOptions db;

    @Mixin
    SourceFlags source;

    @Mixin
    BackfillFlags backfill;

    @Override
    public Integer call() throws Exception {
        boolean json = output.json();
        dev.tandem.source.ChangelogSource src = source.open(path);
        if (dryRun) {
            try (Workspace ws = Workspace.forReading(db.settings(Main.environment, spec.commandLine().getErr()::println, backfill))) {
                new DryRunPlanner(ws).apply(src.migrations(), to).print(spec.commandLine().getOut(), json);
            }
            return ExitCodes.OK;
        }
        try (Workspace ws = Workspace.forWriting(db.settings(Main.environment, spec.commandLine().getErr()::println, backfill))) {
            var migrations = src.pending(ws.connection(), ws.settings().plan().stateSchema());
            src.remember(ws.connection(), ws.settings().plan().stateSchema(), migrations);
            try { // rows a contract could not record (history locked then) are recorded now
                dev.tandem.source.SourceHistory.flush(ws.connection(), ws.settings().plan().stateSchema(), ws::log);
            } catch (dev.tandem.TandemException e) {
                ws.log("warning: " + e.getMessage());
            }
            ApplyCommand.Result result = new ApplyCommand(ws).run(migrations, to);
            var out = spec.commandLine().getOut();
            if (json) {
                out.println(json(result));
            } else {
                if (result.outcomes().isEmpty()) {
                    out.println("nothing to apply");
                }
                for (ApplyCommand.Outcome o : result.outcomes()) {
                    out.println(o.id() + ": " + o.message());
                }
            }
            out.flush();
        }
        return ExitCodes.OK;
    }

    /** {@code {"migrations":[{"id","status","phase","message"}],"waiting_for":…}}. */
    static String json(ApplyCommand.Result result) {
        java.util.List<Object> rows = new java.util.ArrayList<>();
        for (ApplyCommand.Outcome o : result.outcomes()) {
            java.util.Map<String, Object> row = new java.util.LinkedHashMap<>();
            row.put("id", o.id());
            row.put("status", o.status());
            row.put("phase", o.phase().map(Phase::wireName).orElse(null));
            row.put("message", o.message());
            rows.add(row);
        }
        java.util.Map<String, Object> root = new java.util.LinkedHashMap<>();
        root.put("migrations", rows);
        root.put("waiting_for", result.waitingFor().orElse(null));
        return dev.tandem.util.Json.pretty(root);
    }
}
