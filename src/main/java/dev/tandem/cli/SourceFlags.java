package dev.tandem.cli;

import dev.tandem.source.ChangelogSource;
import dev.tandem.source.SourceDetector;
import dev.tandem.source.SourceOptions;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** {@code --contexts} and {@code --labels}: Liquibase changeSet filters for a Liquibase root changelog PATH. */
final class SourceFlags {
    /** The help text of every command's PATH parameter: what Tandem reads as a changelog. */
    static final String PATH_DESCRIPTION = "A Tandem migration file or changelog folder, a Liquibase root changelog (XML, YAML, JSON"
            + " or formatted SQL), or a Flyway folder of V<version>__<desc>.sql files (default: ${DEFAULT-VALUE}).";

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
