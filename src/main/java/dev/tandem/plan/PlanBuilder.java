package dev.tandem.plan;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Collects what the recipes of one migration contribute — steps per phase, deploy notes, purge
 * steps, touched columns, warnings — and turns them into a {@link MigrationPlan}. Recipes append in
 * intent order, so two intents' steps keep the order of the file within each phase.
 */
public final class PlanBuilder {
    private final Map<Phase, List<Step>> steps = new EnumMap<>(Phase.class);
    private final Map<Phase, Set<String>> notes = new EnumMap<>(Phase.class);
    private final List<Step> purge = new ArrayList<>();
    private final Set<String> touches = new TreeSet<>();
    private final Set<String> warnings = new LinkedHashSet<>();

    public PlanBuilder() {
        for (Phase p : Phase.values()) {
            steps.put(p, new ArrayList<>());
            notes.put(p, new LinkedHashSet<>());
        }
    }

    public PlanBuilder add(Phase phase, Step step) {
        steps.get(phase).add(step);
        return this;
    }

    public PlanBuilder note(Phase phase, String deployNote) {
        notes.get(phase).add(deployNote);
        return this;
    }

    public PlanBuilder purge(Step step) {
        purge.add(step);
        return this;
    }

    public PlanBuilder touch(String qualifiedColumn) {
        touches.add(qualifiedColumn);
        touchedSinceMark.add(qualifiedColumn);
        return this;
    }

    /** Touches one column of a table (its name in the unambiguous form of {@link dev.tandem.conflict.HeldObject#touch()}). */
    public PlanBuilder touch(dev.tandem.sql.QualifiedName table, String column) {
        return touch(dev.tandem.conflict.HeldObject.column(table, column).touch());
    }

    /** Touches a whole table (every column of it). */
    public PlanBuilder touchTable(dev.tandem.sql.QualifiedName table) {
        return touch(dev.tandem.conflict.HeldObject.table(table).touch());
    }

    /** Touches a relation that is not a table by its name ({@code schema.name}: an index a plan drops), held like a table of that name. */
    public PlanBuilder touchRelation(dev.tandem.sql.QualifiedName relation) {
        String t = dev.tandem.conflict.HeldObject.table(relation).touch();
        return touch(t.substring(0, t.length() - 2)); // without ".*": the form these names have always had
    }

    private final Set<String> touchedSinceMark = new TreeSet<>();

    private final Map<Phase, Integer> stepsAtMark = new EnumMap<>(Phase.class);
    private int purgeAtMark;

    /** Starts a new count of {@link #touchedSinceMark()} and {@link #stepsSinceMark()} (the planner marks before each intent). */
    public void mark() {
        touchedSinceMark.clear();
        for (Phase p : Phase.values()) {
            stepsAtMark.put(p, steps.get(p).size());
        }
        purgeAtMark = purge.size();
    }

    /** The steps (of every phase, then purge) added since the last {@link #mark()}. */
    public List<Step> stepsSinceMark() {
        List<Step> out = new ArrayList<>();
        for (Phase p : Phase.values()) {
            List<Step> l = steps.get(p);
            out.addAll(l.subList(stepsAtMark.getOrDefault(p, 0), l.size()));
        }
        out.addAll(purge.subList(purgeAtMark, purge.size()));
        return out;
    }

    /** What was touched since the last {@link #mark()} (a copy), including what an earlier intent touched too. */
    public Set<String> touchedSinceMark() {
        return new TreeSet<>(touchedSinceMark);
    }

    public PlanBuilder warn(String warning) {
        warnings.add(warning);
        return this;
    }

    public MigrationPlan build(String id, String description, String checksum, boolean offline) {
        List<PhasePlan> phases = new ArrayList<>();
        for (Phase p : Phase.values()) {
            phases.add(new PhasePlan(p, steps.get(p), String.join(" ", notes.get(p))));
        }
        return new MigrationPlan(id, description, checksum, offline, phases, purge, touches, List.copyOf(warnings));
    }
}
