package dev.tandem.cli.render;

import static dev.tandem.cli.render.RenderSupport.blank;
import static dev.tandem.cli.render.RenderSupport.lines;

import dev.tandem.plan.LockLevel;
import dev.tandem.plan.MigrationPlan;
import dev.tandem.plan.PhasePlan;
import dev.tandem.plan.Step;
import java.util.List;

/**
 * GitHub-flavoured Markdown for a pull-request comment: per migration a {@code ##} heading, per
 * phase a {@code ###} heading, a table of steps (| # | step | lock | table | scan | rewrite | tx |),
 * the forward SQL in a {@code sql} code block and the rollback SQL in a collapsed
 * {@code <details>} block. Text in headings, cells and paragraphs is escaped (pipes, emphasis,
 * HTML); line breaks in cells become {@code <br>}. Code blocks use a fence longer than any run of
 * backticks in the SQL, so SQL cannot close them.
 */
final class MarkdownPlanRenderer extends PerMigrationRenderer {

    @Override
    String empty() {
        return "_No migrations._\n";
    }

    @Override
    void migration(StringBuilder out, MigrationPlan plan) {
        out.append("## ").append(escape(RenderSupport.oneLine(plan.id())));
        if (!blank(plan.description())) {
            out.append(" — ").append(escape(RenderSupport.oneLine(plan.description())));
        }
        out.append("\n\n");
        if (plan.offline()) {
            out.append("> **Offline plan:** types are placeholders; pass `--url` for the real statements.\n\n");
        }
        for (PhasePlan phase : plan.phases()) {
            out.append("### ").append(phase.phase().wireName()).append("\n\n");
            if (phase.isEmpty()) {
                out.append("_Nothing to do._\n\n");
            } else {
                steps(out, phase.steps(), true);
            }
            if (!blank(phase.deployNote())) {
                out.append("**Then deploy:** ").append(cell(phase.deployNote().strip())).append("\n\n");
            }
        }
        if (!plan.purge().isEmpty()) {
            out.append("### purge (irreversible)\n\n");
            out.append("Run by `tandem purge` after contract; cannot be rolled back.\n\n");
            steps(out, plan.purge(), false);
        }
        if (!plan.warnings().isEmpty()) {
            out.append("### warnings\n\n");
            for (String w : plan.warnings()) {
                out.append("- ").append(cell(w.strip())).append('\n');
            }
            out.append('\n');
        }
    }

    private void steps(StringBuilder out, List<Step> steps, boolean withRollback) {
        out.append("| # | step | lock | table | scan | rewrite | tx |\n");
        out.append("|--:|------|------|-------|:----:|:-------:|:--:|\n");
        for (int i = 0; i < steps.size(); i++) {
            Step s = steps.get(i);
            String step = cell(s.description().strip());
            if (s.isBackfill()) {
                step += " _(" + cell(RenderSupport.backfillPhrase(s.backfill().get())) + ")_";
            }
            out.append("| ").append(i + 1)
                    .append(" | ").append(step)
                    .append(" | ").append(s.lock() == LockLevel.NONE ? "none" : s.lock().sqlName())
                    .append(" | ").append(s.table() == null ? "—" : cell(s.table()))
                    .append(" | ").append(yesNo(s.scan()))
                    .append(" | ").append(yesNo(s.rewrite()))
                    .append(" | ").append(yesNo(s.transactional()))
                    .append(" |\n");
        }
        out.append('\n');

        StringBuilder sql = new StringBuilder();
        for (int i = 0; i < steps.size(); i++) {
            Step s = steps.get(i);
            if (i > 0) {
                sql.append('\n');
            }
            sql.append(sqlComment((i + 1) + ". " + s.description().strip())).append('\n');
            if (s.isBackfill()) {
                sql.append("-- runs in batches; equivalent single statement:\n");
            }
            if (!s.transactional()) {
                sql.append("-- outside a transaction block\n");
            }
            sql.append(SqlPlanRenderer.terminate(s.sql())).append('\n');
        }
        fence(out, sql.toString());

        if (withRollback) {
            StringBuilder rb = new StringBuilder();
            for (int i = steps.size() - 1; i >= 0; i--) {
                Step s = steps.get(i);
                if (s.rollbackStatements().isEmpty()) {
                    continue;
                }
                if (rb.length() > 0) {
                    rb.append('\n');
                }
                rb.append(sqlComment("undo " + (i + 1) + ". " + s.description().strip())).append('\n');
                for (String statement : s.rollbackStatements()) {
                    rb.append(SqlPlanRenderer.terminate(statement)).append('\n');
                }
            }
            if (rb.length() > 0) {
                out.append("<details><summary>rollback (reverse order)</summary>\n\n");
                fence(out, rb.toString());
                out.append("</details>\n\n");
            }
        }
    }

    private static void fence(StringBuilder out, String code) {
        int longest = 0;
        int run = 0;
        for (int i = 0; i < code.length(); i++) {
            run = code.charAt(i) == '`' ? run + 1 : 0;
            longest = Math.max(longest, run);
        }
        String f = "`".repeat(Math.max(3, longest + 1));
        out.append(f).append("sql\n").append(code);
        if (!code.endsWith("\n")) {
            out.append('\n');
        }
        out.append(f).append("\n\n");
    }

    private static String sqlComment(String text) {
        return RenderSupport.prefixLines(text, "-- ");
    }

    private static String yesNo(boolean b) {
        return b ? "yes" : "no";
    }

    /** Escaped inline text with line breaks as {@code <br>}: safe in a table cell or list item. */
    static String cell(String text) {
        StringBuilder sb = new StringBuilder();
        for (String line : lines(text)) {
            if (sb.length() > 0) {
                sb.append("<br>");
            }
            sb.append(escape(line));
        }
        return sb.toString();
    }

    /**
     * Backslash-escapes the characters that Markdown or HTML would interpret inline (including
     * {@code |}, which would end a table cell); underscores inside words stay as they are, since
     * they cannot start emphasis. Line breaks are left alone.
     */
    static String escape(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if ("\\`*[]<>|~&".indexOf(c) >= 0) {
                sb.append('\\');
            } else if (c == '_' && !(i > 0 && i + 1 < text.length()
                    && Character.isLetterOrDigit(text.charAt(i - 1)) && Character.isLetterOrDigit(text.charAt(i + 1)))) {
                sb.append('\\'); // an underscore inside a word (full_name) never starts emphasis
            }
            sb.append(c);
        }
        return sb.toString();
    }
}
