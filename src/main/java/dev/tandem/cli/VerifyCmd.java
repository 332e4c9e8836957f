package dev.tandem.cli;

import dev.tandem.TandemException;
import dev.tandem.db.ConnectionConfig;
import dev.tandem.intent.Migration;
import dev.tandem.plan.PlanOptions;
import dev.tandem.report.Report;
import dev.tandem.report.ReportFormat;
import dev.tandem.verify.PlanSource;
import dev.tandem.verify.Verifier;
import dev.tandem.verify.VerifyOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tandem verify}: exercises migrations phase by phase on a scratch database (embedded by
 * default) and fails (exit 4) on an inexact rollback, a lock stronger than declared, a rewrite or
 * scan under a write-blocking lock, a broken dual-write or a step without rollback. See docs/verify.md.
 * <p>Unlike the other commands it never reads TANDEM_URL: a scratch database must be named explicitly.
 */
@Command(name = "verify", mixinStandardHelpOptions = true, description = "Prove on a scratch database that every phase rolls back exactly, takes only the locks it declares and keeps dual-write consistent.")
final class VerifyCmd implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", defaultValue = "changelogs", description = SourceFlags.PATH_DESCRIPTION)
    Path path;

    @picocli.CommandLine.Mixin
    SourceFlags source;

    @Option(names = "--url", description = "A scratch database to use instead of an embedded PostgreSQL; it must hold no tables (see --allow-existing). TANDEM_URL is NOT read.")
    String url;

    @Option(names = "--user", description = "User for --url.")
    String user;

    @Option(names = "--password", description = "Password for --url (or env TANDEM_VERIFY_PASSWORD).")
    String password;

    @Option(names = "--allow-existing", description = "Use the --url database even when it holds tables Tandem did not create (nothing is cleaned up afterwards).")
    boolean allowExisting;

    @ArgGroup(exclusive = true)
    Which which;

    static final class Which {
        @Option(names = "--migration", description = "Verify this migration only; the ones before it are carried through purge.")
        String migration;

        @Option(names = "--all", description = "Verify every migration of the changelog (default: the pending ones, i.e. all on a fresh scratch database).")
        boolean all;
    }

    @Option(names = "--base-schema", description = "SQL file (e.g. a pg_dump --schema-only) run first: the schema the changelog starts from. Without it the changelog alone builds the schema.")
    Path baseSchema;

    @Option(names = "--rows", defaultValue = "2000", description = "Synthetic rows per empty table the migrations touch (default: ${DEFAULT-VALUE}).")
    long rows;

    @Option(names = "--seed", description = "SQL file that fills the tables instead of synthetic rows (run once, after --base-schema).")
    Path seed;

    @Option(names = "--schema", defaultValue = "public", description = "Schema of tables named without one (default: ${DEFAULT-VALUE}).")
    String schema;

    @Option(names = "--state-schema", defaultValue = "tandem", description = "Schema of Tandem's own state (default: ${DEFAULT-VALUE}).")
    String stateSchema;

    @Option(names = "--format", defaultValue = "text", converter = ReportFormatConverter.class, description = "text, json, junit, markdown or github (default: ${DEFAULT-VALUE}).")
    ReportFormat format;

    @Option(names = "--verbose", description = "Log every executed step on stderr.")
    boolean verbose;

    @Override
    public Integer call() {
        if (rows < 0 || rows > 10_000_000) {
            throw TandemException.badInput("--rows must be between 0 and 10000000");
        }
        for (Path f : new Path[] {baseSchema, seed}) {
            if (f != null && !Files.isRegularFile(f)) {
                throw TandemException.badInput(f + ": no such file");
            }
        }
        if (url == null && (allowExisting || user != null || password != null)) {
            throw TandemException.badInput("--allow-existing, --user and --password need --url");
        }
        List<Migration> migrations = source.open(path).migrations();
        Optional<ConnectionConfig> scratch = Optional.empty();
        if (url != null) {
            Map<String, String> env = new HashMap<>();
            String p = Main.environment.get("TANDEM_VERIFY_PASSWORD");
            if (p != null) {
                env.put("TANDEM_PASSWORD", p);
            }
            scratch = Optional.of(ConnectionConfig.of(url, user, password, env));
        }
        PlanOptions planOptions = new PlanOptions(schema, stateSchema);
        VerifyOptions options = new VerifyOptions(scratch, allowExisting, Optional.ofNullable(baseSchema), Optional.ofNullable(seed),
                rows, Optional.ofNullable(which == null ? null : which.migration), which != null && which.all, planOptions,
                spec.commandLine().getErr()::println, verbose);
        Report report = new Verifier(options, PlanSource.planner(planOptions)).run(migrations);
        spec.commandLine().getOut().print(format.render(report));
        spec.commandLine().getOut().flush();
        return report.exitCode();
    }
}
