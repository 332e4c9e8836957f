package dev.tandem.verify;

import dev.tandem.plan.LockLevel;
import dev.tandem.plan.MigrationPlan;
import dev.tandem.plan.Phase;
import dev.tandem.plan.PhasePlan;
import dev.tandem.plan.Step;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/** Test helpers that wrap a {@link PlanSource} to alter the planner's plans (deliberately broken plans). */
final class PlanEdits {
    private PlanEdits() {
    }

    /** The plan with one phase's step list replaced by {@code edit} of it. */
    static MigrationPlan editPhase(MigrationPlan plan, Phase phase, UnaryOperator<List<Step>> edit) {
        List<PhasePlan> phases = new ArrayList<>();
        for (PhasePlan p : plan.phases()) {
            phases.add(p.phase() == phase ? new PhasePlan(p.phase(), edit.apply(new ArrayList<>(p.steps())), p.deployNote()) : p);
        }
        return new MigrationPlan(plan.id(), plan.description(), plan.checksum(), plan.offline(), phases, plan.purge(),
                plan.touches(), plan.warnings());
    }

    /** Every step of the phase whose SQL starts with {@code prefix} replaced by {@code edit} of it. */
    static PlanSource editSteps(PlanSource source, Phase phase, String prefix, UnaryOperator<Step> edit) {
        return (m, c) -> editPhase(source.plan(m, c), phase, steps -> {
            steps.replaceAll(s -> s.sql().startsWith(prefix) ? edit.apply(s) : s);
            return steps;
        });
    }

    static Step withLock(Step s, LockLevel lock) {
        return new Step(s.description(), s.sql(), s.rollbackStatements(), lock, s.table(), s.rewrite(), s.scan(),
                s.transactional(), s.backfill(), s.undoBackfill());
    }

    static Step withSql(Step s, String sql) {
        return new Step(s.description(), sql, s.rollbackStatements(), s.lock(), s.table(), s.rewrite(), s.scan(),
                s.transactional(), s.backfill(), s.undoBackfill());
    }

}
