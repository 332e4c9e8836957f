package dev.tandem.cli;

import dev.tandem.TandemException;
import dev.tandem.backfill.BackfillOptions;
import dev.tandem.db.ConnectionConfig;
import dev.tandem.db.LibpqEnv;
import dev.tandem.execute.LockPolicy;
import dev.tandem.lifecycle.Settings;
import dev.tandem.plan.PlanOptions;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;
import picocli.CommandLine.Option;

/**
 * The options every command that talks to a database shares. Each value is taken, first found, from
 * the flag, the environment (TANDEM_*), the config file ({@link ConfigFile}), the libpq variables and
 * password file ({@link LibpqEnv}, connection values only), then the default.
 */
final class DatabaseOptions {
    static final String DEFAULT_SCHEMA = "public";
    static final String DEFAULT_STATE_SCHEMA = "tandem";
    static final long DEFAULT_LOCK_TIMEOUT_MS = 2000;

    @Option(names = "--url", description = "Database URL: jdbc:postgresql://host:port/db or postgresql://user:pass@host:port/db (env TANDEM_URL, config url, else PGHOST/PGPORT/PGDATABASE).")
    String url;

    @Option(names = "--user", description = "Database user (env TANDEM_USER, config user, else PGUSER).")
    String user;

    @Option(names = "--password", description = "Database password (env TANDEM_PASSWORD, config password, else PGPASSWORD or ~/.pgpass; prefer those: options show in process lists).")
    String password;

    @Option(names = "--schema", description = "Schema of tables named without one (env TANDEM_SCHEMA, config schema; default: public).")
    String schema;

    @Option(names = "--state-schema", description = "Schema of Tandem's own state (env TANDEM_STATE_SCHEMA, config state_schema; default: tandem).")
    String stateSchema;

    @Option(names = "--lock-timeout", description = "Longest lock_timeout in ms for DDL that blocks traffic; attempts start at 100 ms and grow (env TANDEM_LOCK_TIMEOUT, config lock_timeout; default: 2000).")
    Long lockTimeoutMs;

    @Option(names = "--config", paramLabel = "FILE", description = "Config file (default: tandem.yaml in the working directory, if present).")
    Path config;

    private ConfigFile file;

    ConfigFile file() {
        if (file == null) {
            file = ConfigFile.load(config);
        }
        return file;
    }

    private String pick(String flag, Map<String, String> env, String variable, String key, String fallback) {
        if (flag != null) {
            return flag;
        }
        if (env.get(variable) != null) {
            return env.get(variable);
        }
        return file().get(key).orElse(fallback);
    }

    /** The URL from flag, TANDEM_URL, config or libpq variables; null when none names a database. */
    String url(Map<String, String> env) {
        String u = pick(url, env, "TANDEM_URL", "url", null);
        return u != null ? u : LibpqEnv.url(env);
    }

    boolean hasUrl(Map<String, String> env) {
        return url(env) != null;
    }

    String schema(Map<String, String> env) {
        return pick(schema, env, "TANDEM_SCHEMA", "schema", DEFAULT_SCHEMA);
    }

    PlanOptions planOptions() {
        return planOptions(Main.environment);
    }

    PlanOptions planOptions(Map<String, String> env) {
        return new PlanOptions(schema(env), pick(stateSchema, env, "TANDEM_STATE_SCHEMA", "state_schema", DEFAULT_STATE_SCHEMA));
    }

    long lockTimeout(Map<String, String> env) {
        String v = lockTimeoutMs != null ? String.valueOf(lockTimeoutMs)
                : pick(null, env, "TANDEM_LOCK_TIMEOUT", "lock_timeout", String.valueOf(DEFAULT_LOCK_TIMEOUT_MS));
        try {
            return Long.parseLong(v.strip());
        } catch (NumberFormatException e) {
            throw TandemException.badInput("lock timeout \"" + v + "\" is not a number of milliseconds");
        }
    }

    /** The connection from every source, libpq variables and password file last. */
    ConnectionConfig connection(Map<String, String> env) {
        String u = pick(user, env, "TANDEM_USER", "user", null);
        String p = pick(password, env, "TANDEM_PASSWORD", "password", null);
        return LibpqEnv.complete(ConnectionConfig.of(url(env), u, p, env), env);
    }

    /** Settings for a command that runs no backfill (default backfill options). */
    Settings settings(Map<String, String> env, Consumer<String> log) {
        return settings(env, log, new BackfillFlags());
    }

    /** Settings for a command that may backfill (apply, backfill, rollback), with its backfill flags. */
    Settings settings(Map<String, String> env, Consumer<String> log, BackfillFlags backfill) {
        ConnectionConfig connection = connection(env);
        long lockTimeout = lockTimeout(env);
        if (lockTimeout < 1) {
            throw TandemException.badInput("--lock-timeout must be at least 1 ms");
        }
        backfill.defaultsFrom(file().backfill());
        if (backfill.batchSize != null && backfill.batchSize < 1) {
            throw TandemException.badInput("--batch-size must be at least 1");
        }
        BackfillOptions options = backfill.options();
        return new Settings(connection, planOptions(env), LockPolicy.withMaxTimeout(lockTimeout), options, log);
    }

    /**
     * Settings for one fleet target: its URL, schema and state schema; user, password, lock timeout
     * and backfill options from the flags, environment, config file and libpq variables as for one
     * database. The target's URL replaces --url / TANDEM_URL / the config's url.
     */
    Settings settingsFor(String targetUrl, String targetSchema, String targetStateSchema, Map<String, String> env,
                         Consumer<String> log, BackfillFlags backfill) {
        String u = pick(user, env, "TANDEM_USER", "user", null);
        String p = pick(password, env, "TANDEM_PASSWORD", "password", null);
        ConnectionConfig connection = LibpqEnv.complete(ConnectionConfig.of(targetUrl, u, p, env), env);
        long lockTimeout = lockTimeout(env);
        if (lockTimeout < 1) {
            throw TandemException.badInput("--lock-timeout must be at least 1 ms");
        }
        backfill.defaultsFrom(file().backfill());
        if (backfill.batchSize != null && backfill.batchSize < 1) {
            throw TandemException.badInput("--batch-size must be at least 1");
        }
        return new Settings(connection, new PlanOptions(targetSchema, targetStateSchema), LockPolicy.withMaxTimeout(lockTimeout),
                backfill.options(), log);
    }

    /** The state schema from flag, TANDEM_STATE_SCHEMA or config (default tandem). */
    String stateSchema(Map<String, String> env) {
        return planOptions(env).stateSchema();
    }
}
