package dev.tandem.lifecycle;

import dev.tandem.TandemException;
import dev.tandem.conflict.ConflictModel;
import dev.tandem.conflict.Holdings;
import dev.tandem.intent.Migration;
import dev.tandem.plan.Planner;
import dev.tandem.state.MigrationRecord;
import dev.tandem.state.MigrationRecord.Status;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The {@code next} of each migration where other migrations or a changed file decide it, for
 * {@code tandem status}: a pending migration that waits for a holder ({@link ConflictModel}, the same
 * rule and order {@code apply} uses), a started one whose file drifted, and {@code tandem apply}
 * while another started migration's file drifted (apply refuses all of them then). Ids it returns
 * nothing for keep {@link NextAction#of}.
 * <p>Pure apart from the caller's {@code nextOf} (the holder's own next command). Holdings of pending
 * migrations come from their offline plans; a file that does not plan (bad input) is left to
 * {@code apply} to report.
 */
public final class NextInContext {
    private NextInContext() {}

    /**
     * @param migrations the changelog, in its order
     * @param records the stored state by id
     * @param nextOf the plain next command of a stored migration ({@link NextAction#of} with its rollback flag)
     */
    public static Map<String, String> of(List<Migration> migrations, Map<String, MigrationRecord> records, Planner planner,
                                         Function<MigrationRecord, String> nextOf) {
        Map<String, String> out = new HashMap<>();
        Optional<Migration> drifted = Optional.empty();
        for (Migration m : migrations) {
            MigrationRecord r = records.get(m.id());
            if (r != null && !r.status().equals(Status.PENDING) && !r.checksum().equals(m.checksum())) {
                out.put(m.id(), NextAction.drifted(r, m.file()));
                drifted = drifted.or(() -> Optional.of(m));
            }
        }
        Map<String, ConflictModel.Holder> holders = new LinkedHashMap<>();
        for (MigrationRecord r : records.values()) {
            if (ConflictModel.holds(r) && r.planJson().isPresent()) {
                try {
                    holders.put(r.id(), new ConflictModel.Holder(r.id(), Holdings.of(dev.tandem.plan.PlanCodec.fromJson(r.planJson().get()))));
                } catch (RuntimeException e) {
                    // a stored plan this version cannot read: apply reports it
                }
            }
        }
        String firstWaiting = null;
        for (Migration m : migrations) {
            MigrationRecord r = records.get(m.id());
            boolean pending = r == null || r.status().equals(Status.PENDING);
            if (!pending || out.containsKey(m.id())) {
                continue;
            }
            Holdings wanted;
            try {
                wanted = Holdings.of(planner.plan(m, Optional.empty()));
            } catch (TandemException e) {
                continue;
            }
            Optional<ConflictModel.Wait> wait = ConflictModel.waitFor(m.id(), wanted, holders.values());
            if (wait.isPresent() && out.containsKey(wait.get().holder())) {
                // the holder is itself a pending migration that waits: this one comes after it
                out.put(m.id(), "after " + wait.get().holder() + ", which " + out.get(wait.get().holder()));
            } else if (wait.isPresent()) {
                MigrationRecord holder = records.get(wait.get().holder());
                String holderNext = holder == null || holder.status().equals(Status.PENDING) ? "tandem apply" : nextOf.apply(holder);
                out.put(m.id(), NextAction.waiting(wait.get(), holderNext));
                firstWaiting = firstWaiting == null ? m.id() : firstWaiting;
            } else if (firstWaiting != null) {
                // apply stops before the first waiting migration, so this one does not start either
                out.put(m.id(), "after " + firstWaiting + " (apply stops before it), which " + out.get(firstWaiting));
            }
            // apply would start it (or it waits): either way it holds what it wants from here on
            holders.put(m.id(), new ConflictModel.Holder(m.id(), wanted));
        }
        if (drifted.isPresent()) {
            Migration d = drifted.get();
            for (Migration m : migrations) {
                MigrationRecord r = records.get(m.id());
                String next = out.containsKey(m.id()) ? null : r == null ? "tandem apply" : nextOf.apply(r);
                if ("tandem apply".equals(next)) {
                    out.put(m.id(), NextAction.afterRestoring(next, d.id(), d.file()));
                }
            }
        }
        return out;
    }
}
