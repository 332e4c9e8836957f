package dev.tandem.cli.render;

import dev.tandem.estimate.MigrationEstimate;
import dev.tandem.estimate.PhaseEstimate;
import dev.tandem.estimate.StepEstimate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The text preview that opens {@code tandem plan}: per migration its tables with row estimates, one
 * line per phase (strongest lock, how long it is held, rows to copy, run time, extra disk) and what
 * the application team deploys after each phase. Figures are estimates (see docs/cli.md, "Plan
 * estimates"); "unknown" where the catalog gives no row count (offline, never analyzed). It does
 * not print statements; the full plan follows it.
 */
final class PlanSummaryRenderer {
    private PlanSummaryRenderer() {}

    static void summary(StringBuilder out, String description, MigrationEstimate e) {
        out.append(e.id());
        if (!RenderSupport.blank(description)) {
            out.append(" — ").append(RenderSupport.oneLine(description));
        }
        out.append('\n');
        List<String> tables = new ArrayList<>();
        for (Map.Entry<String, Long> t : e.tableRows().entrySet()) {
            tables.add(t.getKey() + " (" + rows(t.getValue(), "rows unknown") + ")");
        }
        out.append("  tables: ").append(tables.isEmpty() ? "none" : String.join(", ", tables)).append('\n');
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"phase", "strongest lock", "held", "rows to copy", "time", "extra disk"});
        for (PhaseEstimate p : e.phases()) {
            StepEstimate s = p.strongest();
            if (s == null) {
                rows.add(new String[] {p.name(), "(nothing to do)", "", "", "", ""});
                continue;
            }
            String lock = s.lock() == dev.tandem.plan.LockLevel.NONE ? "no table lock"
                    : s.lock().sqlName() + (s.table() == null ? "" : " on " + s.table()) + (s.lock().blocksWrites() ? " (blocks writes)" : "");
            rows.add(new String[] {p.name(), lock, held(s), rows(p.rowsToCopy(), "unknown"), seconds(p.seconds()), bytes(p.extraDiskBytes())});
        }
        int[] widths = new int[6];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                widths[i] = Math.max(widths[i], RenderSupport.width(r[i]));
            }
        }
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder("  ");
            for (int i = 0; i < r.length; i++) {
                line.append(RenderSupport.pad(r[i], widths[i])).append(i + 1 < r.length ? "  " : "");
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        out.append("  total: ").append(rows(e.rowsToCopy(), "unknown")).append(" rows to copy, ")
                .append(seconds(e.seconds())).append(" of migration work, ").append(bytes(e.extraDiskBytes()))
                .append(" extra disk").append(e.offline() ? " (offline: row counts need --url)" : "").append('\n');
        for (PhaseEstimate p : e.phases()) {
            if (!RenderSupport.blank(p.deployNote())) {
                out.append("  after ").append(p.name()).append(": ").append(RenderSupport.oneLine(p.deployNote())).append('\n');
            }
        }
    }

    static String held(StepEstimate s) {
        return switch (s.hold()) {
            case NONE -> "-";
            case BRIEF -> "brief";
            case PER_BATCH -> "per batch (" + seconds(s.lockSeconds()) + ")";
            case SCAN, REWRITE -> seconds(s.lockSeconds()) + " (" + s.hold().wireName() + ")";
        };
    }

    static String rows(Long n, String unknown) {
        if (n == null) {
            return unknown;
        }
        return n == 0 ? "-" : "~" + String.format(Locale.ROOT, "%,d", n) + (unknown.endsWith("unknown") && unknown.startsWith("rows") ? " rows" : "");
    }

    static String seconds(Double s) {
        if (s == null) {
            return "unknown";
        }
        if (s == 0) {
            return "-";
        }
        if (s < 1) {
            return "<1 s";
        }
        if (s < 120) {
            return "~" + Math.round(s) + " s";
        }
        if (s < 7200) {
            return "~" + Math.round(s / 60) + " min";
        }
        return String.format(Locale.ROOT, "~%.1f h", s / 3600);
    }

    static String bytes(Long b) {
        if (b == null) {
            return "unknown";
        }
        if (b == 0) {
            return "-";
        }
        String[] units = {"B", "kB", "MB", "GB", "TB"};
        double v = b;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return u == 0 ? "~" + b + " B" : String.format(Locale.ROOT, v < 10 ? "~%.1f %s" : "~%.0f %s", v, units[u]);
    }
}
