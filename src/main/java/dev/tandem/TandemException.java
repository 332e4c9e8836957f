package dev.tandem;

/**
 * The one exception type Tandem's commands report to the user. It carries the process exit code
 * that the CLI returns, so every failure maps to a documented code:
 * <ul>
 *   <li>{@link #RUNTIME} (1) — failed at run time (SQL error, lost connection, …)</li>
 *   <li>{@link #BAD_INPUT} (2) — usage, changelog, unknown table or column, checksum drift</li>
 *   <li>{@link #LOCK} (3) — could not get a lock (advisory lock held, lock_timeout retries exhausted)</li>
 *   <li>{@link #CHECK_FAILED} (4) — a check failed</li>
 * </ul>
 * Messages must never contain a password.
 */
public class TandemException extends RuntimeException {
    public static final int RUNTIME = 1;
    public static final int BAD_INPUT = 2;
    public static final int LOCK = 3;
    public static final int CHECK_FAILED = 4;

    private final int exitCode;

    public TandemException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public TandemException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }

    public static TandemException badInput(String message) {
        return new TandemException(BAD_INPUT, message);
    }

    public static TandemException runtime(String message, Throwable cause) {
        return new TandemException(RUNTIME, message, cause);
    }
}
