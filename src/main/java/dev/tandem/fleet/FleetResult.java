package dev.tandem.fleet;

import java.util.List;

/**
 * What one fleet command did: every target's result in wave order, and whether waves were left
 * unstarted because an earlier one failed.
 *
 * @param action the verb (apply, switch-reads, contract, rollback, status, plan)
 * @param results one per target of the fleet file, wave by wave
 * @param stoppedAfterWave the wave after which the run stopped, or 0 when every wave ran
 */
public record FleetResult(String action, List<TargetResult> results, int stoppedAfterWave) {
    public FleetResult {
        results = List.copyOf(results);
    }

    /** The fleet's exit code: the worst target's ({@link FleetExit#worst}). */
    public int exitCode() {
        return FleetExit.worst(results.stream().mapToInt(TargetResult::exitCode).toArray());
    }

    public long failures() {
        return results.stream().filter(r -> r.started() && !r.ok()).count();
    }
}
