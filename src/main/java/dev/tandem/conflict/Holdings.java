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
 * <p>A {@code sql} intent holds the tables its statements name ({@link SqlTargets}); when it cannot
 * tell, it wants {@link HeldObject#EVERYTHING} and so waits for every unpurged migration in flight.
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

    /**
     * The first (in sort order) of these objects that {@code wanted} overlaps. When {@code wanted}
     * includes {@link HeldObject#EVERYTHING} (raw sql Tandem cannot read) every holder is
     * overlapped: its first object, or {@code EVERYTHING} when it holds nothing Tandem can name. A
     * held {@code EVERYTHING} holds nothing beyond the tables it names.
     */
    public Optional<HeldObject> firstOverlap(Holdings wanted) {
        if (wanted.unknown()) {
            return objects.stream().filter(o -> !o.everything()).findFirst().or(() -> Optional.of(HeldObject.EVERYTHING));
        }
        for (HeldObject mine : objects) {
            if (mine.everything()) {
                continue;
            }
            for (HeldObject w : wanted.objects) {
                if (mine.overlaps(w)) {
                    return Optional.of(mine);
                }
            }
        }
        return Optional.empty();
    }

    /** Whether it includes raw sql whose targets Tandem cannot tell ({@link HeldObject#EVERYTHING}). */
    public boolean unknown() {
        return objects.contains(HeldObject.EVERYTHING);
    }

    public boolean isEmpty() {
        return objects.isEmpty();
    }
}
