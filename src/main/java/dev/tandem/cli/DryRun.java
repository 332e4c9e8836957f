package dev.tandem.cli;

import dev.tandem.plan.MigrationPlan;
import dev.tandem.plan.Phase;
import dev.tandem.plan.Step;
import dev.tandem.util.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a command would run with {@code --dry-run}: the steps of each phase it would apply (their
 * SQL), undo (their rollback statements, last step first) or purge, collected from plans and printed
 * as an SQL-like script or JSON. It only describes; it never executes, and it does not know which steps
 * of an interrupted phase are already applied (the whole phase is listed).
 */
final class DryRun {
    private final List<Map<String, Object>> actions = new ArrayList<>();

    /** The steps that applying {@code phase} of {@code plan} runs. */
    void apply(MigrationPlan plan, Phase phase) {
        List<Map<String, Object>> steps = new ArrayList<>();
        for (Step s : plan.phase(phase).steps()) {
            steps.add(step(s.description(), s.sql()));
        }
        add(plan.id(), phase.wireName(), "apply", steps);
    }

    /** The statements that rolling {@code phase} of {@code plan} back runs, last step first. */
    void rollback(MigrationPlan plan, Phase phase) {
        List<Step> forward = plan.phase(phase).steps();
        List<Map<String, Object>> steps = new ArrayList<>();
        for (int i = forward.size() - 1; i >= 0; i--) {
            Step s = forward.get(i);
            steps.add(step("undo: " + s.description(), s.rollback()));
        }
        add(plan.id(), phase.wireName(), "rollback", steps);
    }

    /** The purge steps of {@code plan}. */
    void purge(MigrationPlan plan) {
        List<Map<String, Object>> steps = new ArrayList<>();
        for (Step s : plan.purge()) {
            steps.add(step(s.description(), s.sql()));
        }
        add(plan.id(), "purge", "purge", steps);
    }

    private void add(String id, String phase, String action, List<Map<String, Object>> steps) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("id", id);
        a.put("action", action);
        a.put("phase", phase);
        a.put("steps", steps);
        actions.add(a);
    }

    private static Map<String, Object> step(String description, String sql) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("description", description);
        s.put("sql", sql == null || sql.isBlank() ? null : sql);
        return s;
    }

    /** The JSON document {@code {"dry_run":true,"actions":[…]}}. */
    String json() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("dry_run", true);
        root.put("actions", actions);
        return Json.pretty(root);
    }

    /** A script: one comment per phase and step, each statement ending with a semicolon. */
    @SuppressWarnings("unchecked")
    String text() {
        if (actions.isEmpty()) {
            return "-- dry run: nothing would run";
        }
        StringBuilder sb = new StringBuilder("-- dry run: nothing was changed; this would run:\n");
        for (Map<String, Object> a : actions) {
            sb.append("\n-- ").append(a.get("id")).append(": ").append(a.get("action")).append(' ').append(a.get("phase")).append('\n');
            for (Map<String, Object> s : (List<Map<String, Object>>) a.get("steps")) {
                sb.append("-- ").append(String.valueOf(s.get("description")).replace("\n", " ")).append('\n');
                if (s.get("sql") != null) {
                    String sql = ((String) s.get("sql")).strip();
                    sb.append(sql).append(sql.endsWith(";") ? "" : ";").append('\n');
                }
            }
        }
        return sb.toString().stripTrailing();
    }

    void print(java.io.PrintWriter out, boolean json) {
        out.println(json ? json() : text());
        out.flush();
    }
}
