package dev.tandem.cli;

import dev.tandem.db.ConnectionConfig;
import dev.tandem.demo.Demo;
import dev.tandem.demo.DemoReport;
import dev.tandem.demo.Scale;
import dev.tandem.demo.Scenario;
import dev.tandem.util.Json;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tandem demo}: a migration under live traffic against the same change made with plain DDL
 * (see {@link Demo}). stdout: the report (text or JSON); stderr: one live line per phase. Exit 0 when
 * the Tandem run had no failed request and its rollback was exact, 4 otherwise, 2 for a scenario
 * this build cannot plan.
 */
@Command(name = "demo", description = {
        "Run a migration under live application traffic on an embedded PostgreSQL (no setup), measure what the",
        "application sees in each phase, then make the same change with plain ALTER TABLE under the same traffic."})
final class DemoCmd implements Callable<Integer> {
    enum Format { text, json }

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--url", description = "Use this database instead of an embedded one (the demo works in a schema of its own).")
    String url;

    @Option(names = "--user", description = "Database user for --url.")
    String user;

    @Option(names = "--schema", description = "Schema to load the sample into (default: public on the embedded server, tandem_demo with --url).")
    String schema;

    @Option(names = "--scenario", defaultValue = "rename",
            description = "rename (users.full_name -> display_name), bigint (comments.id -> bigint), not-null (tasks.public_id NOT NULL). Default: ${DEFAULT-VALUE}.")
    String scenario;

    @Option(names = "--scale", defaultValue = "medium",
            description = "small (2k users, 10k tasks), medium (100k users, 1M tasks), large (1M users, 10M tasks). Default: ${DEFAULT-VALUE}.")
    Scale scale;

    @Option(names = "--rate", defaultValue = "200", description = "Application requests per second, open loop (default: ${DEFAULT-VALUE}).")
    int rate;

    @Option(names = "--pool", defaultValue = "8", description = "Application connections (default: ${DEFAULT-VALUE}).")
    int pool;

    @Option(names = "--duration", defaultValue = "5", description = "Seconds each phase lasts at least: its work, then steady traffic (default: ${DEFAULT-VALUE}).")
    double duration;

    @Option(names = "--batch-size", defaultValue = "1000", description = "Backfill rows per batch (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--batch-pause-ms", defaultValue = "10",
            description = "Rest after every backfill batch, ms: leaves CPU to the application (default: ${DEFAULT-VALUE}).")
    long batchPauseMs;

    @Option(names = "--format", defaultValue = "text", description = "text or json (default: ${DEFAULT-VALUE}).")
    Format format;

    @Option(names = "--verbose", description = "Also show Tandem's own progress lines on stderr.")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        Demo.Options options = new Demo.Options(Scenario.of(scenario), scale, rate, pool, duration, batchSize, batchPauseMs, verbose);
        Optional<ConnectionConfig> config = Optional.ofNullable(url).map(u -> ConnectionConfig.of(u, user, null, Main.environment));
        String s = schema != null ? schema : (config.isPresent() ? "tandem_demo" : "public");
        DemoReport report = new Demo(spec.commandLine().getErr(), options).run(config, s);
        PrintWriter out = spec.commandLine().getOut();
        if (format == Format.json) {
            out.println(Json.pretty(report.toJson()));
        } else {
            report.printText(out);
        }
        out.flush();
        return report.ok() ? ExitCodes.OK : ExitCodes.CHECK_FAILED;
    }
}
