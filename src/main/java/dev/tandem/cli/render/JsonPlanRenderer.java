package dev.tandem.cli.render;

import dev.tandem.estimate.MigrationEstimate;
import dev.tandem.plan.MigrationPlan;
import dev.tandem.plan.PlanCodec;
import dev.tandem.util.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code {"migrations":[PlanCodec.toMap(plan), ...]}}, pretty printed; with estimates each migration
 * also carries {@code "estimate"} ({@link EstimateJson}).
 */
final class JsonPlanRenderer implements PlanRenderer {
    @Override
    public String render(List<MigrationPlan> plans) {
        return render(plans, List.of());
    }

    @Override
    public String render(List<MigrationPlan> plans, List<MigrationEstimate> estimates) {
        List<Object> migrations = new ArrayList<>(plans.size());
        for (int i = 0; i < plans.size(); i++) {
            Map<String, Object> m = PlanCodec.toMap(plans.get(i));
            if (i < estimates.size()) {
                m.put("estimate", EstimateJson.toMap(estimates.get(i)));
            }
            migrations.add(m);
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("migrations", migrations);
        return Json.pretty(doc) + "\n";
    }
}
