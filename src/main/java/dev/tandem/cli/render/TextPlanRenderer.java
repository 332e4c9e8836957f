package dev.tandem.cli.render;

import static dev.tandem.cli.render.RenderSupport.blank;
import static dev.tandem.cli.render.RenderSupport.lines;
import static dev.tandem.cli.render.RenderSupport.oneLine;
import static dev.tandem.cli.render.RenderSupport.prefixLines;

import dev.tandem.plan.MigrationPlan;
import dev.tandem.plan.PhasePlan;
import dev.tandem.plan.Step;
import java.util.ArrayList;
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
 */
final class TextPlanRenderer implements PlanRenderer {
    private static final String SQL_INDENT = "    ";

    @Override
    public String render(List<MigrationPlan> plans) {
        if (plans.isEmpty()) {
            return "no migrations\n";
        }
        StringBuilder out = new StringBuilder();
        for (MigrationPlan plan : plans) {
            if (out.length() > 0) {
                out.append('\n');
            }
            migration(out, plan);
        }
        return RenderSupport.terminalSafe(out.toString());
    }

    private void migration(StringBuilder out, MigrationPlan plan) {
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
            steps(out, phase.steps(), "rollback: none needed");
            if (!blank(phase.deployNote())) {
                out.append(prefixFirst(phase.deployNote().strip(), "→ ", "  ")).append('\n');
            }
        }
        if (!plan.purge().isEmpty()) {
            out.append('\n').append("== purge (irreversible; run by tandem purge after contract) ==\n");
            steps(out, plan.purge(), "rollback: none (irreversible)");
        }
        if (!plan.warnings().isEmpty()) {
            out.append('\n').append("warnings:\n");
            for (String w : plan.warnings()) {
                out.append(prefixFirst(w.strip(), "  ! ", "    ")).append('\n');
            }
        }
    }

    private void steps(StringBuilder out, List<Step> steps, String noRollback) {
        for (int i = 0; i < steps.size(); i++) {
            Step s = steps.get(i);
            String label = "  " + (i + 1) + ". ";
            String indent = " ".repeat(label.length());
            out.append(prefixFirst(s.description().strip(), label, indent)).append('\n');
            out.append(indent).append(String.join(" · ", flags(s))).append('\n');
            out.append(prefixLines(s.sql().strip(), indent + SQL_INDENT)).append('\n');
            List<String> rollback = s.rollbackStatements();
            if (rollback.isEmpty()) {
                out.append(indent).append(s.irreversible() ? "rollback: IRREVERSIBLE (rolling back this phase is refused once it ran)" : noRollback).append('\n');
            } else {
                out.append(indent).append("rollback:\n");
                for (String statement : rollback) {
                    // several statements: each terminated, so one can tell where the next begins
                    String shown = rollback.size() == 1 ? statement.strip() : SqlPlanRenderer.terminate(statement);
                    out.append(prefixLines(shown, indent + SQL_INDENT)).append('\n');
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

    /** First line after {@code first}, the others after {@code rest}. */
    private static String prefixFirst(String text, String first, String rest) {
        StringBuilder sb = new StringBuilder();
        for (String line : lines(text)) {
            sb.append(sb.length() == 0 ? first : "\n" + rest).append(line);
        }
        return sb.toString().stripTrailing();
    }
}
