package dev.tandem.cli;

import dev.tandem.cli.render.Format;
import dev.tandem.cli.render.StatusRenderer;
import dev.tandem.intent.Migration;
import dev.tandem.lifecycle.StatusCommand;
import dev.tandem.lifecycle.Workspace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tandem status}: read-only. */
@Command(name = "status", description = "Every known migration with its last applied phase and status.")
final class StatusCmd implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", defaultValue = "changelogs", description = SourceFlags.PATH_DESCRIPTION)
    Path path;

    @Option(names = "--format", defaultValue = "text", converter = FormatConverter.class, description = "text or json (default: ${DEFAULT-VALUE}).")
    Format format;

    @Mixin
    DatabaseOptions db;

    @Mixin
    SourceFlags source;

    @Override
    public Integer call() throws Exception {
        Format f = format;
        if (f != Format.TEXT && f != Format.JSON) {
            throw dev.tandem.TandemException.badInput("status supports --format text or json");
        }
        dev.tandem.source.ChangelogSource src = Files.exists(path) ? source.open(path) : null;
        List<Migration> migrations = src == null ? List.of() : src.migrations();
        try (Workspace ws = Workspace.forReading(db.settings(Main.environment, spec.commandLine().getErr()::println))) {
            if (src != null) {
                migrations = src.pending(ws.connection(), ws.settings().plan().stateSchema());
            }
            var rows = new StatusCommand(ws).run(migrations);
            spec.commandLine().getOut().print(StatusRenderer.render(rows, f));
            spec.commandLine().getOut().flush();
        }
        return ExitCodes.OK;
    }
}
