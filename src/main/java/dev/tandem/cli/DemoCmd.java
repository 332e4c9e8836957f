package dev.tandem.cli;

import dev.tandem.db.ConnectionConfig;
import dev.tandem.demo.Demo;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tandem demo}. */
@Command(name = "demo", description = "Carry a column rename through all five phases on an embedded PostgreSQL (no setup), then roll it back.")
final class DemoCmd implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--url", description = "Use this database instead of an embedded one (the demo works in a schema of its own).")
    String url;

    @Option(names = "--user", description = "Database user for --url.")
    String user;

    @Option(names = "--schema", description = "Schema to load the sample into (default: public on the embedded server, tandem_demo with --url).")
    String schema;

    @Option(names = "--users", defaultValue = "2000", description = "Sample users to load; tasks are 5x (default: ${DEFAULT-VALUE}).")
    int users;

    @Override
    public Integer call() throws Exception {
        if (users < 1 || users > 10_000_000) {
            throw dev.tandem.TandemException.badInput("--users must be between 1 and 10000000");
        }
        Optional<ConnectionConfig> config = Optional.ofNullable(url != null ? url : null)
                .map(u -> ConnectionConfig.of(u, user, null, Main.environment));
        String s = schema != null ? schema : (config.isPresent() ? "tandem_demo" : "public");
        boolean same = new Demo(spec.commandLine().getOut(), users).run(config, s);
        return same ? ExitCodes.OK : ExitCodes.CHECK_FAILED;
    }
}
