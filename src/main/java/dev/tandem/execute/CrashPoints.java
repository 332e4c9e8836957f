package dev.tandem.execute;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test-only crash injection at the executor's step boundaries (before and after every step,
 * between undo statements, after every backfill batch commit), so crash-safety tests can stop
 * Tandem at exactly the points where a kill -9 leaves the most interesting state.
 * <p>Disarmed (the default) it does nothing but read one field. Armed by a test with
 * {@link #arm(int)}, the n-th point reached throws {@link Crash} (an {@link Error}, so no ordinary
 * catch block runs recovery code on the way out); with the environment variable
 * {@code TANDEM_TEST_CRASH_AT=n} the n-th point halts the JVM at once with exit code 137, as a
 * SIGKILL would. Not for production use; it changes no behaviour unless armed.
 */
public final class CrashPoints {
    private static final int FROM_ENV = parse(System.getenv("TANDEM_TEST_CRASH_AT"));
    private static final AtomicInteger REACHED = new AtomicInteger();
    private static volatile int armedAt = FROM_ENV > 0 ? FROM_ENV : 0;

    private CrashPoints() {}

    /** The simulated kill. */
    public static final class Crash extends Error {
        public Crash(String where) {
            super("simulated crash at " + where, null, false, false);
        }
    }

    /** Crash at the {@code n}-th point reached from now on (n ≥ 1); 0 disarms. Resets the count. */
    public static void arm(int n) {
        REACHED.set(0);
        armedAt = n;
    }

    /** Points reached since the last {@link #arm}. */
    public static int reached() {
        return REACHED.get();
    }

    /** A step boundary: crashes here when this is the armed point. */
    public static void reach(String where) {
        if (armedAt == 0) {
            return;
        }
        if (REACHED.incrementAndGet() == armedAt) {
            armedAt = 0;
            if (FROM_ENV > 0) {
                Runtime.getRuntime().halt(137);
            }
            throw new Crash(where);
        }
    }

    private static int parse(String s) {
        try {
            return s == null ? 0 : Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
