package dev.tandem.readiness;

import dev.tandem.plan.MigrationPlan;
import dev.tandem.plan.Step;
import dev.tandem.sql.QualifiedName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code tandem purge ID} will drop, with sizes: per purge step its lock and, for a dropped
 * column, the estimated bytes it holds (planner statistics: {@code avg_width × reltuples}; "size
 * unknown" without ANALYZE), for a dropped table its total size ({@code pg_total_relation_size}).
 * Text only; it reads the catalog and changes nothing.
 */
public final class PurgeReport {
    private static final String ID = "\"((?:[^\"]|\"\")*)\"";
    private static final String QN = ID + "\\." + ID;
    private static final Pattern DROP_COLUMN = Pattern.compile("^ALTER TABLE " + QN + " DROP COLUMN " + ID + "$");
    private static final Pattern DROP_TABLE = Pattern.compile("^DROP TABLE " + QN + "(?: CASCADE)?$");

    private PurgeReport() {}

    public static String text(Connection c, MigrationPlan plan) throws SQLException {
        StringBuilder sb = new StringBuilder("Purge of " + plan.id() + " drops, irreversibly:\n");
        if (plan.purge().isEmpty()) {
            sb.append("  (nothing)\n");
        }
        for (Step s : plan.purge()) {
            sb.append("  - ").append(s.description()).append("  [").append(s.lock())
                    .append(s.table() == null ? "" : " on " + s.table()).append("]");
            Matcher m;
            String sql = s.sql().strip();
            if ((m = DROP_COLUMN.matcher(sql)).matches()) {
                sb.append(", ").append(columnSize(c, new QualifiedName(unquote(m.group(1)), unquote(m.group(2))), unquote(m.group(3))));
            } else if ((m = DROP_TABLE.matcher(sql)).matches()) {
                sb.append(", ").append(tableSize(c, new QualifiedName(unquote(m.group(1)), unquote(m.group(2)))));
            }
            sb.append('\n');
        }
        return sb.toString().stripTrailing();
    }

    private static String columnSize(Connection c, QualifiedName t, String column) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT s.avg_width::float8 * greatest(cl.reltuples, 0), cl.reltuples"
                + " FROM pg_class cl LEFT JOIN pg_stats s ON s.schemaname = ? AND s.tablename = ? AND s.attname = ?"
                + " WHERE cl.oid = to_regclass(?)")) {
            ps.setString(1, t.schema());
            ps.setString(2, t.name());
            ps.setString(3, column);
            ps.setString(4, t.sql());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return "table not found";
                }
                double bytes = rs.getDouble(1);
                return rs.wasNull() ? "size unknown (no statistics: ANALYZE " + t.sql() + ")"
                        : "about " + human((long) bytes) + " in ~" + Math.max(0, (long) rs.getDouble(2)) + " rows";
            }
        }
    }

    private static String tableSize(Connection c, QualifiedName t) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_total_relation_size(to_regclass(?))")) {
            ps.setString(1, t.sql());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long b = rs.getLong(1);
                return rs.wasNull() ? "table not found" : human(b) + " with indexes and TOAST";
            }
        }
    }

    static String human(long bytes) {
        if (bytes < 1024) return bytes + " B";
        String[] units = {"kB", "MB", "GB", "TB"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(java.util.Locale.ROOT, "%.1f %s", v, units[u]);
    }

    private static String unquote(String s) {
        return s.replace("\"\"", "\"");
    }
}
