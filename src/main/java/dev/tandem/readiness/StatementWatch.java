package dev.tandem.readiness;

import dev.tandem.sql.Ident;
import dev.tandem.sql.SqlTokens;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Finds, in {@code pg_stat_statements}, the statements of the current database that name a column or
 * table a contract retires, and keeps their call counts in the state table
 * {@code statement_baseline}: the count when switch-reads was applied, and the count and time when
 * a check last saw it rise.
 * <p>Matching is by the statement's text (a token equal to the table name and one equal to the
 * column name used as a column), so it can be fooled by a same-named column of another table in a
 * join, and misses statements that reach the column through a view or a function. Utility
 * statements (DDL) and statements naming the state schema (Tandem's own) are ignored.
 * <p>It does not handle pg_stat_statements being absent or not preloaded: {@link #availability}
 * says so and the caller reports "not available".
 */
public final class StatementWatch {
    private final String stateSchema;

    public StatementWatch(String stateSchema) {
        this.stateSchema = stateSchema;
    }

    /** Empty when the view can be read; otherwise why not. */
    public static Optional<String> availability(Connection c) {
        try {
            Optional<String> schema = extensionSchema(c);
            if (schema.isEmpty()) {
                return Optional.of("the extension pg_stat_statements is not installed in this database (CREATE EXTENSION pg_stat_statements)");
            }
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT 1 FROM " + Ident.quote(schema.get()) + ".pg_stat_statements LIMIT 1")) {
                rs.next();
            }
            return Optional.empty();
        } catch (SQLException e) {
            return Optional.of("pg_stat_statements cannot be read: " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    private static Optional<String> extensionSchema(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_stat_statements'")) {
            return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
        }
    }

    /** A statement row as read from the view, with what it names. */
    private record Row(long queryId, long userId, String role, String query, long calls, List<String> names) {}

    private List<Row> matching(Connection c, RetiredObjects retired) throws SQLException {
        String schema = extensionSchema(c).orElseThrow();
        List<Row> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT s.queryid, s.userid, coalesce(r.rolname, s.userid::text), s.query, s.calls FROM "
                        + Ident.quote(schema) + ".pg_stat_statements s LEFT JOIN pg_roles r ON r.oid = s.userid"
                        + " WHERE s.dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) AND s.queryid IS NOT NULL")) {
            while (rs.next()) {
                String query = rs.getString(4);
                if (query == null || !isDml(query) || SqlTokens.mentionsColumn(query, stateSchema)) {
                    continue;
                }
                List<String> names = names(query, retired);
                if (!names.isEmpty()) {
                    out.add(new Row(rs.getLong(1), rs.getLong(2), rs.getString(3), query, rs.getLong(5), names));
                }
            }
        }
        return out;
    }

    private static boolean isDml(String query) {
        String head = query.stripLeading().toLowerCase(Locale.ROOT);
        return head.startsWith("select") || head.startsWith("insert") || head.startsWith("update") || head.startsWith("delete")
                || head.startsWith("with") || head.startsWith("merge") || head.startsWith("copy") || head.startsWith("table");
    }

    static List<String> names(String query, RetiredObjects retired) {
        List<String> names = new ArrayList<>();
        for (RetiredObjects.Column col : retired.columns()) {
            if (SqlTokens.mentionsColumn(query, col.table().name()) && SqlTokens.mentionsColumn(query, col.column())) {
                names.add(col.toString());
            }
        }
        for (var t : retired.tables()) {
            if (SqlTokens.mentionsColumn(query, t.name())) {
                names.add(t.toString());
            }
        }
        return names;
    }

    /** At switch-reads: remembers the current calls of every matching statement. */
    public void captureBaseline(Connection c, String migrationId, RetiredObjects retired) throws SQLException {
        try (PreparedStatement del = c.prepareStatement("DELETE FROM " + table() + " WHERE migration_id = ?")) {
            del.setString(1, migrationId);
            del.executeUpdate();
        }
        try (PreparedStatement ins = c.prepareStatement("INSERT INTO " + table()
                + " (migration_id, queryid, userid, base_calls, seen_calls, seen_at) VALUES (?, ?, ?, ?, ?, NULL)"
                + " ON CONFLICT DO NOTHING")) {
            for (Row r : matching(c, retired)) {
                ins.setString(1, migrationId);
                ins.setLong(2, r.queryId());
                ins.setLong(3, r.userId());
                ins.setLong(4, r.calls());
                ins.setLong(5, r.calls());
                ins.addBatch();
            }
            ins.executeBatch();
        }
    }

    /**
     * The matching statements used since switch-reads, and records rises it sees now (at
     * {@code now}, the database's clock). A statement without a baseline counts all its calls.
     */
    public List<StatementUse> observe(Connection c, String migrationId, RetiredObjects retired, Timestamp now) throws SQLException {
        record Seen(long base, long calls, Timestamp at) {}
        Map<String, Seen> seen = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT queryid, userid, base_calls, seen_calls, seen_at FROM " + table()
                + " WHERE migration_id = ?")) {
            ps.setString(1, migrationId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    seen.put(rs.getLong(1) + "/" + rs.getLong(2), new Seen(rs.getLong(3), rs.getLong(4), rs.getTimestamp(5)));
                }
            }
        }
        List<StatementUse> out = new ArrayList<>();
        try (PreparedStatement up = c.prepareStatement("INSERT INTO " + table()
                + " (migration_id, queryid, userid, base_calls, seen_calls, seen_at) VALUES (?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (migration_id, queryid, userid) DO UPDATE SET base_calls = excluded.base_calls,"
                + " seen_calls = excluded.seen_calls, seen_at = excluded.seen_at")) {
            for (Row r : matching(c, retired)) {
                Seen s = seen.get(r.queryId() + "/" + r.userId());
                long base = s == null ? 0 : s.base();
                long last = s == null ? 0 : s.calls();
                Timestamp at = s == null ? null : s.at();
                if (r.calls() < last) { // pg_stat_statements was reset: everything counted now is new
                    base = 0;
                    last = 0;
                }
                if (r.calls() > last) {
                    at = now;
                    up.setString(1, migrationId);
                    up.setLong(2, r.queryId());
                    up.setLong(3, r.userId());
                    up.setLong(4, base);
                    up.setLong(5, r.calls());
                    up.setTimestamp(6, now);
                    up.addBatch();
                }
                long since = r.calls() - base;
                if (since > 0) {
                    out.add(new StatementUse(r.queryId(), r.role(), r.query(), r.names(), since,
                            Optional.ofNullable(at).map(Timestamp::toInstant)));
                }
            }
            up.executeBatch();
        }
        return out;
    }

    private String table() {
        return Ident.quote(stateSchema) + ".statement_baseline";
    }
}
