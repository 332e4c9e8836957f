package dev.tandem.fleet;

import dev.tandem.TandemException;
import dev.tandem.intent.Migration;
import dev.tandem.lifecycle.AdvanceCommand;
import dev.tandem.lifecycle.ApplyCommand;
import dev.tandem.lifecycle.RollbackCommand;
import dev.tandem.lifecycle.StatusCommand;
import dev.tandem.lifecycle.Workspace;
import dev.tandem.plan.Phase;
import dev.tandem.readiness.ContractReadiness;
import dev.tandem.readiness.ContractReadinessCheck;
import dev.tandem.readiness.ReadinessRenderer;
import dev.tandem.source.ChangelogSource;
import dev.tandem.state.MigrationRecord;
import dev.tandem.state.MigrationRecord.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The single-database commands of {@code lifecycle/} as {@link FleetRunner.TargetAction}s, each
 * run in its own {@link Workspace} on one target. They are what {@code tandem apply},
 * {@code switch-reads}, {@code contract}, {@code rollback} and {@code status} do, with one
 * difference for re-runs: a target already where the command leads is reported ok ("already at
 * …"), so running a fleet command again resumes exactly the targets that are not done. For that
 * reason fleet rollback takes {@code --to PHASE} or {@code --all} (a bare "undo one phase" would
 * undo one more on every re-run).
 */
public final class FleetActions {
    private FleetActions() {}

    /** {@code tandem apply}: expand, dual-write and backfill (or up to {@code to}) of each pending migration. */
    public static FleetRunner.TargetAction apply(ChangelogSource source, Phase to) {
        return (t, s) -> {
            try (Workspace ws = Workspace.forWriting(s)) {
                String state = s.plan().stateSchema();
                List<Migration> migrations = source.pending(ws.connection(), state);
                source.remember(ws.connection(), state, migrations);
                ApplyCommand.Result r = new ApplyCommand(ws).run(migrations, to);
                List<Object> rows = new ArrayList<>();
                List<String> lines = new ArrayList<>();
                for (ApplyCommand.Outcome o : r.outcomes()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("id", o.id());
                    row.put("status", o.status());
                    row.put("phase", o.phase().map(Phase::wireName).orElse(null));
                    row.put("message", o.message());
                    rows.add(row);
                    lines.add(o.id() + ": " + o.message());
                }
                Map<String, Object> detail = new LinkedHashMap<>();
                detail.put("migrations", rows);
                detail.put("waiting_for", r.waitingFor().orElse(null));
                return new FleetRunner.Outcome(lines.isEmpty() ? "nothing to apply" : String.join("; ", lines), detail);
            }
        };
    }

    /** {@code tandem switch-reads ID}. */
    public static FleetRunner.TargetAction switchReads(String id) {
        return (t, s) -> {
            try (Workspace ws = Workspace.forWriting(s)) {
                return new FleetRunner.Outcome(new AdvanceCommand(ws).run(id, Phase.SWITCH_READS), null);
            }
        };
    }

    /**
     * {@code tandem contract ID}: the readiness gate on this target first; not ready refuses with
     * exit 4 and changes nothing unless {@code force} (then recorded in the target's history).
     */
    public static FleetRunner.TargetAction contract(String id, Duration quietPeriod, boolean force) {
        return (t, s) -> {
            try (Workspace ws = Workspace.forWriting(s)) {
                MigrationRecord rec = ws.record(id);
                Map<String, Object> detail = new LinkedHashMap<>();
                if (rec.phase().map(p -> p == Phase.SWITCH_READS).orElse(false)) {
                    ContractReadiness r = new ContractReadinessCheck(ws).run(id, quietPeriod);
                    detail.put("readiness", ReadinessRenderer.document(r));
                    if (!r.ready() && !force) {
                        throw new TandemException(TandemException.CHECK_FAILED, "contract of " + id + " refused: not ready ("
                                + r.blockers().size() + " blocker(s): " + String.join(" | ", r.blockers()) + "); nothing changed");
                    }
                    if (!r.ready()) {
                        ws.store().log(ws.connection(), id, Phase.CONTRACT, null, "contract-forced",
                                "fleet: forced past " + r.blockers().size() + " blocker(s): " + String.join(" | ", r.blockers()));
                        ws.log("contract forced by " + ws.store().who() + "; recorded in the history");
                    }
                }
                return new FleetRunner.Outcome(new AdvanceCommand(ws).run(id, Phase.CONTRACT), detail);
            }
        };
    }

    /**
     * {@code tandem rollback ID --to PHASE} or {@code --all}; a target already at or before
     * {@code PHASE} (or with nothing applied, for all), or that never started the migration, is ok.
     */
    public static FleetRunner.TargetAction rollback(String id, Optional<Phase> keep, boolean all) {
        if (keep.isEmpty() && !all) {
            throw TandemException.badInput("fleet rollback needs --to PHASE or --all, so that running it again undoes nothing more");
        }
        return (t, s) -> {
            try (Workspace ws = Workspace.forWriting(s)) {
                Optional<MigrationRecord> rec = ws.records().values().stream().filter(r -> r.id().equals(id)).findFirst();
                if (rec.isEmpty()) {
                    return new FleetRunner.Outcome(id + ": not started on this target; nothing to roll back", null);
                }
                MigrationRecord r = rec.get();
                boolean interrupted = r.status().equals(Status.INTERRUPTED);
                boolean done = !interrupted && (all ? r.phase().isEmpty()
                        : r.phase().map(p -> p.ordinal() <= keep.get().ordinal()).orElse(true));
                if (done) {
                    return new FleetRunner.Outcome(id + ": already at " + r.phase().map(Phase::wireName).orElse("no phase"), null);
                }
                List<Phase> undone = new RollbackCommand(ws).run(id, keep, all);
                List<String> names = undone.stream().map(Phase::wireName).toList();
                return new FleetRunner.Outcome(id + ": rolled back " + String.join(", ", names), Map.of("rolled_back", names));
            }
        };
    }

    /**
     * {@code tandem status}: read-only; the detail is {@code {migrations: [status rows], last_error}}
     * where {@code last_error} is the latest fleet note when it is an error ({@link FleetJournal}).
     */
    public static FleetRunner.TargetAction status(Optional<ChangelogSource> source) {
        return (t, s) -> {
            try (Workspace ws = Workspace.forReading(s)) {
                String state = s.plan().stateSchema();
                List<Migration> migrations = source.isPresent() ? source.get().pending(ws.connection(), state) : List.of();
                List<Map<String, Object>> rows = new StatusCommand(ws).run(migrations);
                Map<String, Object> detail = new LinkedHashMap<>();
                // plain JSON values (timestamps as text), the same as `tandem status --format json` prints
                detail.put("migrations", ((Map<?, ?>) dev.tandem.util.Json.parse(
                        dev.tandem.cli.render.StatusRenderer.json(rows))).get("migrations"));
                detail.put("last_error", ws.store().exists(ws.connection())
                        ? FleetJournal.lastError(ws.connection(), state).orElse(null) : null);
                return new FleetRunner.Outcome(rows.size() + " migration(s)", detail);
            }
        };
    }
}
