package dev.tandem.cli;

import dev.tandem.source.ImportCommand;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tandem import SOURCE -o DIR}: converts a Liquibase changelog into Tandem YAML once (no database). */
@Command(name = "import", description = "Convert a Liquibase root changelog or a Flyway folder into Tandem YAML migrations (one per changeSet or versioned file) and report what was translated, kept as raw SQL or refused.")
final class ImportCmd implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SOURCE", description = "A Liquibase root changelog, or a folder of Flyway V<version>__<desc>.sql files.")
    Path source;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "DIR", description = "Empty or new folder for the YAML files.")
    Path out;

    @Option(names = "--format", defaultValue = "text", description = "Report format: text or json (default: ${DEFAULT-VALUE}).")
    String format;

    @Mixin
    SourceFlags sourceFlags;

    @Override
    public Integer call() {
        if (!format.equals("text") && !format.equals("json")) {
            throw dev.tandem.TandemException.badInput("unknown format \"" + format + "\"; expected text or json");
        }
        List<ImportCommand.Entry> entries = ImportCommand.run(source, sourceFlags.options(), out);
        spec.commandLine().getOut().print(format.equals("json") ? ImportCommand.json(entries) + "\n" : ImportCommand.text(entries));
        spec.commandLine().getOut().flush();
        return entries.stream().anyMatch(e -> e.outcome().equals("refused")) ? ExitCodes.BAD_INPUT : ExitCodes.OK;
    }
}
