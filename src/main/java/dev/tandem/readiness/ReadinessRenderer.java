package dev.tandem.readiness;

import dev.tandem.util.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders a {@link ContractReadiness} as text (for a terminal) or JSON (for a pipeline gate). The
 * JSON is one object: {@code migration}, {@code ready}, {@code state}, {@code quiet_period_s},
 * {@code steps}, {@code switch_reads_at}, {@code old_writes}, {@code statements}, {@code blockers},
 * {@code warnings}. Times are ISO-8601 UTC.
 */
public final class ReadinessRenderer {
    private ReadinessRenderer() {}

    public static String text(ContractReadiness r) {
        StringBuilder sb = new StringBuilder();
        sb.append("Contract readiness of ").append(r.migrationId()).append(": ").append(r.ready() ? "READY" : "NOT READY").append('\n');
        sb.append("  state: ").append(r.state()).append('\n');
        sb.append("  switch-reads: ").append(r.switchReadsAt().map(t -> t + " (" + human(Duration.between(t, r.now())) + " ago)")
                .orElse("not applied")).append('\n');
        sb.append("  quiet period: ").append(human(r.quietPeriod())).append('\n');
        sb.append("  steps:\n");
        for (ContractReadiness.StepLine s : r.steps()) {
            sb.append("    - ").append(s.description()).append("  [").append(s.lock())
                    .append(s.table().isEmpty() ? "" : " on " + s.table()).append("]\n");
        }
        if (r.steps().isEmpty()) {
            sb.append("    (none)\n");
        }
        sb.append("  old-shape writes: ");
        if (!r.oldWritesTracked()) {
            sb.append("not tracked\n");
        } else {
            sb.append(r.oldWritesSinceSwitchReads()).append(" sampled since switch-reads; last ")
                    .append(r.lastOldWrite().map(t -> t + " (" + human(Duration.between(t, r.now())) + " ago)").orElse("never")).append('\n');
        }
        sb.append("  statements using the old shape: ");
        if (r.statementsUnavailable().isPresent()) {
            sb.append("not available (").append(r.statementsUnavailable().get()).append(")\n");
        } else if (r.statements().isEmpty()) {
            sb.append("none since switch-reads\n");
        } else {
            sb.append(r.statements().size()).append('\n');
            for (StatementUse u : r.statements()) {
                sb.append("    - ").append(u.callsSinceSwitchReads()).append(" calls by ").append(u.role())
                        .append(", last rise seen ").append(u.lastRiseSeen().map(Object::toString).orElse("unknown"))
                        .append(": ").append(oneLine(u.query())).append('\n');
            }
        }
        for (String b : r.blockers()) {
            sb.append("  BLOCKER: ").append(b).append('\n');
        }
        for (String w : r.warnings()) {
            sb.append("  warning: ").append(w).append('\n');
        }
        if (!r.ready()) {
            sb.append("  Not ready: wait until no old application instance is left and the quiet period has passed,"
                    + " then check again (see docs/release-manager.md).\n");
        }
        return sb.toString().stripTrailing();
    }

    public static String json(ContractReadiness r) {
        return Json.write(document(r));
    }

    /** The report as plain data (maps, lists, strings, numbers), the shape {@link #json} writes. */
    public static Map<String, Object> document(ContractReadiness r) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("migration", r.migrationId());
        doc.put("ready", r.ready());
        doc.put("state", r.state());
        doc.put("now", r.now().toString());
        doc.put("quiet_period_s", r.quietPeriod().toSeconds());
        List<Object> steps = new ArrayList<>();
        for (ContractReadiness.StepLine s : r.steps()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("description", s.description());
            m.put("lock", s.lock());
            m.put("table", s.table().isEmpty() ? null : s.table());
            steps.add(m);
        }
        doc.put("steps", steps);
        doc.put("switch_reads_at", r.switchReadsAt().map(Object::toString).orElse(null));
        Map<String, Object> writes = new LinkedHashMap<>();
        writes.put("tracked", r.oldWritesTracked());
        writes.put("samples_since_switch_reads", r.oldWritesSinceSwitchReads());
        writes.put("last", r.lastOldWrite().map(Object::toString).orElse(null));
        doc.put("old_writes", writes);
        Map<String, Object> stmts = new LinkedHashMap<>();
        stmts.put("available", r.statementsUnavailable().isEmpty());
        stmts.put("reason", r.statementsUnavailable().orElse(null));
        List<Object> list = new ArrayList<>();
        for (StatementUse u : r.statements()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("queryid", u.queryId());
            m.put("role", u.role());
            m.put("names", u.names());
            m.put("calls_since_switch_reads", u.callsSinceSwitchReads());
            m.put("last_rise_seen", u.lastRiseSeen().map(Object::toString).orElse(null));
            m.put("query", u.query());
            list.add(m);
        }
        stmts.put("used", list);
        doc.put("statements", stmts);
        doc.put("blockers", r.blockers());
        doc.put("warnings", r.warnings());
        return doc;
    }

    /** "3s", "4m10s", "2h5m", "3d4h". */
    public static String human(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s < 60) return s + "s";
        if (s < 3600) return s / 60 + "m" + (s % 60 == 0 ? "" : s % 60 + "s");
        if (s < 86400) return s / 3600 + "h" + (s % 3600 / 60 == 0 ? "" : s % 3600 / 60 + "m");
        return s / 86400 + "d" + (s % 86400 / 3600 == 0 ? "" : s % 86400 / 3600 + "h");
    }

    /** A statement on one line, at most 160 characters. */
    static String oneLine(String q) {
        String s = q.replaceAll("\\s+", " ").strip();
        return s.length() > 160 ? s.substring(0, 157) + "..." : s;
    }
}
