package dev.tandem.fleet;

import dev.tandem.db.ConnectionConfig;
import dev.tandem.util.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Text and JSON of a {@link FleetResult}: one row per target (wave, target, status, time,
 * message), and for {@code fleet status} one row per target and migration (phase, status,
 * backfill progress, last error) followed by how many targets are at each phase of each
 * migration. JSON is one object on stdout; it never contains a password (fleet URLs carry none).
 */
public final class FleetRenderer {
    private final String defaultSchema;
    private final String defaultStateSchema;

    /** The command's default schema and state schema, to show each target's resolved ones. */
    public FleetRenderer(String defaultSchema, String defaultStateSchema) {
        this.defaultSchema = defaultSchema;
        this.defaultStateSchema = defaultStateSchema;
    }

    /** {@code {action, exit_code, stopped_after_wave, counts, targets: [...]}} (status adds {@code migrations}). */
    public String json(FleetResult r) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("action", r.action());
        doc.put("exit_code", r.exitCode());
        doc.put("stopped_after_wave", r.stoppedAfterWave() == 0 ? null : r.stoppedAfterWave());
        doc.put("counts", counts(r));
        List<Object> targets = new ArrayList<>();
        for (TargetResult t : r.results()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("name", t.target().name());
            row.put("wave", t.wave());
            row.put("database", ConnectionConfig.redact(t.target().url()));
            row.put("schema", t.target().schemaOr(defaultSchema));
            row.put("state_schema", t.target().stateSchemaOr(defaultStateSchema));
            row.put("status", t.status());
            row.put("exit_code", t.started() ? t.exitCode() : null);
            row.put("millis", t.millis());
            row.put("message", t.message());
            row.put("result", t.detail());
            targets.add(row);
        }
        doc.put("targets", targets);
        if (r.action().equals("status") || r.action().equals("plan")) {
            doc.put("migrations", phaseCounts(r));
        }
        return Json.pretty(doc);
    }

    /** A table of targets, then a summary line. */
    public String text(FleetResult r) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"WAVE", "TARGET", "STATUS", "TIME", "MESSAGE"});
        for (TargetResult t : r.results()) {
            rows.add(new String[] {String.valueOf(t.wave()), t.target().name(), t.status(), t.started() ? t.millis() + " ms" : "-",
                    oneLine(t.message())});
        }
        return table(rows) + summary(r);
    }

    /** Per target and migration: phase, status, backfill, next, last error; then targets per phase of each migration. */
    public String statusText(FleetResult r) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"TARGET", "WAVE", "MIGRATION", "PHASE", "STATUS", "BACKFILL", "NEXT", "LAST ERROR"});
        for (TargetResult t : r.results()) {
            if (!t.ok()) {
                rows.add(new String[] {t.target().name(), String.valueOf(t.wave()), "-", "-", t.status(), "-", "-", oneLine(t.message())});
                continue;
            }
            Map<?, ?> detail = (Map<?, ?>) t.detail();
            String lastError = detail.get("last_error") instanceof Map<?, ?> e ? oneLine(String.valueOf(e.get("detail"))) : "-";
            List<?> migrations = (List<?>) detail.get("migrations");
            if (migrations.isEmpty()) {
                rows.add(new String[] {t.target().name(), String.valueOf(t.wave()), "-", "-", "no migrations", "-", "-", lastError});
            }
            for (Object o : migrations) {
                Map<?, ?> m = (Map<?, ?>) o;
                rows.add(new String[] {t.target().name(), String.valueOf(t.wave()), str(m.get("id")), str(m.get("phase")),
                        str(m.get("status")), backfill(m.get("backfill")), str(m.get("next")), lastError});
            }
        }
        StringBuilder out = new StringBuilder(table(rows));
        out.append('\n');
        for (Map.Entry<String, Map<String, Integer>> e : phaseCounts(r).entrySet()) {
            List<String> parts = new ArrayList<>();
            e.getValue().forEach((phase, n) -> parts.add(n + " at " + phase));
            out.append(e.getKey()).append(": ").append(String.join(", ", parts)).append('\n');
        }
        return out.append(summary(r)).toString();
    }

    /**
     * {@code fleet plan}: per wave and target, where it is (database, schema, state schema) and
     * what {@code fleet apply} would start or resume there; other in-flight migrations with their
     * next command.
     */
    public String planText(FleetResult r) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"WAVE", "TARGET", "DATABASE", "SCHEMA", "STATE", "APPLY WOULD RUN", "THEN"});
        for (TargetResult t : r.results()) {
            String db = ConnectionConfig.redact(t.target().url());
            String schema = t.target().schemaOr(defaultSchema);
            String state = t.target().stateSchemaOr(defaultStateSchema);
            if (!t.ok()) {
                rows.add(new String[] {String.valueOf(t.wave()), t.target().name(), db, schema, state, t.status(), oneLine(t.message())});
                continue;
            }
            List<String> apply = new ArrayList<>();
            List<String> then = new ArrayList<>();
            for (Object o : (List<?>) ((Map<?, ?>) t.detail()).get("migrations")) {
                Map<?, ?> m = (Map<?, ?>) o;
                String next = str(m.get("next"));
                String label = m.get("id") + (m.get("phase") == null ? "" : " (" + m.get("phase") + ", " + m.get("status") + ")");
                if (next.equals("tandem apply")) {
                    apply.add(label);
                } else if (!next.equals("-") && !next.equals("none")) {
                    then.add(m.get("id") + ": " + next);
                }
            }
            rows.add(new String[] {String.valueOf(t.wave()), t.target().name(), db, schema, state,
                    apply.isEmpty() ? "nothing" : String.join(", ", apply), then.isEmpty() ? "-" : String.join("; ", then)});
        }
        return table(rows) + summary(r);
    }

    /**
     * For each migration id, how many reachable targets are at each phase ({@code none} when not
     * started); a phase name is suffixed with the status when that is not in-progress (e.g.
     * {@code backfill (interrupted)}).
     */
    public static Map<String, Map<String, Integer>> phaseCounts(FleetResult r) {
        Map<String, Map<String, Integer>> out = new TreeMap<>();
        for (TargetResult t : r.results()) {
            if (!t.ok() || !(t.detail() instanceof Map<?, ?> d) || !(d.get("migrations") instanceof List<?> ms)) {
                continue;
            }
            for (Object o : ms) {
                Map<?, ?> m = (Map<?, ?>) o;
                String phase = m.get("phase") == null ? "none" : String.valueOf(m.get("phase"));
                String status = String.valueOf(m.get("status"));
                if (!status.equals("in-progress") && !(m.get("phase") == null && status.equals("pending"))) {
                    phase = phase + " (" + status + ")";
                }
                out.computeIfAbsent(String.valueOf(m.get("id")), k -> new TreeMap<>()).merge(phase, 1, Integer::sum);
            }
        }
        return out;
    }

    private static Map<String, Long> counts(FleetResult r) {
        Map<String, Long> c = new LinkedHashMap<>();
        for (String s : List.of("ok", "failed", "refused", "locked", "not-ready", "skipped")) {
            c.put(s, r.results().stream().filter(t -> t.status().equals(s)).count());
        }
        return c;
    }

    private static String summary(FleetResult r) {
        List<String> parts = new ArrayList<>();
        counts(r).forEach((k, v) -> {
            if (v > 0) {
                parts.add(v + " " + k);
            }
        });
        return r.action() + ": " + r.results().size() + " target(s): " + String.join(", ", parts)
                + (r.stoppedAfterWave() > 0 ? "; stopped after wave " + r.stoppedAfterWave() : "") + "; exit " + r.exitCode() + "\n";
    }

    private static String backfill(Object b) {
        if (!(b instanceof Map<?, ?> m) || m.isEmpty()) {
            return "-";
        }
        if (Boolean.TRUE.equals(m.get("finished"))) {
            return "done" + (m.get("rows_copied") == null ? "" : " " + m.get("rows_copied") + " rows");
        }
        return str(m.get("pass")) + (m.get("percent") == null ? "" : " " + m.get("percent") + "%");
    }

    private static String str(Object o) {
        return o == null || String.valueOf(o).isEmpty() ? "-" : String.valueOf(o);
    }

    private static String oneLine(String s) {
        if (s == null) {
            return "-";
        }
        String line = s.replaceAll("\\s*\\R\\s*", " ").replaceAll("\\p{Cntrl}", "?");
        return line.length() > 160 ? line.substring(0, 157) + "..." : line;
    }

    private static String table(List<String[]> rows) {
        int[] w = new int[rows.get(0).length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                w[i] = Math.max(w[i], r[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                line.append(i == 0 ? "" : "  ").append(r[i]).append(" ".repeat(w[i] - r[i].length()));
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }
}
