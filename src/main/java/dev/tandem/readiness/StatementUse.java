package dev.tandem.readiness;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One statement from {@code pg_stat_statements} that names something the contract retires.
 *
 * @param queryId pg_stat_statements' query id
 * @param role the role that ran it
 * @param query the normalized statement text
 * @param names the retired objects it names ("public.users.full_name")
 * @param callsSinceSwitchReads calls since switch-reads was applied (all calls when no baseline was taken)
 * @param lastRiseSeen when a readiness check (or the switch-reads baseline) last saw its calls rise;
 *                     pg_stat_statements keeps no time of the last call, so this is the best bound Tandem has
 */
public record StatementUse(long queryId, String role, String query, List<String> names, long callsSinceSwitchReads,
                           Optional<Instant> lastRiseSeen) {
    public StatementUse {
        names = List.copyOf(names);
    }
}
