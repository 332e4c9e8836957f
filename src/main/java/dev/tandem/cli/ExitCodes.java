package dev.tandem.cli;

import dev.tandem.TandemException;

/**
 * The process exit codes, as documented in the README:
 * 0 ok · 1 failed at run time · 2 bad input · 3 could not get a lock · 4 a check failed.
 */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int RUNTIME = TandemException.RUNTIME;
    public static final int BAD_INPUT = TandemException.BAD_INPUT;
    public static final int LOCK = TandemException.LOCK;
    public static final int CHECK_FAILED = TandemException.CHECK_FAILED;

    private ExitCodes() {}
}
