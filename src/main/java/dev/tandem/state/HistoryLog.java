package dev.tandem.state;

import dev.tandem.sql.Ident;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads Tandem's append-only audit log ({@code <state schema>.history}) in order. Read-only; an
 * absent state schema reads as an empty log. It does not write entries ({@link StateStore#log} does).
 */
public final class HistoryLog {
    private final String schema;

    public HistoryLog(String schema) {
        this.schema = schema;
    }

    /** Entries (keys seq, migration, phase, step, action, detail, who, at), oldest first, optionally of one migration. */
    public List<Map<String, Object>> entries(Connection c, Optional<String> id) throws SQLException {
        List<Map<String, Object>> out = new ArrayList<>();
        String table = Ident.quote(schema) + "." + Ident.quote("history");
        try (PreparedStatement probe = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            probe.setString(1, table);
            try (ResultSet rs = probe.executeQuery()) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    return out;
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT seq, migration_id, phase, step_index, action, detail, who, at FROM "
                + table + " WHERE (?::text IS NULL OR migration_id = ?) ORDER BY seq")) {
            ps.setString(1, id.orElse(null));
            ps.setString(2, id.orElse(null));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> e = new LinkedHashMap<>();
                    e.put("seq", rs.getLong(1));
                    e.put("migration", rs.getString(2));
                    e.put("phase", rs.getString(3));
                    int step = rs.getInt(4);
                    e.put("step", rs.wasNull() ? null : step);
                    e.put("action", rs.getString(5));
                    e.put("detail", rs.getString(6));
                    e.put("who", rs.getString(7));
                    e.put("at", rs.getObject(8, java.time.OffsetDateTime.class).toString());
                    out.add(e);
                }
            }
        }
        return out;
    }
}
