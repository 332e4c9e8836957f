package dev.tandem.lifecycle;

import dev.tandem.TandemException;
import dev.tandem.catalog.CatalogSnapshot;
import dev.tandem.conflict.ConflictModel;
import dev.tandem.conflict.Holdings;
import dev.tandem.intent.Migration;
import dev.tandem.plan.MigrationPlan;
import dev.tandem.plan.Phase;
import dev.tandem.plan.PlanCodec;
import dev.tandem.plan.UserTriggerFiring;
import dev.tandem.state.MigrationRecord;
import dev.tandem.state.MigrationRecord.Status;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code tandem apply}: for each pending or interrupted migration in order, runs expand, dual-write
 * and backfill (or up to {@code --to}). Before any DDL, every pending migration is planned against
 * the live catalog as the earlier ones will leave it, so an unknown table or column fails with exit
 * 2 and nothing changed; so does a backfill that would fire the table's own triggers the role may not
 * suppress ({@link UserTriggerFiring}; {@code --allow-user-triggers} lets them fire). Migrations may
 * be in flight together (a release train) unless the later one wants a table or column an earlier
 * started, unpurged one holds ({@link ConflictModel}): then apply stops before the later one, names
 * the holder and the object, and exits 0.
 */
public final class ApplyCommand {
    /** What happened to one migration. */
    public record Outcome(String id, String status, Optional<Phase> phase, String message) {}

    /** All outcomes, in changelog order; {@code waitingFor} names the blocking migration when apply stopped early. */
    public record Result(List<Outcome> outcomes, Optional<String> waitingFor) {}

    private final Workspace ws;

    public ApplyCommand(Workspace ws) {
        this.ws = ws;
    }

    public Result run(List<Migration> migrations, Phase to) throws SQLException {
        if (to.ordinal() > Phase.BACKFILL.ordinal()) {
            throw TandemException.badInput("apply runs expand, dual-write and backfill only; use `tandem switch-reads` and `tandem contract` for the rest");
        }
        Map<String, MigrationRecord> records = ws.records();
        Checks.refuseDrift(migrations, records);
        Checks.refuseOutOfOrder(migrations, records);
        validate(migrations, records, to);

        List<Outcome> outcomes = new ArrayList<>();
        Map<String, ConflictModel.Holder> holders = holders(records);
        for (Migration m : migrations) {
            MigrationRecord rec = records.get(m.id());
            boolean pending = rec == null || rec.status().equals(Status.PENDING);
            if (!pending && !rec.status().equals(Status.INTERRUPTED) && rec.phase().map(p -> p.ordinal() >= to.ordinal()).orElse(false)) {
                outcomes.add(new Outcome(m.id(), rec.status(), rec.phase(), "already at " + rec.phase().get()));
                continue;
            }
            if (!pending && rec.status().equals(Status.INTERRUPTED) && rec.phase().map(p -> p.ordinal() > Phase.BACKFILL.ordinal()).orElse(false)) {
                outcomes.add(new Outcome(m.id(), rec.status(), rec.phase(), "interrupted after " + rec.phase().get()
                        + "; finish it with `tandem " + rec.phase().get().next().orElseThrow() + " " + m.id() + "` or roll it back"));
                continue;
            }
            MigrationPlan plan;
            if (pending) {
                Holdings wanted = Holdings.of(ws.planner().plan(m, Optional.empty()));
                Optional<ConflictModel.Wait> wait = ConflictModel.waitFor(m.id(), wanted, holders.values());
                if (wait.isPresent()) {
                    String msg = wait.get().message() + "; finish it with switch-reads, contract and purge (or roll it back) first";
                    ws.log(m.id() + " " + msg);
                    outcomes.add(new Outcome(m.id(), Status.PENDING, Optional.empty(), msg));
                    return new Result(outcomes, Optional.of(wait.get().holder()));
                }
                CatalogSnapshot live = ws.catalog(List.of(m));
                plan = ws.planner().plan(m, Optional.of(live));
                Preflight.check(ws.connection(), m, live, ws.settings().plan());
                plan = RoundTripProbe.withWarnings(plan, RoundTripProbe.warnings(ws.connection(), m, live, ws.settings().plan().defaultSchema()));
                // a warning, not a refusal: said on stderr, and the migration goes on
                plan.warnings().stream().filter(RoundTripProbe::isRoundTripWarning).forEach(w -> ws.log(m.id() + " warning: " + w));
                ws.store().start(ws.connection(), m.id(), m.checksum(), m.description(), PlanCodec.toJson(plan));
                new dev.tandem.state.OfflinePlans(ws.settings().plan().stateSchema()).save(ws.connection(), m.id(), ws.planner().plan(m, Optional.empty()));
                ws.store().log(ws.connection(), m.id(), null, null, "plan", "checksum " + m.checksum());
            } else {
                plan = ws.storedPlan(rec);
            }
            Phase from = pending ? Phase.EXPAND : rec.phase().flatMap(Phase::next).orElse(Phase.EXPAND);
            for (Phase p = from; p.ordinal() <= to.ordinal(); p = p.next().orElseThrow()) {
                ws.executor().apply(ws.connection(), plan, p);
            }
            holders.put(m.id(), new ConflictModel.Holder(m.id(), Holdings.of(plan)));
            String note = plan.phase(to).deployNote();
            outcomes.add(new Outcome(m.id(), Status.IN_PROGRESS, Optional.of(to), to + " applied" + (note.isEmpty() ? "" : ". " + note)));
        }
        return new Result(outcomes, Optional.empty());
    }

