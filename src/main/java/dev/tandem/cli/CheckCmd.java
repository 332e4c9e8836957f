package dev.tandem.cli;

import dev.tandem.TandemException;
import dev.tandem.catalog.CatalogSnapshot;
import dev.tandem.catalog.SnapshotCodec;
import dev.tandem.check.CheckCommand;
import dev.tandem.lint.LintOptions;
import dev.tandem.plan.PlanOptions;
import dev.tandem.report.Report;
import dev.tandem.report.ReportFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tandem check [PATH] [--schema-snapshot FILE]}: parse, plan offline (or on a snapshot) and lint; no database. */
@Command(name = "check", mixinStandardHelpOptions = true, description = "Static gate without a database: parse the changelog, plan it offline or on a schema snapshot,"
        + " report unknown objects, conflicting intents, missing rollbacks and unsafe raw SQL.")
final class CheckCmd implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", defaultValue = "changelogs", description = SourceFlags.PATH_DESCRIPTION)
    Path path;

    @picocli.CommandLine.Mixin
    SourceFlags source;

    @Option(names = "--schema-snapshot", paramLabel = "FILE", description = "Catalog snapshot written by tandem snapshot: plan on it and report unknown tables and columns.")
    Path snapshotFile;

    @Option(names = "--format", defaultValue = "text", converter = ReportFormatConverter.class,
            description = "text, json, junit, markdown or github (default: ${DEFAULT-VALUE}).")
    ReportFormat format;

    @Option(names = "--overlaps", description = "Also warn when two migrations change the same column (legal in sequence; apply keeps them from being in flight together).")
    boolean overlaps;

    @Option(names = "--schema", defaultValue = "public", description = "Schema of tables named without one (default: ${DEFAULT-VALUE}).")
    String schema;

    @Option(names = "--state-schema", defaultValue = "tandem", description = "Schema of Tandem's own state (default: ${DEFAULT-VALUE}).")
    String stateSchema;

    @Option(names = "--pg-version", defaultValue = "" + LintOptions.DEFAULT_PG_VERSION, paramLabel = "N",
            description = "PostgreSQL major for the lint rules of raw SQL (default: ${DEFAULT-VALUE}).")
    int pgVersion;

    @Override
    public Integer call() {
        if (pgVersion < 9 || pgVersion > 99) {
            throw TandemException.badInput("--pg-version must be a PostgreSQL major version such as 14, got " + pgVersion);
        }
        Optional<CatalogSnapshot> snapshot = Optional.empty();
        if (snapshotFile != null) {
            String json;
            try {
                json = Files.readString(snapshotFile, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new TandemException(TandemException.BAD_INPUT, snapshotFile + ": cannot read the schema snapshot: " + e, e);
            }
            snapshot = Optional.of(SnapshotCodec.decode(json, snapshotFile.toString()));
        }
        Report report = new CheckCommand(new PlanOptions(schema, stateSchema), new LintOptions(pgVersion, false, true))
                .withOverlaps(overlaps).withSource(source.options()).run(path, snapshot);
        spec.commandLine().getOut().print(format.render(report));
        spec.commandLine().getOut().flush();
        return report.exitCode();
    }
}
