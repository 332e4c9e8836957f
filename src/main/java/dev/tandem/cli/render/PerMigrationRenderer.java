package dev.tandem.cli.render;

import dev.tandem.plan.MigrationPlan;
import java.util.List;

/** A renderer that writes each migration in turn, separated by a blank line, with a fixed text when there is none. */
abstract class PerMigrationRenderer implements PlanRenderer {
    /** What to print when there are no migrations. */
    abstract String empty();

    /** Appends one migration. */
    abstract void migration(StringBuilder out, MigrationPlan plan);

    @Override
    public String render(List<MigrationPlan> plans) {
        if (plans.isEmpty()) {
            return empty();
        }
        StringBuilder out = new StringBuilder();
        for (MigrationPlan plan : plans) {
            if (out.length() > 0) {
                out.append('\n');
            }
            migration(out, plan);
        }
        return out.toString();
    }
}
