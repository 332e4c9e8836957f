package dev.tandem.verify;

import dev.tandem.report.Severity;

/**
 * One thing verify concluded about a step or a phase, before it is placed in a file.
 *
 * @param rule stable rule id ({@code verify/…})
 * @param severity error fails the gate
 * @param message what was seen (lock mode, relation, diff lines, …)
 * @param hint what to do about it
 */
record Verdict(String rule, Severity severity, String message, String hint) {
    static final String ROLLBACK_NOT_EXACT = "verify/rollback-not-exact";
    static final String REWRITE_UNDER_LOCK = "verify/rewrite-under-lock";
    static final String SCAN_UNDER_LOCK = "verify/scan-under-lock";
    static final String LOCK_STRONGER = "verify/lock-stronger-than-declared";
    static final String UNDECLARED = "verify/undeclared-scan-or-rewrite";
    static final String DUAL_WRITE = "verify/dual-write";
    static final String APP_WRITE = "verify/app-write";
    static final String NO_ROLLBACK = "verify/no-rollback";
    static final String STEP_FAILED = "verify/step-failed";
    static final String SEED = "verify/seed";

    static Verdict error(String rule, String message, String hint) {
        return new Verdict(rule, Severity.ERROR, message, hint);
    }

    static Verdict warning(String rule, String message, String hint) {
        return new Verdict(rule, Severity.WARNING, message, hint);
    }
}
