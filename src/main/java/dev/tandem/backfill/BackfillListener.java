package dev.tandem.backfill;

/**
 * Hears about a running backfill: called on the backfill's own thread after every batch and
 * whenever it starts or stops waiting on a throttle, so it must return quickly and must not throw.
 * Set one with {@code BackfillOptions.toBuilder().listener(…)}.
 * <p>It cannot steer the backfill; use the pause flag ({@code tandem backfill ID --pause}) or a
 * throttle query for that.
 */
@FunctionalInterface
public interface BackfillListener {
    /** A listener that ignores everything. */
    BackfillListener NONE = p -> { };

    void progress(BackfillProgress progress);
}
