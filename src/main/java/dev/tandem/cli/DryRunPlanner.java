package dev.tandem.cli;

import dev.tandem.TandemException;
import dev.tandem.catalog.CatalogSnapshot;
import dev.tandem.intent.Migration;
import dev.tandem.lifecycle.DriftCheck;
import dev.tandem.lifecycle.Workspace;
import dev.tandem.plan.MigrationPlan;
import dev.tandem.plan.Phase;
import dev.tandem.state.MigrationRecord;
import dev.tandem.state.MigrationRecord.Status;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Works out, from the current state in a read-only workspace, what each changing command would run,
 * for {@code --dry-run}. It checks drift and the migration's status the way the commands do at their
 * start, but not what they only find out while running (locks, blockers, in-flight overlaps).
 */
final class DryRunPlanner {
    private final Workspace ws;

    DryRunPlanner(Workspace ws) {
        this.ws = ws;
    }

    /** {@code apply --to TO}: the remaining phases up to TO of every migration of the changelog. */
    DryRun apply(List<Migration> migrations, Phase to) throws SQLException {
        Map<String, MigrationRecord> records = ws.records();
        DriftCheck.refuse(migrations, records);
        DryRun d = new DryRun();
        CatalogSnapshot snapshot = ws.catalog(migrations);
        for (Migration m : migrations) {
            MigrationRecord r = records.get(m.id());
            if (r == null || r.status().equals(Status.PENDING)) {
                MigrationPlan plan = ws.planner().plan(m, Optional.of(snapshot));
                for (Phase p = Phase.EXPAND; p.compareTo(to) <= 0; p = p.next().orElseThrow()) {
                    d.apply(plan, p);
                    if (p == to) {
                        break;
                    }
                }
            } else if (r.status().equals(Status.IN_PROGRESS) || r.status().equals(Status.INTERRUPTED)) {
                MigrationPlan plan = ws.storedPlan(r);
                Optional<Phase> next = r.phase().isEmpty() ? Optional.of(Phase.EXPAND) : r.phase().flatMap(Phase::next);
                for (Optional<Phase> p = next; p.isPresent() && p.get().compareTo(to) <= 0; p = p.get().next()) {
                    d.apply(plan, p.get());
                }
            }
            snapshot = ws.planner().project(m, snapshot);
        }
        return d;
    }

    /** switch-reads, contract, backfill: that one phase of a started migration. */
    DryRun advance(String id, Phase phase) throws SQLException {
        MigrationRecord r = started(id);
        Phase expected = phase.previous().orElseThrow();
        if (phase != Phase.BACKFILL && r.phase().map(p -> p != expected).orElse(true)) {
            throw TandemException.badInput("migration " + id + " is " + r.status() + r.phase().map(p -> " at " + p).orElse("")
                    + "; " + phase.wireName() + " needs " + expected.wireName() + " applied");
        }
        DryRun d = new DryRun();
        d.apply(ws.storedPlan(r), phase);
        return d;
    }

    /** purge: the purge steps of a contracted migration. */
    DryRun purge(String id) throws SQLException {
        MigrationRecord r = started(id);
        if (!r.status().equals(Status.CONTRACTED)) {
            throw TandemException.badInput("migration " + id + " is " + r.status() + "; purge needs contract first");
        }
        DryRun d = new DryRun();
        d.purge(ws.storedPlan(r));
        return d;
    }

    /** rollback [--to KEEP | --all]: the phases it would undo, latest first. */
    DryRun rollback(String id, Optional<Phase> keep, boolean all) throws SQLException {
        MigrationRecord r = started(id);
        Optional<Phase> latest = r.status().equals(Status.INTERRUPTED)
                ? Optional.of(r.phase().flatMap(Phase::next).orElse(Phase.EXPAND)) : r.phase();
        if (latest.isEmpty()) {
            throw TandemException.badInput("migration " + id + " has no phase applied; nothing to roll back");
        }
        MigrationPlan plan = ws.storedPlan(r);
        DryRun d = new DryRun();
        for (Optional<Phase> p = latest; p.isPresent(); p = p.get().previous()) {
            if (keep.isPresent() && p.get().compareTo(keep.get()) <= 0) {
                break;
            }
            d.rollback(plan, p.get());
            if (!all && keep.isEmpty()) {
                break;
            }
        }
        return d;
    }

    private MigrationRecord started(String id) throws SQLException {
        MigrationRecord r = ws.record(id);
        if (r.status().equals(Status.PURGED)) {
            throw TandemException.badInput("migration " + id + " is purged");
        }
        return r;
    }
}
