package dev.tandem.estimate;

import java.util.List;
import java.util.Map;

/**
 * The preview of one migration: its tables with their row estimates (null: unknown) and one
 * {@link PhaseEstimate} per phase, then purge. Totals are null when any part is unknown.
 *
 * @param id the migration id
 * @param offline true when estimated without a catalog (row counts unknown)
 * @param tableRows display name → row estimate (null when unknown), sorted
 * @param phases the five phases in order, then purge
 * @param model the rates the figures assume
 */
public record MigrationEstimate(String id, boolean offline, Map<String, Long> tableRows, List<PhaseEstimate> phases,
                                EstimateModel model) {
    public MigrationEstimate {
        tableRows = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(tableRows));
        phases = List.copyOf(phases);
    }

    /** Rows all backfills copy, null when unknown. */
    public Long rowsToCopy() {
        return Estimator.sumLong(phases.stream().map(PhaseEstimate::rowsToCopy).toList());
    }

    /** Run time of the phases and purge (not the time the application team takes between them), null when unknown. */
    public Double seconds() {
        return Estimator.sumDouble(phases.stream().map(PhaseEstimate::seconds).toList());
    }

    /** Extra disk of all phases, null when unknown. */
    public Long extraDiskBytes() {
        return Estimator.sumLong(phases.stream().map(PhaseEstimate::extraDiskBytes).toList());
    }
}
