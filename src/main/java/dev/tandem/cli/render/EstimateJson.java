package dev.tandem.cli.render;

import dev.tandem.estimate.EstimateModel;
import dev.tandem.estimate.MigrationEstimate;
import dev.tandem.estimate.PhaseEstimate;
import dev.tandem.estimate.StepEstimate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link MigrationEstimate} as plain data for {@code plan --format json}'s {@code estimate} object:
 * <pre>{@code
 * {"offline", "tables": [{"table", "rows"}], "rows_to_copy", "seconds", "extra_disk_bytes",
 *  "phases": [{"name", "steps", "tables": [...], "strongest_lock", "lock_table", "blocks_writes",
 *              "lock_held" (none|brief|per batch|scan|rewrite), "lock_seconds",
 *              "rows_to_copy", "seconds", "extra_disk_bytes", "deploy_note"}, ...five phases, then purge],
 *  "model": {"backfill_rows_per_s", "scan_rows_per_s", "rewrite_rows_per_s", "index_rows_per_s",
 *            "variable_width_bytes", "tuple_overhead_bytes", "index_entry_bytes", "batch_seconds"}}
 * }</pre>
 * Unknown figures are {@code null}. It does not read anything back.
 */
final class EstimateJson {
    private EstimateJson() {}

    static Map<String, Object> toMap(MigrationEstimate e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("offline", e.offline());
        List<Object> tables = new ArrayList<>();
        e.tableRows().forEach((t, rows) -> {
            Map<String, Object> tm = new LinkedHashMap<>();
            tm.put("table", t);
            tm.put("rows", rows);
            tables.add(tm);
        });
        m.put("tables", tables);
        m.put("rows_to_copy", e.rowsToCopy());
        m.put("seconds", e.seconds());
        m.put("extra_disk_bytes", e.extraDiskBytes());
        List<Object> phases = new ArrayList<>();
        for (PhaseEstimate p : e.phases()) {
            Map<String, Object> pm = new LinkedHashMap<>();
            pm.put("name", p.name());
            pm.put("steps", p.steps());
            pm.put("tables", new ArrayList<>(p.tables()));
            StepEstimate s = p.strongest();
            pm.put("strongest_lock", s == null ? null : s.lock().sqlName());
            pm.put("lock_table", s == null ? null : s.table());
            pm.put("blocks_writes", s != null && s.lock().blocksWrites());
            pm.put("lock_held", s == null ? null : s.hold().wireName());
            pm.put("lock_seconds", s == null ? null : s.lockSeconds());
            pm.put("rows_to_copy", p.rowsToCopy());
            pm.put("seconds", p.seconds());
            pm.put("extra_disk_bytes", p.extraDiskBytes());
            pm.put("deploy_note", p.deployNote());
            phases.add(pm);
        }
        m.put("phases", phases);
        EstimateModel model = e.model();
        Map<String, Object> mm = new LinkedHashMap<>();
        mm.put("backfill_rows_per_s", model.backfillRowsPerSecond());
        mm.put("scan_rows_per_s", model.scanRowsPerSecond());
        mm.put("rewrite_rows_per_s", model.rewriteRowsPerSecond());
        mm.put("index_rows_per_s", model.indexRowsPerSecond());
        mm.put("variable_width_bytes", model.variableWidthBytes());
        mm.put("tuple_overhead_bytes", model.tupleOverheadBytes());
        mm.put("index_entry_bytes", model.indexEntryBytes());
        mm.put("batch_seconds", model.batchSeconds());
        m.put("model", mm);
        return m;
    }
}
