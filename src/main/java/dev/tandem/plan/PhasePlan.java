package dev.tandem.plan;

import java.util.List;
import java.util.Objects;

/**
 * The steps of one phase, in execution order, and what the application team does once the phase
 * is applied ({@code deployNote}, may be empty). Rollback runs the steps' rollbacks in reverse.
 */
public record PhasePlan(Phase phase, List<Step> steps, String deployNote) {
    public PhasePlan {
        Objects.requireNonNull(phase);
        steps = List.copyOf(steps);
        deployNote = deployNote == null ? "" : deployNote;
    }

    public boolean isEmpty() {
        return steps.isEmpty();
    }
}
