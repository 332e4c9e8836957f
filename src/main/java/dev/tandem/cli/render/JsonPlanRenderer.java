package dev.tandem.cli.render;

import dev.tandem.plan.MigrationPlan;
import dev.tandem.plan.PlanCodec;
import dev.tandem.util.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code {"migrations":[PlanCodec.toMap(plan), ...]}}, pretty printed. */
final class JsonPlanRenderer implements PlanRenderer {
    @Override
    public String render(List<MigrationPlan> plans) {
        List<Object> migrations = new ArrayList<>(plans.size());
        for (MigrationPlan p : plans) {
            migrations.add(PlanCodec.toMap(p));
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("migrations", migrations);
        return Json.pretty(doc) + "\n";
    }
}
