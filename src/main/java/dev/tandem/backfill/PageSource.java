package dev.tandem.backfill;

import dev.tandem.sql.QualifiedName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * Ranges of physical pages for a table without a usable unique key: a range is pages
 * {@code (lower, upper]} read with {@code ctid >= '(lower+1,0)' AND ctid < '(upper+1,0)'}, a TID
 * range scan on PostgreSQL 14+. The end is the table's size in pages when the job starts; row
 * versions written later (by the application through the sync trigger, or by the backfill itself)
 * already hold the right value, and {@code IS DISTINCT FROM} skips any the scan meets again.
 * <p>Rows per page is estimated from the statistics, so batch sizes and progress are approximate.
 */
final class PageSource implements KeySource {
    private final QualifiedName table;
    private final double rowsPerPage;

    private PageSource(QualifiedName table, double rowsPerPage) {
        this.table = table;
        this.rowsPerPage = rowsPerPage;
    }

    static PageSource of(Connection c, QualifiedName table) throws SQLException {
        double density = 50;
        try (PreparedStatement ps = c.prepareStatement("SELECT reltuples, relpages FROM pg_class WHERE oid = to_regclass(?)")) {
            ps.setString(1, table.sql());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next() && rs.getDouble(1) > 0 && rs.getLong(2) > 0) {
                    density = Math.max(1.0, rs.getDouble(1) / rs.getLong(2));
                }
            }
        }
        return new PageSource(table, density);
    }

    @Override
    public String describe() {
        return "ctid pages (no primary key or unique NOT NULL index)";
    }

    @Override
    public String kind() {
        return "ctid";
    }

    @Override
    public Optional<List<String>> last(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_relation_size(to_regclass(?)) / current_setting('block_size')::bigint")) {
            ps.setString(1, table.sql());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long pages = rs.getLong(1);
                return pages == 0 ? Optional.empty() : Optional.of(List.of(Long.toString(pages - 1)));
            }
        }
    }

    @Override
    public List<String> next(Connection c, List<String> lower, List<String> end, int rows) {
        long from = lower == null ? -1 : Long.parseLong(lower.get(0));
        long pages = Math.max(1, Math.round(rows / rowsPerPage));
        long upper = Math.min(Long.parseLong(end.get(0)), from + pages);
        return List.of(Long.toString(upper));
    }

    @Override
    public Scan scan(Connection c, List<String> lower, List<String> end, int rows, String differs) throws SQLException {
        List<String> upper = next(c, lower, end, rows);
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*), count(*) FILTER (WHERE " + differs + ") FROM "
                + table.sql() + " WHERE " + range(lower != null))) {
            bind(ps, 1, lower, upper);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Scan(upper, rs.getLong(1), rs.getLong(2));
            }
        }
    }

    @Override
    public String range(boolean withLower) {
        String upper = "ctid < CAST(? AS tid)";
        return withLower ? "ctid >= CAST(? AS tid) AND " + upper : upper;
    }

    @Override
    public int bind(PreparedStatement ps, int from, List<String> lower, List<String> upper) throws SQLException {
        int i = from;
        if (lower != null) {
            ps.setString(i++, "(" + (Long.parseLong(lower.get(0)) + 1) + ",0)");
        }
        ps.setString(i++, "(" + (Long.parseLong(upper.get(0)) + 1) + ",0)");
        return i;
    }

    @Override
    public long rowsIn(List<String> lower, List<String> upper, int requested, boolean reachedEnd) {
        long from = lower == null ? -1 : Long.parseLong(lower.get(0));
        return Math.round((Long.parseLong(upper.get(0)) - from) * rowsPerPage);
    }
}
