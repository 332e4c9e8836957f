package dev.tandem.readiness;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The readiness report of one migration's contract: a plain result, rendered by
 * {@link ReadinessRenderer}. {@link #ready()} is true when nothing blocks.
 *
 * @param migrationId the migration
 * @param state its status and phase, e.g. "in-progress at switch-reads"
 * @param steps the contract steps with their locks
 * @param now the database's clock when the report was made
 * @param quietPeriod how long the old shape must have been unused
 * @param switchReadsAt when switch-reads was applied (empty if it was not)
 * @param oldWritesTracked whether the migration's sync trigger notes old-application writes
 * @param oldWritesSinceSwitchReads old-shape write samples since switch-reads (at most one per second per session)
 * @param lastOldWrite when the old shape was last written (any phase)
 * @param statementsUnavailable empty when pg_stat_statements was read, else why it was not
 * @param statements statements naming what the contract retires, used since switch-reads
 * @param blockers why the contract is unsafe now (empty = ready)
 * @param warnings what the release manager should know but does not block
 */
public record ContractReadiness(
        String migrationId,
        String state,
        List<StepLine> steps,
        Instant now,
        Duration quietPeriod,
        Optional<Instant> switchReadsAt,
        boolean oldWritesTracked,
        long oldWritesSinceSwitchReads,
        Optional<Instant> lastOldWrite,
        Optional<String> statementsUnavailable,
        List<StatementUse> statements,
        List<String> blockers,
        List<String> warnings) {

    /** One contract step: what it does, the lock it takes and on what. */
    public record StepLine(String description, String lock, String table) {}

    public ContractReadiness {
        steps = List.copyOf(steps);
        statements = List.copyOf(statements);
        blockers = List.copyOf(blockers);
        warnings = List.copyOf(warnings);
    }

    public boolean ready() {
        return blockers.isEmpty();
    }
}
