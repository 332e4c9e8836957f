package dev.tandem.fleet;

import dev.tandem.TandemException;

/**
 * The fleet's exit code from its targets' codes: the worst one, in the order
 * 2 (bad input: fix the changelog or fleet file) &gt; 1 (failed at run time) &gt; 3 (lock busy,
 * retry) &gt; 4 (gate not passed, wait) &gt; 0. Targets whose wave did not start count for nothing
 * (the failure that stopped the waves already sets the code).
 */
public final class FleetExit {
    private static final int[] ORDER = {0, TandemException.CHECK_FAILED, TandemException.LOCK, TandemException.RUNTIME,
            TandemException.BAD_INPUT};

    private FleetExit() {}

    public static int worst(int... codes) {
        int worst = 0;
        for (int c : codes) {
            if (c != TargetResult.NOT_STARTED && rank(c) > rank(worst)) {
                worst = c;
            }
        }
        return worst;
    }

    private static int rank(int code) {
        for (int i = 0; i < ORDER.length; i++) {
            if (ORDER[i] == code) {
                return i;
            }
        }
        return ORDER.length; // an unknown code is the worst
    }

    static String status(int code) {
        return switch (code) {
            case 0 -> "ok";
            case TandemException.RUNTIME -> "failed";
            case TandemException.BAD_INPUT -> "refused";
            case TandemException.LOCK -> "locked";
            case TandemException.CHECK_FAILED -> "not-ready";
            case TargetResult.NOT_STARTED -> "skipped";
            default -> "exit-" + code;
        };
    }
}
