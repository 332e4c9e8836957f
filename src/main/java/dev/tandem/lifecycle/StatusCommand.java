package dev.tandem.lifecycle;

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

    /** Rows with keys id, phase, status, checksum_ok, file, applied_by, updated_at, backfill. */
    public List<Map<String, Object>> run(List<Migration> migrations) throws SQLException {
        Map<String, MigrationRecord> records = ws.records();
        Map<String, Migration> files = new TreeMap<>();
        migrations.forEach(m -> files.put(m.id(), m));
        TreeMap<String, Boolean> ids = new TreeMap<>();
        files.keySet().forEach(id -> ids.put(id, true));
        records.keySet().forEach(id -> ids.put(id, true));
        List<Map<String, Object>> rows = new ArrayList<>();
        for (String id : ids.keySet()) {
            MigrationRecord r = records.get(id);
            Migration m = files.get(id);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", id);
            row.put("phase", r == null ? null : r.phase().map(Phase::wireName).orElse(null));
            row.put("status", r == null ? Status.PENDING : r.status());
            row.put("checksum_ok", m == null || r == null || r.status().equals(Status.PENDING) ? (m == null ? null : Boolean.TRUE)
                    : Boolean.valueOf(r.checksum().equals(m.checksum())));
            row.put("file", m == null ? null : m.file());
            row.put("applied_by", r == null ? null : r.appliedBy());
            row.put("updated_at", r == null ? null : r.updatedAt());
            Map<String, Object> backfill = null;
            if (r != null) {
                for (Checkpoint cp : ws.store().checkpoints(ws.connection(), id)) {
                    backfill = new LinkedHashMap<>();
                    backfill.put("pass", cp.pass());
                    backfill.put("finished", cp.finished());
                    backfill.put("rows_updated", cp.rowsUpdated());
                    backfill.put("batches", cp.batches());
                    backfill.put("last_key", cp.lastKey());
                }
            }
            row.put("backfill", backfill);
            rows.add(row);
        }
        return rows;
    }
}
