package dev.tandem.cli.render;

import static dev.tandem.cli.render.RenderSupport.blank;
import static dev.tandem.cli.render.RenderSupport.lines;
import static dev.tandem.cli.render.RenderSupport.oneLine;
import static dev.tandem.cli.render.RenderSupport.prefixLines;

import dev.tandem.plan.MigrationPlan;
import dev.tandem.plan.PhasePlan;
import dev.tandem.plan.Step;
import dev.tandem.estimate.MigrationEstimate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;

/**
 * Plain text for a terminal. No ANSI colours; control characters in names and SQL are replaced by
 * U+FFFD so hostile text cannot drive the terminal. Layout per migration:
 * <pre>
 * 0001_rename_full_name — Rename users.full_name to display_name
 *
 * == expand ==
 *   1. add column display_name
 *      lock ACCESS EXCLUSIVE on public.users · brief · in transaction
 *          ALTER TABLE …
 *      rollback:
 *          ALTER TABLE … DROP COLUMN …
 * → deploy the new application version
 * </pre>
 * With estimates, a summary per migration ({@link PlanSummaryRenderer}) comes first. A function
 * definition is shown once: where the same statement comes again (the sync function recreated by a
 * rollback, say), only its first line and where the body was shown are printed.
 */
final class TextPlanRenderer implements PlanRenderer {
    private static final String SQL_INDENT = "    ";

    @Override
    public String render(List<MigrationPlan> plans) {
        return render(plans, List.of());
    }

    @Override
    public String render(List<MigrationPlan> plans, List<MigrationEstimate> estimates) {
        if (plans.isEmpty()) {
            return "no migrations\n";
        }
        StringBuilder out = new StringBuilder();
        if (!estimates.isEmpty()) {
            out.append("Summary (estimates; the model is in docs/cli.md, \"Plan estimates\")\n\n");
            for (int i = 0; i < plans.size() && i < estimates.size(); i++) {
                if (i > 0) {
                    out.append('\n');
                }
                PlanSummaryRenderer.summary(out, plans.get(i).description(), estimates.get(i));
            }
            out.append('\n').append("Statements\n\n");
        }
        Map<String, String> shownFunctions = new HashMap<>();
        boolean first = true;
        for (MigrationPlan plan : plans) {
            if (!first) {
                out.append('\n');
            }
            first = false;
            migration(out, plan, shownFunctions);
        }
        return RenderSupport.terminalSafe(out.toString());
    }

    private void migration(StringBuilder out, MigrationPlan plan, Map<String, String> shown) {
        out.append(plan.id());
        if (!blank(plan.description())) {
            out.append(" — ").append(oneLine(plan.description()));
        }
        out.append('\n');
        if (plan.offline()) {
            out.append('(').append(RenderSupport.OFFLINE_NOTE).append(")\n");
        }
        for (PhasePlan phase : plan.phases()) {
            out.append('\n').append("== ").append(phase.phase().wireName()).append(" ==\n");
            if (phase.isEmpty()) {
                out.append("  (nothing to do)\n");
            }
            steps(out, phase.steps(), "rollback: none needed", shown, plan.id() + " " + phase.phase().wireName());
            if (!blank(phase.deployNote())) {
                out.append(prefixFirst(phase.deployNote().strip(), "→ ", "  ")).append('\n');
            }
        }
        if (!plan.purge().isEmpty()) {
            out.append('\n').append("== purge (irreversible; run by tandem purge after contract) ==\n");
            steps(out, plan.purge(), "rollback: none (irreversible)", shown, plan.id() + " purge");
        }
        if (!plan.warnings().isEmpty()) {
            out.append('\n').append("warnings:\n");
            for (String w : plan.warnings()) {
                out.append(prefixFirst(w.strip(), "  ! ", "    ")).append('\n');
            }
        }
    }

    private void steps(StringBuilder out, List<Step> steps, String noRollback, Map<String, String> shown, String where) {
        for (int i = 0; i < steps.size(); i++) {
            Step s = steps.get(i);
            String label = "  " + (i + 1) + ". ";
            String indent = " ".repeat(label.length());
            out.append(prefixFirst(s.description().strip(), label, indent)).append('\n');
            out.append(indent).append(String.join(" · ", flags(s))).append('\n');
            out.append(prefixLines(once(s.sql().strip(), shown, where + " step " + (i + 1)), indent + SQL_INDENT)).append('\n');
            List<String> rollback = s.rollbackStatements();
            if (rollback.isEmpty()) {
                out.append(indent).append(s.irreversible() ? "rollback: IRREVERSIBLE (rolling back this phase is refused once it ran)" : noRollback).append('\n');
            } else {
                out.append(indent).append("rollback:\n");
                for (String statement : rollback) {
                    // several statements: each terminated, so one can tell where the next begins
                    String shownSql = rollback.size() == 1 ? statement.strip() : SqlPlanRenderer.terminate(statement);
                    out.append(prefixLines(once(shownSql, shown, where + " step " + (i + 1) + " rollback"), indent + SQL_INDENT)).append('\n');
                }
            }
            s.undoBackfill().ifPresent(b -> out.append(indent).append(RenderSupport.oneLine("then, in checkpointed batches: "
                    + String.join(", ", b.assignments().stream().map(a -> a.column() + " := " + a.expression()).toList())
                    + " where they differ")).append('\n'));
        }
    }

    private static List<String> flags(Step s) {
        List<String> flags = new ArrayList<>();
        flags.add(RenderSupport.lockPhrase(s));
        s.backfill().ifPresent(b -> flags.add(RenderSupport.backfillPhrase(b)));
        if (s.scan()) {
            flags.add("SCAN");
        }
        if (s.rewrite()) {
            flags.add("REWRITE");
        }
        if (!s.scan() && !s.rewrite() && !s.isBackfill()) {
            flags.add("brief");
        }
        flags.add(s.transactional() ? "in transaction" : "outside transaction");
        return flags;
    }

    /**
     * Each function definition ({@code CREATE [OR REPLACE] FUNCTION … AS $tag$ body $tag$}) in the
     * statement that the output already showed becomes its header line and a reference to where its
     * body is; the first showing, and everything else, is kept as is.
     */
    static String once(String statement, Map<String, String> shown, String where) {
        java.util.regex.Matcher m = FUNCTION.matcher(statement);
        StringBuilder out = new StringBuilder();
        int from = 0;
        while (m.find(from)) {
            String tag = m.group(2);
            int close = statement.indexOf(tag, m.end());
            if (close < 0) {
                break;
            }
            int end = close + tag.length();
            String block = statement.substring(m.start(), end);
            String at = shown.putIfAbsent(block, where);
            out.append(statement, from, m.start());
            if (at == null) {
                out.append(block);
            } else {
                out.append(m.group()).append(" … ").append(tag).append(" -- the same body as shown at ").append(at);
            }
            from = end;
        }
        return out.append(statement.substring(from)).toString();
    }

    private static final java.util.regex.Pattern FUNCTION = java.util.regex.Pattern.compile(
            "CREATE\\s+(OR\\s+REPLACE\\s+)?FUNCTION\\b[^\\n]*?\\bAS\\s+(\\$[A-Za-z_0-9]*\\$)", java.util.regex.Pattern.CASE_INSENSITIVE);

    /** First line after {@code first}, the others after {@code rest}. */
    private static String prefixFirst(String text, String first, String rest) {
        StringBuilder sb = new StringBuilder();
        for (String line : lines(text)) {
            sb.append(sb.length() == 0 ? first : "\n" + rest).append(line);
        }
        return sb.toString().stripTrailing();
    }
}
