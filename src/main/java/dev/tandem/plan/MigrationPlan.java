package dev.tandem.plan;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The plan of one migration: its five phases (always all five, in order, some possibly empty),
 * the purge steps that make contract irreversible, and the columns the migration changes (used to
 * tell which migrations may be in flight together).
 *
 * @param id migration id (file name without extension)
 * @param description the migration's description
 * @param checksum checksum of the migration file the plan was made from
 * @param offline true when planned without a catalog (types and keys are placeholders)
 * @param phases the five phases in order
 * @param purge steps run by {@code tandem purge}: irreversible clean-up after contract
 * @param touches "schema.table.column" names this migration changes; two in-flight migrations
 *                must not share one
 * @param warnings things the user should know (user triggers that fire during backfill, …)
 */
public record MigrationPlan(
        String id,
        String description,
        String checksum,
        boolean offline,
        List<PhasePlan> phases,
        List<Step> purge,
        Set<String> touches,
        List<String> warnings) {

    public MigrationPlan {
        Objects.requireNonNull(id);
        phases = List.copyOf(phases);
        purge = List.copyOf(purge);
        touches = Set.copyOf(touches);
        warnings = List.copyOf(warnings);
        if (phases.size() != Phase.values().length) {
            throw new IllegalArgumentException("a plan has exactly five phases");
        }
        for (int i = 0; i < phases.size(); i++) {
            if (phases.get(i).phase() != Phase.values()[i]) {
                throw new IllegalArgumentException("phases out of order in plan " + id);
            }
        }
    }

    public PhasePlan phase(Phase p) {
        return phases.get(p.ordinal());
    }
}
