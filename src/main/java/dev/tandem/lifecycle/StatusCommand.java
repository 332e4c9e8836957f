package dev.tandem.lifecycle;

import dev.tandem.backfill.BackfillCheckpoint;
import dev.tandem.backfill.BackfillProgress;
import dev.tandem.backfill.CheckpointStore;
import dev.tandem.intent.Migration;
import dev.tandem.plan.Phase;
import dev.tandem.state.MigrationRecord;
import dev.tandem.state.MigrationRecord.Status;
import dev.tandem.state.StateStore.Checkpoint;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@code tandem status}: every migration known from the changelog or from the state, with its last
 * applied phase, status, whether its file still matches, who acted last and backfill progress.
 * Read-only: creates nothing, takes no lock.
 */
public final class StatusCommand {
    private final Workspace ws;

    public StatusCommand(Workspace ws) {
        this.ws = ws;
    }

    /**
     * Rows with keys id, phase, status, checksum_ok, file, applied_by, updated_at, backfill, next (the
     * command that moves the migration on, see {@link NextAction}).
     */
    public List<Map<String, Object>> run(List<Migration> migrations) throws SQLException {
        Map<String, MigrationRecord> records = ws.records();
        Map<String, Migration> files = new TreeMap<>();
        migrations.forEach(m -> files.put(m.id(), m));
        TreeMap<String, Boolean> ids = new TreeMap<>();
        files.keySet().forEach(id -> ids.put(id, true));
        records.keySet().forEach(id -> ids.put(id, true));
        List<Map<String, Object>> rows = new ArrayList<>();
        // where other migrations (a holder to wait for) or a changed file decide what runs next
        Map<String, String> nextInContext = NextInContext.of(migrations, records, ws.planner(), this::plainNext);
        // an interrupted phase while another Tandem holds the advisory lock is most likely running right now
        Optional<String> worker = dev.tandem.execute.AdvisoryLock.heldBy(ws.connection(), ws.settings().plan().stateSchema());
        for (String id : ids.keySet()) {
            MigrationRecord r = records.get(id);
            Migration m = files.get(id);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", id);
            row.put("phase", r == null ? null : r.phase().map(Phase::wireName).orElse(null));
            boolean running = r != null && r.status().equals(Status.INTERRUPTED) && worker.isPresent();
            row.put("status", r == null ? Status.PENDING : running ? Status.RUNNING : r.status());
            if (running) {
                row.put("running_in", worker.get());
            }
            row.put("checksum_ok", m == null ? null : Boolean.valueOf(!Checks.drifted(m, r)));
            row.put("file", m == null ? null : m.file());
            row.put("applied_by", r == null ? null : r.appliedBy());
            row.put("updated_at", r == null ? null : r.updatedAt());
            row.put("backfill", r == null ? null : backfill(r));
            boolean rollingBack = r != null && r.status().equals(Status.INTERRUPTED)
                    && ws.store().lastActionWasRollback(ws.connection(), id);
            row.put("next", nextInContext.getOrDefault(id, NextAction.of(r, rollingBack, m != null)));
            rows.add(row);
        }
        return rows;
    }

    /** {@link NextAction#of} for a stored migration whose file exists. */
    private String plainNext(MigrationRecord r) {
        try {
            return NextAction.of(r, r.status().equals(Status.INTERRUPTED) && ws.store().lastActionWasRollback(ws.connection(), r.id()), true);
        } catch (SQLException e) {
            throw dev.tandem.TandemException.runtime("cannot read the journal of " + r.id() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Progress of the migration's latest backfill from its checkpoint (the numbers the progress line
     * shows), or null. Only current facts: a checkpoint exists only while its step is journaled (undoing
     * the step deletes it), and once contract has run the forward backfill is history (a contracted,
     * purging or purged migration shows only a re-sync of contract's rollback that is under way).
     */
    private Map<String, Object> backfill(MigrationRecord r) throws SQLException {
        String id = r.id();
        boolean pastContract = r.status().equals(Status.CONTRACTED) || r.status().equals(Status.PURGING)
                || r.status().equals(Status.PURGED) || r.phase().map(p -> p.ordinal() >= Phase.CONTRACT.ordinal()).orElse(false);
        CheckpointStore store = new CheckpointStore(ws.settings().plan().stateSchema());
        Map<String, Object> backfill = null;
        if (!store.upToDate(ws.connection())) { // a state schema of an earlier version: the columns it has
            if (pastContract) {
                return null; // its checkpoints do not say their phase
            }
            for (Checkpoint cp : ws.store().checkpoints(ws.connection(), id)) {
                backfill = new LinkedHashMap<>();
                backfill.put("pass", cp.pass());
                backfill.put("finished", cp.finished());
                backfill.put("rows_updated", cp.rowsUpdated());
                backfill.put("batches", cp.batches());
                backfill.put("last_key", cp.lastKey());
            }
            return backfill;
        }
        Optional<String> pausedBy = store.pausedBy(ws.connection(), id);
        for (CheckpointStore.Entry e : store.all(ws.connection(), id)) {
            if (pastContract && !Phase.CONTRACT.wireName().equals(e.phase())) {
                continue;
            }
            BackfillCheckpoint cp = e.checkpoint();
            BackfillProgress p = new BackfillProgress(e.table() == null ? "" : e.table(), cp.pass(), cp.rowsDone(), cp.rowsEstimate(),
                    cp.rowsCopied(), cp.rowsRepaired(), cp.batches(), cp.batchSize(), cp.rowsPerSecond(),
                    Optional.ofNullable(cp.throttle()), cp.finished());
            backfill = new LinkedHashMap<>();
            backfill.put("table", e.table());
            backfill.put("phase", e.phase());
            backfill.put("pass", cp.pass());
            backfill.put("finished", cp.finished());
            backfill.put("percent", Math.round(p.fraction() * 1000) / 10.0);
            backfill.put("rows_done", cp.rowsDone());
            backfill.put("rows_estimate", cp.rowsEstimate());
            backfill.put("rows_copied", cp.rowsCopied());
            backfill.put("rows_repaired", cp.rowsRepaired());
            backfill.put("rows_updated", cp.rowsUpdated());
            backfill.put("batches", cp.batches());
            backfill.put("batch_size", cp.batchSize());
            backfill.put("rows_per_s", Math.round(cp.rowsPerSecond()));
            backfill.put("eta_s", cp.finished() ? null : p.etaSeconds().orElse(null));
            backfill.put("throttle", cp.finished() ? null : cp.throttle());
            backfill.put("paused", pausedBy.isPresent());
            backfill.put("last_key", cp.lastKey());
            backfill.put("updated_at", e.updatedAt());
        }
        return backfill;
    }
}
