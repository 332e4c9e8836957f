package dev.tandem.execute;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Names the sessions that hold locks on a table, for the message when Tandem gives up waiting. */
final class Blockers {
    private Blockers() {}

    static String describe(Connection c, String table) {
        if (table == null) {
            return "";
        }
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT a.pid, l.mode, coalesce(a.application_name, ''), coalesce(a.state, ''), now() - a.xact_start,"
                        + " left(regexp_replace(coalesce(a.query, ''), '\\s+', ' ', 'g'), 120)"
                        + " FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
                        + " WHERE l.relation IN (SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                        + " WHERE n.nspname || '.' || c.relname = ?)"
                        + " AND l.granted AND l.pid <> pg_backend_pid() ORDER BY a.xact_start")) {
            // the display name "schema.table" is compared whole: names may contain dots
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next() && out.size() < 5) {
                    out.add("pid " + rs.getInt(1) + " holds " + rs.getString(2) + " (application '" + rs.getString(3) + "', "
                            + rs.getString(4) + ", transaction open for " + rs.getString(5) + ": " + rs.getString(6) + ")");
                }
            }
        } catch (SQLException e) {
            return "";
        }
        return out.isEmpty() ? "" : "; blocking sessions: " + String.join("; ", out);
    }
}
