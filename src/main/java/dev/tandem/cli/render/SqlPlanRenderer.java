package dev.tandem.cli.render;

import static dev.tandem.cli.render.RenderSupport.blank;
import static dev.tandem.cli.render.RenderSupport.lines;
import static dev.tandem.cli.render.RenderSupport.prefixLines;

import dev.tandem.plan.MigrationPlan;
import dev.tandem.plan.PhasePlan;
import dev.tandem.plan.Step;
import java.util.List;

/**
 * A SQL script per migration, to read or review. Forward statements of the five phases are live
 * and terminated by {@code ;}, each preceded by {@code --} comments giving its description, lock,
 * scan/rewrite and, for CONCURRENTLY-style steps, that it must run outside a transaction block.
 * Commented out, so that running the script can do no harm beyond the forward DDL:
 * <ul>
 *   <li>backfills (Tandem runs them in batches; the script shows the equivalent single statement),</li>
 *   <li>purge (irreversible),</li>
 *   <li>the rollback section, per phase in reverse phase and step order.</li>
 * </ul>
 * Text in comments is commented line by line, so a description with line breaks cannot escape
 * into SQL. The script does not reproduce what {@code tandem apply} adds around statements
 * (lock_timeout, retries, the journal) nor the deploys required between phases.
 */
final class SqlPlanRenderer extends PerMigrationRenderer {
    private static final String RULE = "-- " + "=".repeat(72);

    @Override
    String empty() {
        return "-- no migrations\n";
    }

    @Override
    void migration(StringBuilder out, MigrationPlan plan) {
        out.append(RULE).append('\n');
        out.append(comment("migration: " + plan.id()
                + (blank(plan.description()) ? "" : " — " + plan.description().strip()))).append('\n');
        if (plan.offline()) {
            out.append(comment(RenderSupport.OFFLINE_NOTE)).append('\n');
        }
        out.append("-- Apply one phase at a time with `tandem apply`, deploying the application between\n");
        out.append("-- phases as noted; this script omits lock_timeout/retry handling.\n");
        out.append(RULE).append('\n');

        for (PhasePlan phase : plan.phases()) {
            out.append('\n').append("-- phase: ").append(phase.phase().wireName()).append('\n');
            if (phase.isEmpty()) {
                out.append("-- (nothing to do)\n");
            }
            List<Step> steps = phase.steps();
            for (int i = 0; i < steps.size(); i++) {
                out.append('\n');
                forwardStep(out, i + 1, steps.get(i), false);
            }
            if (!blank(phase.deployNote())) {
                out.append('\n').append(comment("then deploy: " + phase.deployNote().strip())).append('\n');
            }
        }

        if (!plan.purge().isEmpty()) {
            out.append('\n').append("-- purge: IRREVERSIBLE. Run by `tandem purge` only after contract, once nothing\n");
            out.append("-- needs a rollback; commented out so that running this script never destroys data.\n");
            for (int i = 0; i < plan.purge().size(); i++) {
                out.append('\n');
                forwardStep(out, i + 1, plan.purge().get(i), true);
            }
        }

        out.append('\n').append(RULE).append('\n');
        out.append("-- rollback (reverse order): commented out; `tandem rollback` runs it phase by phase.\n");
        out.append(RULE).append('\n');
        List<PhasePlan> phases = plan.phases();
        for (int p = phases.size() - 1; p >= 0; p--) {
            PhasePlan phase = phases.get(p);
            if (phase.isEmpty()) {
                continue;
            }
            out.append('\n').append("-- rollback (reverse order): ").append(phase.phase().wireName()).append('\n');
            List<Step> steps = phase.steps();
            for (int i = steps.size() - 1; i >= 0; i--) {
                Step s = steps.get(i);
                out.append(comment("undo " + (i + 1) + ". " + s.description().strip())).append('\n');
                if (s.rollbackStatements().isEmpty()) {
                    out.append("-- (nothing to undo for this step)\n");
                }
                for (String statement : s.rollbackStatements()) {
                    out.append(commentOut(terminate(statement))).append('\n');
                }
            }
        }
    }

    private void forwardStep(StringBuilder out, int number, Step s, boolean commentedOut) {
        out.append(comment(number + ". " + s.description().strip())).append('\n');
        StringBuilder lock = new StringBuilder(RenderSupport.lockPhrase(s));
        if (s.scan()) {
            lock.append(", scans the table");
        }
        if (s.rewrite()) {
            lock.append(", REWRITES the table");
        }
        out.append(comment(lock.toString())).append('\n'); // a table name may hold a line break
        if (!s.transactional()) {
            out.append("-- non-transactional: run outside a transaction block (no BEGIN/COMMIT around it)\n");
        }
        if (s.isBackfill()) {
            out.append("-- backfill: Tandem runs this in short batches ")
                    .append(oneLineComment(RenderSupport.batchPhrase(s.backfill().get())))
                    .append(", committing after each,\n")
                    .append("-- so no long transaction holds row locks. The equivalent single statement:\n");
            out.append(commentOut(terminate(s.sql()))).append('\n');
        } else if (commentedOut) {
            out.append(commentOut(terminate(s.sql()))).append('\n');
        } else {
            out.append(terminate(s.sql())).append('\n');
        }
    }

    /** The statement with exactly one terminating semicolon (on its own line if the last line has a -- comment). */
    static String terminate(String sql) {
        String s = sql.strip();
        if (s.endsWith(";")) {
            return s;
        }
        List<String> lines = lines(s);
        return lines.get(lines.size() - 1).contains("--") ? s + "\n;" : s + ";";
    }

    /** Text for the middle of a comment line: line breaks become spaces. */
    private static String oneLineComment(String text) {
        return RenderSupport.oneLine(text);
    }

    /** Every line of the text as a {@code --} comment. */
    private static String comment(String text) {
        return prefixLines(text, "-- ");
    }

    /** Every line of the SQL as a {@code --} comment. */
    private static String commentOut(String sql) {
        return prefixLines(sql, "-- ");
    }
}
