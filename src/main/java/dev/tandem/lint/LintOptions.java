package dev.tandem.lint;

/**
 * How to judge a script.
 *
 * @param pgVersion the PostgreSQL major the migrations run on ({@code --pg-version}, default 14);
 *     verdicts that changed between majors follow it
 * @param singleTransaction the whole file runs in one transaction (psql {@code --single-transaction},
 *     Flyway's default), as if it began with BEGIN and ended with COMMIT
 * @param lockTimeoutProvided the runner sets lock_timeout itself (Tandem's executor does for its
 *     {@code sql} steps), so {@link Rule#MISSING_LOCK_TIMEOUT} does not apply
 */
public record LintOptions(int pgVersion, boolean singleTransaction, boolean lockTimeoutProvided) {
    public static final int DEFAULT_PG_VERSION = 14;

    public LintOptions {
        if (pgVersion < 9 || pgVersion > 99) {
            throw new IllegalArgumentException("PostgreSQL major version must be between 9 and 99, got " + pgVersion);
        }
    }

    public static LintOptions defaults() {
        return new LintOptions(DEFAULT_PG_VERSION, false, false);
    }

    public LintOptions withPgVersion(int v) {
        return new LintOptions(v, singleTransaction, lockTimeoutProvided);
    }
}
