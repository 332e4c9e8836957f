package dev.tandem.fleet;

/**
 * What one fleet command did on one target.
 *
 * @param target the target
 * @param wave the 1-based wave it belongs to
 * @param exitCode the exit code the single-database command would have returned (see
 *                 {@link FleetExit}); {@link #NOT_STARTED} when its wave did not start
 * @param message one line: the command's result, or its error (never a password)
 * @param detail the command's structured result for JSON (rows, outcomes), or null
 * @param millis wall time on this target
 */
public record TargetResult(Target target, int wave, int exitCode, String message, Object detail, long millis) {
    /** The exit code of a target whose wave was not started. */
    public static final int NOT_STARTED = -1;

    /** ok, failed (1), refused (2), locked (3), not-ready (4) or skipped (not started). */
    public String status() {
        return FleetExit.status(exitCode);
    }

    public boolean ok() {
        return exitCode == 0;
    }

    public boolean started() {
        return exitCode != NOT_STARTED;
    }
}
