package dev.tandem.conflict;

import dev.tandem.plan.MigrationPlan;
import java.util.Collection;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What one migration holds while it is started and not yet purged: every table and column its plan
 * creates, changes, retires or keeps for a rollback (retired columns, compatibility views), as the
 * recipes declare them in {@link MigrationPlan#touches()}. Intents that change a whole table
 * ({@code rename_table}, {@code drop_table}, {@code create_table}) hold the whole table, under its
 * old and its new name. Computed from the plan alone (no connection), so {@code check} gets the same
 * answer offline as {@code apply} online.
 *
 * <p>It does not look into raw SQL: a {@code sql} intent holds nothing.
 *
 * @param objects the held tables and columns, sorted
 */
public record Holdings(SortedSet<HeldObject> objects) {
    public Holdings {
        objects = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(objects));
    }

    public static Holdings of(MigrationPlan plan) {
        return ofTouches(plan.touches());
    }

    /** From a plan's touched names ({@code schema.table.column} or {@code schema.table.*}). */
    public static Holdings ofTouches(Collection<String> touches) {
        SortedSet<HeldObject> out = new TreeSet<>();
        touches.forEach(t -> out.add(HeldObject.parse(t)));
        return new Holdings(out);
    }

    public static Holdings of(Set<HeldObject> objects) {
        return new Holdings(new TreeSet<>(objects));
    }

    /** The first (in sort order) of these objects that {@code wanted} overlaps. */
    public Optional<HeldObject> firstOverlap(Holdings wanted) {
        for (HeldObject mine : objects) {
            for (HeldObject w : wanted.objects) {
                if (mine.overlaps(w)) {
                    return Optional.of(mine);
                }
            }
        }
        return Optional.empty();
    }

    public boolean isEmpty() {
        return objects.isEmpty();
    }
}
