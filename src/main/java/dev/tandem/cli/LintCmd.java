package dev.tandem.cli;

import dev.tandem.TandemException;
import dev.tandem.lint.LintCommand;
import dev.tandem.lint.LintOptions;
import dev.tandem.report.Report;
import dev.tandem.report.ReportFormat;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tandem lint FILE.sql…}: the PostgreSQL migration linter for plain SQL (no database). */
@Command(name = "lint", mixinStandardHelpOptions = true, description = "Lint plain SQL migrations for statements that block traffic, rewrite tables or break running clients.")
final class LintCmd implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE.sql", description = "SQL files, or folders of *.sql files, linted in the order given.")
    List<Path> files;

    @Option(names = "--format", defaultValue = "text", converter = ReportFormatConverter.class,
            description = "text, json, junit, markdown or github (default: ${DEFAULT-VALUE}).")
    ReportFormat format;

    @Option(names = "--pg-version", defaultValue = "" + LintOptions.DEFAULT_PG_VERSION, paramLabel = "N",
            description = "PostgreSQL major the migrations run on; changes version-dependent verdicts (default: ${DEFAULT-VALUE}).")
    int pgVersion;

    @Option(names = "--single-transaction", description = "Each file runs in one transaction (psql --single-transaction, Flyway's default).")
    boolean singleTransaction;

    @Override
    public Integer call() {
        if (pgVersion < 9 || pgVersion > 99) {
            throw TandemException.badInput("--pg-version must be a PostgreSQL major version such as 14, got " + pgVersion);
        }
        Report report = LintCommand.run(files, new LintOptions(pgVersion, singleTransaction, false));
        spec.commandLine().getOut().print(format.render(report));
        spec.commandLine().getOut().flush();
        return report.exitCode();
    }
}
