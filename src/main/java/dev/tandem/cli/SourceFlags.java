package dev.tandem.cli;

import dev.tandem.source.ChangelogSource;
import dev.tandem.source.SourceDetector;
import dev.tandem.source.SourceOptions;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** {@code --contexts} and {@code --labels}: Liquibase changeSet filters for a Liquibase root changelog PATH. */
final class SourceFlags {
    @Option(names = "--contexts", paramLabel = "EXPR", description = "Liquibase contexts expression (Liquibase changelogs only).")
    String contexts;

    @Option(names = "--labels", paramLabel = "EXPR", description = "Liquibase labels expression (Liquibase changelogs only).")
    String labels;

    SourceOptions options() {
        return new SourceOptions(Optional.ofNullable(contexts), Optional.ofNullable(labels));
    }

    ChangelogSource open(Path path) {
        return SourceDetector.open(path, options());
    }
}
