package dev.tandem.cli.render;

import dev.tandem.util.Json;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Renders the output of {@code tandem status}: one row per migration, each a map with the keys
 * {@code id}, {@code phase} (wire name, or null before expand), {@code status},
 * {@code checksum_ok} (Boolean, null when unknown), {@code applied_by}, {@code updated_at} and
 * {@code backfill} (a map of progress figures, or null); further keys are allowed.
 * <ul>
 *   <li>{@link Format#TEXT}: an aligned table with the known columns (ID, PHASE, STATUS, CHECKSUM,
 *       APPLIED BY, UPDATED AT, BACKFILL, NEXT — the {@code next} command); extra keys are not shown. A missing value is {@code -};
 *       checksum is {@code ok} or {@code CHANGED}; backfill is a progress summary when it has a
 *       {@code percent} (pass, percent, rows done/estimate, rows/s, ETA, PAUSED, why it waits; or
 *       "done: N copied, M repaired"), else its entries as {@code key=value}.</li>
 *   <li>{@link Format#JSON}: {@code {"migrations":[{"id":…,"phase":…,"status":…, …every other key
 *       in the row's order}]}}, pretty printed.</li>
 *   <li>{@link Format#MARKDOWN}: the text table as a Markdown table.</li>
 * </ul>
 * Values that JSON cannot hold are converted: dates and times ({@link TemporalAccessor},
 * {@link Date}) to ISO-8601 strings, other unknown objects to {@code toString()}. There is no SQL
 * form. Column widths count code points, which is right for most scripts but not for wide (CJK)
 * characters.
 */
public final class StatusRenderer {
    private static final String[] HEADERS = {"ID", "PHASE", "STATUS", "CHECKSUM", "APPLIED BY", "UPDATED AT", "BACKFILL", "NEXT"};

    private StatusRenderer() {}

    /**
     * Renders the rows in the given format.
     *
     * @throws IllegalArgumentException for {@link Format#SQL}
     */
    public static String render(List<Map<String, Object>> rows, Format format) {
        Objects.requireNonNull(format, "format");
        return switch (format) {
            case TEXT -> text(rows);
            case JSON -> json(rows);
            case MARKDOWN -> markdown(rows);
            case SQL -> throw new IllegalArgumentException("tandem status has no sql format; use text, json or markdown");
        };
    }

    /** The aligned text table (or "no migrations"), ending with a newline. */
    public static String text(List<Map<String, Object>> rows) {
        if (rows.isEmpty()) {
            return "no migrations\n";
        }
        List<String[]> table = new ArrayList<>();
        table.add(HEADERS);
        for (Map<String, Object> row : rows) {
            String[] cells = cells(row);
            for (int i = 0; i < cells.length; i++) {
                cells[i] = RenderSupport.terminalSafe(RenderSupport.oneLine(cells[i]));
            }
            table.add(cells);
        }
        int[] widths = new int[HEADERS.length];
        for (String[] r : table) {
            for (int i = 0; i < r.length; i++) {
                widths[i] = Math.max(widths[i], RenderSupport.width(r[i]));
            }
        }
        StringBuilder out = new StringBuilder();
        for (String[] r : table) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                if (i > 0) {
                    line.append("  ");
                }
                line.append(RenderSupport.pad(r[i], widths[i]));
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }

    /** {@code {"migrations":[…]}}, pretty printed, ending with a newline. */
    public static String json(List<Map<String, Object>> rows) {
        List<Object> migrations = new ArrayList<>(rows.size());
        for (Map<String, Object> row : rows) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", plain(row.get("id")));
            m.put("phase", plain(row.get("phase")));
            m.put("status", plain(row.get("status")));
            for (Map.Entry<String, Object> e : row.entrySet()) {
                if (!m.containsKey(e.getKey())) {
                    m.put(e.getKey(), plain(e.getValue()));
                }
            }
            migrations.add(m);
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("migrations", migrations);
        return Json.pretty(doc) + "\n";
    }

    /** The text table's columns as a Markdown table, ending with a newline. */
    public static String markdown(List<Map<String, Object>> rows) {
        if (rows.isEmpty()) {
            return "_No migrations._\n";
        }
        StringBuilder out = new StringBuilder("| ");
        out.append(String.join(" | ", HEADERS).toLowerCase(java.util.Locale.ROOT)).append(" |\n|");
        out.append("---|".repeat(HEADERS.length)).append('\n');
        for (Map<String, Object> row : rows) {
            out.append('|');
            for (String c : cells(row)) {
                out.append(' ').append(MarkdownPlanRenderer.cell(c)).append(" |");
            }
            out.append('\n');
        }
        return out.toString();
    }

    private static String[] cells(Map<String, Object> row) {
        Object ok = row.get("checksum_ok");
        return new String[] {
            display(row.get("id")),
            display(row.get("phase")),
            display(row.get("status")),
            ok == null ? "-" : Boolean.TRUE.equals(ok) ? "ok" : "CHANGED",
            display(row.get("applied_by")),
            display(row.get("updated_at")),
            backfill(row.get("backfill")),
            display(row.get("next")),
        };
    }

    private static String backfill(Object b) {
        if (!(b instanceof Map<?, ?> m)) {
            return display(b);
        }
        if (m.isEmpty()) {
            return "-";
        }
        if (m.get("percent") instanceof Number pct) {
            return progress(m, pct);
        }
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(e.getKey()).append('=').append(display(e.getValue()));
        }
        return sb.toString();
    }

    /** "copy 45% 450000/1000000 rows, 52000 rows/s, ETA 11 s, waiting: …" or "done: 1000000 copied, 0 repaired". */
    private static String progress(Map<?, ?> m, Number pct) {
        if (Boolean.TRUE.equals(m.get("finished"))) {
            return "done: " + display(m.get("rows_copied")) + " copied, " + display(m.get("rows_repaired")) + " repaired";
        }
        StringBuilder sb = new StringBuilder();
        sb.append(display(m.get("pass"))).append(' ').append(pct).append("% ")
                .append(display(m.get("rows_done"))).append('/').append(display(m.get("rows_estimate"))).append(" rows, ")
                .append(display(m.get("rows_per_s"))).append(" rows/s");
        if (m.get("eta_s") instanceof Number eta) {
            sb.append(", ETA ").append(eta).append(" s");
        }
        if (Boolean.TRUE.equals(m.get("paused"))) {
            sb.append(", PAUSED");
        }
        if (m.get("throttle") != null) {
            sb.append(", waiting: ").append(display(m.get("throttle")));
        }
        return sb.toString();
    }

    private static String display(Object v) {
        Object p = plain(v);
        if (p == null) {
            return "-";
        }
        if (p instanceof String s) {
            return s.isEmpty() ? "-" : s;
        }
        return p instanceof Map || p instanceof List ? Json.write(p) : String.valueOf(p);
    }

    /** The value as something {@link Json} can write. */
    private static Object plain(Object v) {
        if (v == null || v instanceof Boolean || v instanceof CharSequence) {
            return v instanceof CharSequence cs ? cs.toString() : v;
        }
        if (v instanceof Number n) {
            return n instanceof Double d && !Double.isFinite(d) || n instanceof Float f && !Float.isFinite(f) ? n.toString() : n;
        }
        if (v instanceof Optional<?> o) {
            return plain(o.orElse(null));
        }
        if (v instanceof Enum<?> e) {
            return e.toString();
        }
        if (v instanceof TemporalAccessor t) {
            return t.toString();
        }
        if (v instanceof Date d) {
            try {
                return d.toInstant().toString();
            } catch (UnsupportedOperationException sqlDate) { // java.sql.Date / Time
                return d.toString();
            }
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                out.put(String.valueOf(e.getKey()), plain(e.getValue()));
            }
            return out;
        }
        if (v instanceof Iterable<?> it) {
            List<Object> out = new ArrayList<>();
            for (Object o : it) {
                out.add(plain(o));
            }
            return out;
        }
        return v.toString();
    }
}
