package dev.tandem.cli;

import dev.tandem.backfill.BackfillOptions;
import dev.tandem.db.ConnectionConfig;
import dev.tandem.execute.LockPolicy;
import dev.tandem.lifecycle.Settings;
import dev.tandem.plan.PlanOptions;
import java.util.Map;
import java.util.function.Consumer;
import picocli.CommandLine.Option;

/** The options every command that talks to a database shares. Values fall back to TANDEM_* environment variables. */
final class DatabaseOptions {
    @Option(names = "--url", description = "Database URL: jdbc:postgresql://host:port/db or postgresql://user:pass@host:port/db (env TANDEM_URL).")
    String url;

    @Option(names = "--user", description = "Database user (env TANDEM_USER).")
    String user;

    @Option(names = "--password", description = "Database password (env TANDEM_PASSWORD; prefer the variable: options show in process lists).")
    String password;

    @Option(names = "--schema", defaultValue = "public", description = "Schema of tables named without one (default: ${DEFAULT-VALUE}).")
    String schema;

    @Option(names = "--state-schema", defaultValue = "tandem", description = "Schema of Tandem's own state (default: ${DEFAULT-VALUE}).")
    String stateSchema;

    @Option(names = "--lock-timeout", defaultValue = "2000", description = "Longest lock_timeout in ms for DDL that blocks traffic; attempts start at 100 ms and grow (default: ${DEFAULT-VALUE}).")
    long lockTimeoutMs;

    boolean hasUrl(Map<String, String> env) {
        return url != null || env.get("TANDEM_URL") != null;
    }

    PlanOptions planOptions() {
        return new PlanOptions(schema, stateSchema);
    }

    /** Settings for a command that runs no backfill (default backfill options). */
    Settings settings(Map<String, String> env, Consumer<String> log) {
        return settings(env, log, new BackfillFlags());
    }

    /** Settings for a command that may backfill (apply, backfill, rollback), with its backfill flags. */
    Settings settings(Map<String, String> env, Consumer<String> log, BackfillFlags backfill) {
        ConnectionConfig config = ConnectionConfig.of(url != null ? url : env.get("TANDEM_URL"), user, password, env);
        if (lockTimeoutMs < 1) {
            throw dev.tandem.TandemException.badInput("--lock-timeout must be at least 1 ms");
        }
        if (backfill.batchSize != null && backfill.batchSize < 1) {
            throw dev.tandem.TandemException.badInput("--batch-size must be at least 1");
        }
        BackfillOptions options = backfill.options();
        return new Settings(config, planOptions(), LockPolicy.withMaxTimeout(lockTimeoutMs), options, log);
    }
}
