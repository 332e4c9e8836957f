package dev.tandem.conflict;

import dev.tandem.state.MigrationRecord;
import dev.tandem.state.MigrationRecord.Status;
import java.util.Collection;
import java.util.Optional;

/**
 * The one rule for which migrations may be in flight together (a release train), used by both
 * {@code apply} (against the stored state) and {@code check} (offline, assuming every earlier
 * migration is still unpurged): a migration that wants an object another started, unpurged migration
 * holds ({@link Holdings}) waits for that holder. The hold is released when the holder is purged or
 * rolled back entirely (status {@code pending} again).
 *
 * <p>It does not order migrations (the changelog does) and does not decide what runs next.
 */
public final class ConflictModel {
    /** A migration that holds objects. */
    public record Holder(String id, Holdings holdings) {}

    /**
     * Why a migration must wait.
     *
     * @param holder the migration that holds the object
     * @param object what the holder holds
     * @param wanted what the waiting migration wants to change (overlapping {@code object})
     */
    public record Wait(String holder, HeldObject object, HeldObject wanted) {
        /** "waits for ID (it holds table public.t, which this migration changes: column public.t.v)". */
        public String message() {
            if (wanted.everything()) {
                return "waits for " + holder + " (this migration's raw sql names tables Tandem cannot tell, so it waits for every"
                        + " unpurged migration in flight; " + holder + " holds " + object + ")";
            }
            String what = object.equals(wanted) ? object.toString() : object + ", and this migration changes " + wanted;
            return "waits for " + holder + " (it holds " + what + ")";
        }
    }

    private ConflictModel() {}

    /** Whether a stored migration holds its objects: started (in progress, interrupted or contracted) and not purged. */
    public static boolean holds(MigrationRecord r) {
        String s = r.status();
        return !s.equals(Status.PENDING) && !s.equals(Status.PURGED);
    }

    /** The first holder (in the given order), other than {@code id} itself, that holds something {@code wanted} overlaps. */
    public static Optional<Wait> waitFor(String id, Holdings wanted, Collection<Holder> holders) {
        for (Holder h : holders) {
            if (h.id().equals(id)) {
                continue;
            }
            Optional<HeldObject> held = h.holdings().firstOverlap(wanted);
            if (held.isPresent()) {
                HeldObject w = wanted.unknown() ? HeldObject.EVERYTHING
                        : wanted.objects().stream().filter(held.get()::overlaps).findFirst().orElseThrow();
                return Optional.of(new Wait(h.id(), held.get(), w));
            }
        }
        return Optional.empty();
    }
}
