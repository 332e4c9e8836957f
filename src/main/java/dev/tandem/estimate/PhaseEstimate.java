package dev.tandem.estimate;

import java.util.List;

/**
 * The one-line preview of a phase (or of purge): the tables it touches, its strongest lock and how
 * long that lock is held, the rows it copies, its run time and extra disk, and what the
 * application team deploys once it is applied. Nullable figures are unknown.
 *
 * @param name the phase's wire name, or "purge"
 * @param steps how many steps it has
 * @param tables display names of the tables it touches, sorted
 * @param strongest the estimate of the step with the strongest lock (ties: the longest held); null when the phase is empty
 * @param rowsToCopy rows its backfills copy, null when unknown
 * @param seconds its estimated run time, null when unknown
 * @param extraDiskBytes disk it adds, null when unknown
 * @param deployNote what the application team does after it ("" when nothing)
 */
public record PhaseEstimate(String name, int steps, List<String> tables, StepEstimate strongest, Long rowsToCopy,
                            Double seconds, Long extraDiskBytes, String deployNote) {
    public PhaseEstimate {
        tables = List.copyOf(tables);
        deployNote = deployNote == null ? "" : deployNote;
    }
}