    /** Plans every pending migration on the catalog the earlier ones project, so bad input fails before any DDL. */
    private void validate(List<Migration> migrations, Map<String, MigrationRecord> records, Phase to) throws SQLException {
        CatalogSnapshot snapshot = ws.catalog(migrations);
        Map<String, ConflictModel.Holder> holders = holders(records);
        for (Migration m : migrations) {
            MigrationRecord rec = records.get(m.id());
            if (rec == null || rec.status().equals(Status.PENDING)) {
                Holdings wanted = Holdings.of(ws.planner().plan(m, Optional.empty()));
                boolean waits = ConflictModel.waitFor(m.id(), wanted, holders.values()).isPresent();
                holders.put(m.id(), new ConflictModel.Holder(m.id(), wanted));
                // a migration that will wait for a holder is still validated (bad input fails now, before any DDL),
                // but without the views: the live ones include the holders' own compatibility views, which are gone
                // by the time it runs; its views are checked by the apply that runs it
                CatalogSnapshot against = waits
                        ? new CatalogSnapshot(snapshot.serverVersionNum(), snapshot.tables(), Map.of(), snapshot.role())
                        : snapshot;
                refuseUserTriggers(m.id(), ws.planner().plan(m, Optional.of(against)), Phase.EXPAND, to, against);
            } else if (rec.inFlight() && rec.phase().map(p -> p.ordinal() < to.ordinal()).orElse(Boolean.TRUE)) {
                Phase from = rec.phase().flatMap(Phase::next).orElse(Phase.EXPAND);
                refuseUserTriggers(m.id(), ws.storedPlan(rec), from, to, snapshot);
            }
            snapshot = ws.planner().project(m, snapshot);
        }
    }

    /** The started, unpurged migrations and what each holds ({@link ConflictModel#holds}). */
    private Map<String, ConflictModel.Holder> holders(Map<String, MigrationRecord> records) {
        Map<String, ConflictModel.Holder> holders = new LinkedHashMap<>();
        for (MigrationRecord r : records.values()) {
            if (ConflictModel.holds(r)) {
                holders.put(r.id(), new ConflictModel.Holder(r.id(), Holdings.of(ws.storedPlan(r))));
            }
        }
        return holders;
    }

    /**
     * Exit 2 before any DDL when a backfill of the phases to run would fire the table's own triggers
     * and the role may not suppress them, unless {@code --allow-user-triggers}.
     */
    private void refuseUserTriggers(String id, MigrationPlan plan, Phase from, Phase to, CatalogSnapshot catalog) {
        if (ws.settings().backfill().allowUserTriggers()) {
            return;
        }
        Set<Phase> phases = new HashSet<>();
        for (Phase p = from; p.ordinal() <= to.ordinal(); p = p.next().orElseThrow()) {
            phases.add(p);
            if (p.next().isEmpty()) {
                break;
            }
        }
        UserTriggerFiring.refuse(id, "apply", UserTriggerFiring.unsuppressed(UserTriggerFiring.find(plan, catalog), phases, false),
                catalog.role());
    }
}
