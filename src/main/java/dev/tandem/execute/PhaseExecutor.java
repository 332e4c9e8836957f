package dev.tandem.execute;

import dev.tandem.TandemException;
import dev.tandem.backfill.Backfiller;
import dev.tandem.plan.MigrationPlan;
import dev.tandem.plan.Phase;
import dev.tandem.plan.Step;
import dev.tandem.sql.Ddl;
import dev.tandem.sql.Ident;
import dev.tandem.state.MigrationRecord.Status;
import dev.tandem.state.StateStore;
import dev.tandem.state.StateStore.StepEntry;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Applies or rolls back one phase of a stored plan, step by step, keeping the step journal so that a
 * phase interrupted at any point (crash, kill -9, lost connection) resumes where it stopped on the
 * next apply, or rolls back exactly the steps that ran.
 * <ul>
 *   <li>A transactional step and its journal row commit together.</li>
 *   <li>A CONCURRENTLY step is journalled as {@code running} first; on resume a valid index means
 *       it finished, an INVALID leftover is dropped and the build runs again. A build that fails
 *       with a deadlock is retried (leftover dropped); one that fails otherwise (duplicates, an
 *       expression error) has its INVALID leftover dropped and its journal entry removed, so it
 *       leaves nothing behind.</li>
 *   <li>A backfill step is {@code running} until its batches (each checkpointed) are done.</li>
 *   <li>A rollback runs the step's undo statements in order, recording progress after each, so a
 *       rollback interrupted between two of them continues with the next; an undo backfill (if the
 *       step has one) runs last, checkpointed like any backfill.</li>
 *   <li>A step with no undo statements needs none (a later rollback removes its effect) — unless it
 *       is {@link Step#irreversible()}: then rolling back its phase is refused before anything changes.</li>
 * </ul>
 */
public final class PhaseExecutor {
    /** Attempts of a CREATE INDEX CONCURRENTLY that fails with a deadlock (its INVALID leftover dropped in between). */
    private static final int CONCURRENT_ATTEMPTS = 3;

    private final StateStore store;
    private final StatementRunner runner;
    private final Backfiller backfiller;
    private final Consumer<String> log;

    public PhaseExecutor(StateStore store, StatementRunner runner, Backfiller backfiller, Consumer<String> log) {
        this.store = store;
        this.runner = runner;
        this.backfiller = backfiller;
        this.log = log;
    }

    public void apply(Connection c, MigrationPlan plan, Phase phase) throws SQLException {
        String id = plan.id();
        List<Step> steps = plan.phase(phase).steps();
        store.setPhase(c, id, phase.previous(), Status.INTERRUPTED);
        store.log(c, id, phase, null, "apply-start", "");
        Map<Integer, StepEntry> journal = store.steps(c, id, phase);
        log.accept("== " + id + ": " + phase + " (" + steps.size() + " step" + (steps.size() == 1 ? "" : "s") + ") ==");
        if (steps.isEmpty()) {
            log.accept("  nothing to do");
        }
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            StepEntry entry = journal.get(i);
            String label = "  [" + (i + 1) + "/" + steps.size() + "] " + step.description();
            if (entry != null && entry.partlyUndone()) {
                // a rollback stopped inside this step: finish its undo statements (not its re-sync), so the
                // step is exactly not applied, then apply it again below
                log.accept(label + " — partly undone by a rollback; finishing the undo, then applying it again");
                undoStatements(c, id, phase, i, step, entry.rollbackProgress(), false);
                store.removeStep(c, id, phase, i);
                entry = null;
            }
            if (entry != null && entry.applied()) {
                log.accept(label + " — already applied");
                continue;
            }
            CrashPoints.reach("before " + phase + " step " + (i + 1));
            log.accept(label + " (" + step.lock() + (step.table() == null ? "" : " on " + step.table()) + ")");
            final int index = i;
            long t0 = System.nanoTime();
            if (step.isBackfill()) {
                store.markStep(c, id, phase, i, "running");
                Backfiller.Result r = backfiller.run(c, id, phase, i, step.backfill().orElseThrow());
                store.markStep(c, id, phase, i, "applied");
                store.log(c, id, phase, i, "backfill", r.rowsCopied() + " rows copied, " + r.rowsRepaired()
                        + " repaired by verification, " + r.batches() + " batches");
                log.accept(String.format("      %d rows copied, %d repaired by verification, %d batches in %.1f s",
                        r.rowsCopied(), r.rowsRepaired(), r.batches(), r.seconds()));
            } else if (step.transactional()) {
                runner.inTransaction(c, step.sql(), step.table(), step.lock().needsLockTimeout(), cx -> {
                    store.markStep(cx, id, phase, index, "applied");
                    store.log(cx, id, phase, index, "apply", step.sql());
                });
            } else {
                if (entry != null) {
                    if (recoverConcurrent(c, step.sql())) {
                        store.markStep(c, id, phase, i, "applied");
                        log.accept("      finished before the interruption");
                        continue;
                    }
                }
                store.markStep(c, id, phase, i, "running");
                for (int attempt = 1; ; attempt++) {
                    try {
                        runner.outsideTransaction(c, step.sql());
                        break;
                    } catch (dev.tandem.TandemException e) {
                        boolean transientFailure = e.getCause() instanceof SQLException se && SqlStates.isLockTimeout(se);
                        if (transientFailure && attempt < CONCURRENT_ATTEMPTS && ConcurrentIndex.target(step.sql()).isPresent()) {
                            log.accept("      the build hit a deadlock (attempt " + attempt + "/" + CONCURRENT_ATTEMPTS + "); retrying");
                            recoverConcurrent(c, step.sql()); // drops the INVALID leftover
                            continue;
                        }
                        throw cleanUpFailedBuild(c, id, phase, i, step.sql(), e);
                    }
                }
                store.markStep(c, id, phase, i, "applied");
                store.log(c, id, phase, i, "apply", step.sql());
            }
            CrashPoints.reach("after " + phase + " step " + (i + 1));
            log.accept(String.format("      done in %d ms", (System.nanoTime() - t0) / 1_000_000));
        }
        store.setPhase(c, id, Optional.of(phase), phase == Phase.CONTRACT ? Status.CONTRACTED : Status.IN_PROGRESS);
        store.log(c, id, phase, null, "apply-done", "");
    }

    /**
     * True when an interrupted CREATE INDEX CONCURRENTLY had in fact finished (valid index); drops an
     * INVALID leftover so the build can run again.
     */
    private boolean recoverConcurrent(Connection c, String sql) throws SQLException {
        Optional<String[]> target = ConcurrentIndex.target(sql);
        if (target.isEmpty()) {
            return false;
        }
        String[] t = target.get();
        switch (ConcurrentIndex.state(c, t[0], t[1])) {
            case VALID:
                return true;
            case INVALID:
                log.accept("      dropping the INVALID index " + Ident.quote(t[1]) + " left by an interrupted build");
                runner.outsideTransaction(c, Ddl.dropIndexConcurrently(t[0], t[1]));
                return false;
            default:
                return false;
        }
    }

    /**
     * Refuses (exit 2) to roll back {@code phase} when one of its applied steps is
     * {@link Step#irreversible()}; changes nothing. Called for every phase of a rollback before the
     * first one is undone, and again by {@link #rollback} itself.
     */
    public void refuseIrreversible(Connection c, MigrationPlan plan, Phase phase) throws SQLException {
        List<Step> steps = plan.phase(phase).steps();
        Map<Integer, StepEntry> journal = store.steps(c, plan.id(), phase);
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i).irreversible() && journal.containsKey(i)) {
                throw TandemException.badInput("migration " + plan.id() + ", phase " + phase + ", step " + (i + 1)
                        + " (" + steps.get(i).description() + ") is irreversible (declared irreversible: true, no down);"
                        + " refusing to roll back " + phase + " — nothing was changed");
            }
        }
    }

    /**
     * A CREATE INDEX CONCURRENTLY that failed (duplicate keys, a bad expression) leaves an INVALID
     * index that writers still maintain (and, for a unique one, check): drop it and forget the step,
     * so the failed build leaves nothing behind. Returns the error to throw, naming the index.
     */
    private dev.tandem.TandemException cleanUpFailedBuild(Connection c, String id, Phase phase, int index, String sql,
                                                        dev.tandem.TandemException failure) throws SQLException {
        Optional<String[]> target = ConcurrentIndex.target(sql);
        if (target.isEmpty()) {
            return failure;
        }
        String[] t = target.get();
        if (ConcurrentIndex.state(c, t[0], t[1]) == ConcurrentIndex.State.INVALID) {
            runner.outsideTransaction(c, Ddl.dropIndexConcurrently(t[0], t[1]));
            log.accept("      dropped the INVALID index " + Ident.quote(t[1]) + " the failed build left");
        }
        store.removeStep(c, id, phase, index);
        return new dev.tandem.TandemException(failure.exitCode(), "building index " + t[0] + "." + t[1] + " failed; the INVALID index"
                + " it left was dropped, nothing of this step remains. " + failure.getMessage(), failure);
    }

    /**
     * Refuses (exit 2) any rollback once a purge step of the migration is journaled (purge is
     * irreversible: it dropped what a rollback would restore from); changes nothing.
     */
    public void refusePurgeStarted(Connection c, MigrationPlan plan) throws SQLException {
        Map<Integer, StepEntry> purged = store.purgeSteps(c, plan.id());
        if (!purged.isEmpty()) {
            int first = purged.keySet().stream().min(Integer::compare).orElseThrow();
            throw TandemException.badInput("migration " + plan.id() + ": purge has started (" + purged.size() + " of "
                    + plan.purge().size() + " purge steps ran, e.g. step " + (first + 1) + ": "
                    + (first < plan.purge().size() ? plan.purge().get(first).description() : "?")
                    + "); purge is irreversible, so rollback is refused — nothing was changed. Run `tandem purge "
                    + plan.id() + "` to finish it");
        }
    }

    public void rollback(Connection c, MigrationPlan plan, Phase phase) throws SQLException {
        String id = plan.id();
        List<Step> steps = plan.phase(phase).steps();
        refusePurgeStarted(c, plan);
        refuseIrreversible(c, plan, phase);
        Map<Integer, StepEntry> journal = store.steps(c, id, phase);
        store.setPhase(c, id, phase.previous(), Status.INTERRUPTED);
        store.log(c, id, phase, null, "rollback-start", "");
        log.accept("== " + id + ": rolling back " + phase + " ==");
        for (int i = steps.size() - 1; i >= 0; i--) {
            StepEntry entry = journal.get(i);
            if (entry == null) {
                continue;
            }
            Step step = steps.get(i);
            CrashPoints.reach("before undo of " + phase + " step " + (i + 1));
            log.accept("  [" + (i + 1) + "/" + steps.size() + "] undo: " + step.description());
            List<String> undo = step.rollbackStatements();
            boolean undoBackfill = step.undoBackfill().isPresent();
            if (undo.isEmpty() && !undoBackfill) {
                store.removeStep(c, id, phase, i);
                continue;
            }
            undoStatements(c, id, phase, i, step, entry.rollbackProgress(), !undoBackfill);
            if (undoBackfill) {
                if (undo.isEmpty()) {
                    store.setRollbackProgress(c, id, phase, i, 1); // partly undone: the re-sync has started
                }
                Backfiller.Result r = backfiller.run(c, id, phase, i, step.undoBackfill().get(),
                        "run `tandem rollback " + id + "` to continue the rollback, or `" + forwardCommand(id, phase)
                                + "` to go forward again");
                CrashPoints.reach("after the re-sync of " + phase + " step " + (i + 1));
                store.log(c, id, phase, i, "rollback-backfill", r.rowsCopied() + " rows re-synced");
                log.accept("      " + r.rowsCopied() + " rows re-synced");
                store.removeStep(c, id, phase, i);
            }
        }
        Optional<Phase> previous = phase.previous();
        store.setPhase(c, id, previous, previous.isEmpty() ? Status.PENDING : Status.IN_PROGRESS);
        store.log(c, id, phase, null, "rollback-done", "");
    }

    /** The command that applies {@code phase} again. */
    private static String forwardCommand(String id, Phase phase) {
        return phase.ordinal() <= Phase.BACKFILL.ordinal() ? "tandem apply" : "tandem " + phase + " " + id;
    }

    /**
     * Runs undo statements {@code from}.. of step {@code i}, each recorded as progress in the journal
     * (with the statement, in one transaction, where it may run in one). With {@code removeWhenDone}
     * the last one removes the step's journal row instead; otherwise the row stays, partly undone.
     */
    private void undoStatements(Connection c, String id, Phase phase, int i, Step step, int from, boolean removeWhenDone)
            throws SQLException {
        List<String> undo = step.rollbackStatements();
        for (int k = from; k < undo.size(); k++) {
            String stmt = undo.get(k);
            final int index = i;
            final int done = k + 1;
            final boolean last = done == undo.size() && removeWhenDone;
            // a step that ran outside a transaction (CONCURRENTLY, raw sql with transaction: false) is undone outside one too
            if (Ddl.isConcurrently(stmt) || !step.transactional()) {
                if (!recoverConcurrent(c, stmt)) {
                    runner.outsideTransaction(c, stmt);
                }
                if (last) {
                    store.removeStep(c, id, phase, index);
                } else {
                    store.setRollbackProgress(c, id, phase, index, done);
                }
                store.log(c, id, phase, index, "rollback", stmt);
            } else {
                runner.inTransaction(c, stmt, step.table(), true, cx -> {
                    if (last) {
                        store.removeStep(cx, id, phase, index);
                    } else {
                        store.setRollbackProgress(cx, id, phase, index, done);
                    }
                    store.log(cx, id, phase, index, "rollback", stmt);
                });
            }
            CrashPoints.reach("after undo statement " + done + " of " + phase + " step " + (i + 1));
        }
    }

    /**
     * Runs the purge steps, journaled like a phase (in {@code tandem.steps} with phase
     * {@value StateStore#PURGE_PHASE}): the status is {@code purging} from before the first step until
     * the last one is done, a transactional step commits with its journal row, and a re-run after a
     * failure or kill skips the steps already applied. Irreversible: once any purge step is journaled,
     * rollback is refused.
     */
    public void purge(Connection c, MigrationPlan plan) throws SQLException {
        String id = plan.id();
        List<Step> steps = plan.purge();
        Map<Integer, StepEntry> journal = store.purgeSteps(c, id);
        store.setPhase(c, id, Optional.of(Phase.CONTRACT), Status.PURGING);
        store.log(c, id, null, null, "purge-start", "");
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            StepEntry entry = journal.get(i);
            String label = "  [" + (i + 1) + "/" + steps.size() + "] purge: " + step.description();
            if (entry != null && entry.applied()) {
                log.accept(label + " — already applied");
                continue;
            }
            CrashPoints.reach("before purge step " + (i + 1));
            log.accept(label);
            final int index = i;
            if (step.transactional()) {
                runner.inTransaction(c, step.sql(), step.table(), step.lock().needsLockTimeout(), cx -> {
                    store.markPurgeStep(cx, id, index, "applied");
                    store.log(cx, id, null, index, "purge", step.sql());
                });
            } else {
                if (entry != null && recoverConcurrent(c, step.sql())) {
                    store.markPurgeStep(c, id, i, "applied");
                    continue;
                }
                store.markPurgeStep(c, id, i, "running");
                runner.outsideTransaction(c, step.sql());
                store.markPurgeStep(c, id, i, "applied");
                store.log(c, id, null, i, "purge", step.sql());
            }
            CrashPoints.reach("after purge step " + (i + 1));
        }
        store.setPhase(c, id, Optional.of(Phase.CONTRACT), Status.PURGED);
        store.log(c, id, null, null, "purge-done", "");
    }
}
