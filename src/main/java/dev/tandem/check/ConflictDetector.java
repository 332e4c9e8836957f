package dev.tandem.check;

import dev.tandem.conflict.ConflictModel;
import dev.tandem.conflict.Holdings;
import dev.tandem.plan.SameColumnRule;
import dev.tandem.report.Finding;
import dev.tandem.report.Severity;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Finds intents that cannot both be right, from what each one touches, creates and removes
 * ({@link IntentEffects}), in changelog order:
 * <ul>
 *   <li>{@code check/conflict} (error): two intents of one migration change the same column and
 *       {@link SameColumnRule} says they clash (the rule {@code apply} refuses with); an intent touches a column an earlier migration renamed
 *       or dropped; an intent creates a column an earlier one already created.</li>
 *   <li>{@code check/overlap} (warning): a migration wants a table or column an earlier migration
 *       holds ({@link ConflictModel}, the same rule {@code apply} uses): legal in sequence, but
 *       {@code apply} waits until the earlier one is purged (or rolled back).</li>
 * </ul>
 * It does not know which migrations are already applied (check has no database), so it compares
 * all of them.
 */
final class ConflictDetector {
    /**
     * One planned intent.
     *
     * @param migration its migration id
     * @param file the changelog file
     * @param line position of the intent
     * @param column position of the intent
     * @param kind the intent kind
     * @param touches columns its plan changes
     * @param creates columns it brings into being
     * @param removes columns (or {@code t.*}) it makes disappear
     * @param removalVerb how it removes them, for messages
     */
    record Entry(String migration, String file, int line, int column, String kind, Set<String> touches, Set<String> creates,
                 Set<String> removes, String removalVerb) {}

    private ConflictDetector() {}

    static List<Finding> find(List<Entry> entries) {
        List<Finding> out = new ArrayList<>();
        Map<String, Entry> removedBy = new HashMap<>();
        Map<String, Entry> createdBy = new HashMap<>();
        Map<String, Set<String>> heldBy = new LinkedHashMap<>();
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            for (int j = 0; j < i; j++) {
                Entry other = entries.get(j);
                if (other.migration.equals(e.migration)) {
                    for (String col : e.touches) {
                        if (SameColumnRule.overlaps(col, other.touches) && SameColumnRule.clash(e.kind, other.kind)) {
                            out.add(error(e, e.kind + ": " + SameColumnRule.message(col, e.kind, other.kind, other.line)));
                            break; // one finding per pair of changes, as apply refuses at the first column
                        }
                    }
                }
            }
            boolean refersToRemoved = false;
            for (String col : e.touches) {
                Entry remover = removed(removedBy, col);
                if (remover != null && !remover.migration.equals(e.migration) && !e.creates.contains(col)) {
                    refersToRemoved = true;
                    out.add(error(e, e.kind + " touches " + col + ", but migration " + remover.migration + " (" + remover.file
                            + ":" + remover.line + ") " + remover.removalVerb + "; refer to the column by its new name"));
                }
            }
            Optional<ConflictModel.Wait> wait = refersToRemoved ? Optional.empty()
                    : ConflictModel.waitFor(e.migration, Holdings.ofTouches(e.touches), holders(heldBy));
            if (wait.isPresent()) {
                out.add(new Finding(e.file, e.line, e.column, "check/overlap", Severity.WARNING, "migration " + e.migration
                        + " " + wait.get().message() + "; they must not be in flight together: apply stops before "
                        + e.migration + " while " + wait.get().holder() + " is not purged",
                        "purge (or roll back) " + wait.get().holder() + " before applying " + e.migration));
            }
            heldBy.computeIfAbsent(e.migration, k -> new LinkedHashSet<>()).addAll(e.touches);
            for (String col : e.creates) {
                Entry creator = createdBy.get(col);
                if (creator != null && !creator.migration.equals(e.migration) && removed(removedBy, col) == null) {
                    out.add(error(e, e.kind + " creates " + col + ", which migration " + creator.migration + " ("
                            + creator.file + ":" + creator.line + ") already creates"));
                }
            }
            for (String col : e.removes) {
                removedBy.put(col, e);
                createdBy.remove(col);
            }
            for (String col : e.creates) {
                createdBy.put(col, e);
                removedBy.remove(col);
            }
        }
        return out;
    }

    private static List<ConflictModel.Holder> holders(Map<String, Set<String>> heldBy) {
        List<ConflictModel.Holder> out = new ArrayList<>();
        heldBy.forEach((id, touches) -> out.add(new ConflictModel.Holder(id, Holdings.ofTouches(touches))));
        return out;
    }

    /** The entry that removed the column or its whole table, or null. */
    private static Entry removed(Map<String, Entry> removedBy, String col) {
        Entry direct = removedBy.get(col);
        if (direct != null) {
            return direct;
        }
        int dot = col.lastIndexOf('.');
        return dot < 0 ? null : removedBy.get(col.substring(0, dot) + ".*");
    }

    private static Finding error(Entry e, String message) {
        return new Finding(e.file, e.line, e.column, "check/conflict", Severity.ERROR, message,
                "split or reorder the migrations so each column is changed by one migration at a time");
    }
}
