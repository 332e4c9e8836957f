package dev.tandem.repair;

import dev.tandem.plan.MigrationPlan;
import dev.tandem.plan.PlanCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The differences between two plans of the same migration, as {@code path: old → new} lines
 * ({@code phases[0].steps[1].sql: …}), over their {@link PlanCodec} form without the migration's
 * description and checksum (what an edit of the description or of comments changes). Empty when
 * the plans run the same statements with the same locks, rollbacks, backfills and notes. Pure.
 */
public final class PlanDiff {
    private PlanDiff() {}

    public static List<String> diff(MigrationPlan before, MigrationPlan after) {
        Map<String, Object> a = PlanCodec.toMap(before);
        Map<String, Object> b = PlanCodec.toMap(after);
        for (Map<String, Object> m : List.of(a, b)) {
            m.remove("description");
            m.remove("checksum");
        }
        List<String> out = new ArrayList<>();
        walk("", a, b, out);
        return out;
    }

    private static void walk(String path, Object a, Object b, List<String> out) {
        if (a instanceof Map<?, ?> ma && b instanceof Map<?, ?> mb) {
            TreeSet<String> keys = new TreeSet<>();
            ma.keySet().forEach(k -> keys.add(String.valueOf(k)));
            mb.keySet().forEach(k -> keys.add(String.valueOf(k)));
            for (String k : keys) {
                walk(path.isEmpty() ? k : path + "." + k, ma.get(k), mb.get(k), out);
            }
        } else if (a instanceof List<?> la && b instanceof List<?> lb) {
            for (int i = 0; i < Math.max(la.size(), lb.size()); i++) {
                walk(path + "[" + i + "]", i < la.size() ? la.get(i) : null, i < lb.size() ? lb.get(i) : null, out);
            }
        } else if (!Objects.equals(a, b)) {
            out.add(path + ": " + shown(a) + " → " + shown(b));
        }
    }

    private static String shown(Object v) {
        if (v == null) {
            return "(none)";
        }
        String s = String.valueOf(v).replace("\n", "\\n");
        return s.length() > 160 ? s.substring(0, 157) + "…" : s;
    }
}
