package dev.tandem.cli.render;

import dev.tandem.plan.MigrationPlan;
import java.util.List;

/**
 * Turns migration plans into one output document (text, JSON, SQL or Markdown). Renderers are pure
 * and stateless: no I/O, no colours, no terminal detection; the result ends with a newline. Get one
 * with {@link PlanRenderers#forFormat(Format)}.
 */
@FunctionalInterface
public interface PlanRenderer {
    /** Renders the plans in the given order (an empty list renders a short "no migrations" document). */
    String render(List<MigrationPlan> plans);

    /**
     * Renders the plans with their previews ({@code estimates}, one per plan in the same order). Text
     * opens with the summaries and JSON adds an {@code estimate} object per migration; the other
     * formats ignore them.
     */
    default String render(List<MigrationPlan> plans, List<dev.tandem.estimate.MigrationEstimate> estimates) {
        return render(plans);
    }
}
