package dev.tandem.verify;

import dev.tandem.plan.LockLevel;
import dev.tandem.plan.Step;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Judges one traced statement against the safety rule and against what its step declares:
 * <ul>
 *   <li>a rewrite (changed relfilenode) or a sequential scan while the statement holds a lock that
 *       blocks writes (SHARE or stronger, on any relation) is an error;</li>
 *   <li>for forward and purge statements, a table lock stronger than the step's declared
 *       {@link Step#lock()} is an error, and a rewrite or scan the step does not declare is a
 *       warning. Rollback statements have no declared lock; only the safety rule applies.</li>
 * </ul>
 */
final class StepJudge {
    private StepJudge() {
    }

    /**
     * @param label how the finding names the statement, e.g. {@code expand step 1/3 "add column …"}
     * @param declared whether the step's declarations apply (forward and purge statements)
     */
    static List<Verdict> judge(String label, Step step, StatementTrace trace, boolean declared) {
        List<Verdict> out = new ArrayList<>();
        Optional<Map.Entry<String, LockLevel>> blocking = trace.strongestBlockingLock();
        if (blocking.isPresent()) {
            String held = blocking.get().getValue().sqlName() + " on " + blocking.get().getKey();
            // A forward step that rewrites or scans under a write-blocking lock fails the gate. An undo that
            // does (e.g. narrowing varchar(100) back to varchar(50) after an in-place widening) is reported as a
            // warning: rollbacks are the exception path, and some have no rewrite-free form.
            if (!trace.rewritten().isEmpty()) {
                out.add(forwardError(declared, Verdict.REWRITE_UNDER_LOCK, label + " rewrote " + String.join(", ", trace.rewritten())
                        + " (relfilenode changed) while holding " + held + "; writes wait for the whole rewrite",
                        "avoid the rewrite (add a column and backfill it in batches, then swap) or use a form that does not rewrite"));
            }
            if (!trace.scanned().isEmpty()) {
                out.add(forwardError(declared, Verdict.SCAN_UNDER_LOCK, label + " scanned " + String.join(", ", trace.scanned())
                        + " while holding " + held + "; writes wait for the whole scan",
                        "add constraints NOT VALID and VALIDATE them separately (SHARE UPDATE EXCLUSIVE), build indexes CONCURRENTLY"));
            }
        }
        if (declared) {
            Optional<Map.Entry<String, LockLevel>> strongest = trace.strongestTableLock();
            if (strongest.isPresent() && strongest.get().getValue().compareTo(step.lock()) > 0) {
                out.add(Verdict.error(Verdict.LOCK_STRONGER, label + " took " + strongest.get().getValue().sqlName() + " on "
                        + strongest.get().getKey() + " but declares " + step.lock().sqlName(),
                        "declare the lock the statement really takes (see docs/verify.md), or change the statement"));
            }
            List<String> undeclared = new ArrayList<>();
            if (!trace.rewritten().isEmpty() && !step.rewrite()) {
                undeclared.add("rewrote " + String.join(", ", trace.rewritten()));
            }
            if (!trace.scanned().isEmpty() && !step.scan() && !step.rewrite()) {
                undeclared.add("scanned " + String.join(", ", trace.scanned()));
            }
            if (!undeclared.isEmpty()) {
                out.add(Verdict.warning(Verdict.UNDECLARED, label + " " + String.join(" and ", undeclared)
                        + " but does not declare it", "set the step's rewrite/scan flags so plans show it"));
            }
        }
        return out;
    }

    /** An error for a forward step, a warning for an undo. */
    private static Verdict forwardError(boolean forward, String rule, String message, String hint) {
        return forward ? Verdict.error(rule, message, hint) : Verdict.warning(rule, message, hint);
    }
}
