package dev.tandem.verify;

import dev.tandem.db.ConnectionConfig;
import dev.tandem.plan.PlanOptions;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * How {@code tandem verify} runs.
 *
 * @param scratch a scratch database to use; empty: start an embedded PostgreSQL
 * @param allowExisting use the scratch database even when it holds tables Tandem did not create
 * @param baseSchema a SQL file (schema dump) run first, giving the schema the changelog starts from
 * @param seed a SQL file that fills the tables instead of the synthetic rows
 * @param rows synthetic rows per empty touched table
 * @param migration verify this migration only (the ones before it are carried through purge)
 * @param all verify every migration of the changelog
 * @param plan default schema and state schema
 * @param log progress and timings (stderr in the CLI)
 * @param verbose also log every executed step
 */
public record VerifyOptions(Optional<ConnectionConfig> scratch, boolean allowExisting, Optional<Path> baseSchema,
                            Optional<Path> seed, long rows, Optional<String> migration, boolean all, PlanOptions plan,
                            Consumer<String> log, boolean verbose) {
    public static final long DEFAULT_ROWS = 2000;

    public VerifyOptions {
        Objects.requireNonNull(scratch);
        Objects.requireNonNull(baseSchema);
        Objects.requireNonNull(seed);
        Objects.requireNonNull(migration);
        Objects.requireNonNull(plan);
        Objects.requireNonNull(log);
        if (rows < 0) {
            throw new IllegalArgumentException("rows must be >= 0");
        }
    }

    /** Embedded server, defaults, no files, pending migrations. */
    public static VerifyOptions defaults(Consumer<String> log) {
        return new VerifyOptions(Optional.empty(), false, Optional.empty(), Optional.empty(), DEFAULT_ROWS,
                Optional.empty(), false, PlanOptions.defaults(), log, false);
    }

    public VerifyOptions withScratch(ConnectionConfig config) {
        return new VerifyOptions(Optional.of(config), allowExisting, baseSchema, seed, rows, migration, all, plan, log, verbose);
    }

    public VerifyOptions withBaseSchema(Path file) {
        return new VerifyOptions(scratch, allowExisting, Optional.of(file), seed, rows, migration, all, plan, log, verbose);
    }

    public VerifyOptions withRows(long n) {
        return new VerifyOptions(scratch, allowExisting, baseSchema, seed, n, migration, all, plan, log, verbose);
    }

    public VerifyOptions withMigration(String id) {
        return new VerifyOptions(scratch, allowExisting, baseSchema, seed, rows, Optional.of(id), all, plan, log, verbose);
    }

    public VerifyOptions withAllowExisting(boolean allow) {
        return new VerifyOptions(scratch, allow, baseSchema, seed, rows, migration, all, plan, log, verbose);
    }
}
