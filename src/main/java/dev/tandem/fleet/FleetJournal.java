package dev.tandem.fleet;

import dev.tandem.lifecycle.Settings;
import dev.tandem.lifecycle.Workspace;
import dev.tandem.sql.Ident;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The fleet's notes in each target's own history table: {@code fleet-ok} or {@code fleet-error}
 * after every writing fleet command, so {@code fleet status} can show a target's last error
 * without any local run file. Best effort: a target that cannot be reached, or whose state schema
 * does not exist yet, gets no note (its error is then in the command's own output). Appending a
 * history row takes no advisory lock (the table is append-only).
 */
public final class FleetJournal {
    static final String OK = "fleet-ok";
    static final String ERROR = "fleet-error";
    /** The history's migration id of notes from commands that are not about one migration (apply). */
    static final String FLEET_ID = "fleet";

    private FleetJournal() {}

    static void record(Settings settings, String migrationId, String verb, int code, String message, Consumer<String> log) {
        try (Workspace ws = Workspace.forReading(settings)) {
            if (!ws.store().exists(ws.connection())) {
                return;
            }
            ws.store().log(ws.connection(), migrationId == null ? FLEET_ID : migrationId, null, null, code == 0 ? OK : ERROR,
                    verb + " exit " + code + ": " + message);
        } catch (RuntimeException | SQLException e) {
            log.accept("could not note the result in the target's history: " + e.getMessage());
        }
    }

    /** The latest fleet note when it is an error: {at, detail}; empty when the latest is ok or there is none. */
    public static Optional<Map<String, Object>> lastError(Connection c, String stateSchema) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT action, detail, at FROM " + Ident.quote(stateSchema)
                + ".history WHERE action IN (?, ?) ORDER BY seq DESC LIMIT 1")) {
            ps.setString(1, OK);
            ps.setString(2, ERROR);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next() && rs.getString(1).equals(ERROR)) {
                    Map<String, Object> e = new LinkedHashMap<>();
                    e.put("at", rs.getTimestamp(3).toInstant().toString());
                    e.put("detail", rs.getString(2));
                    return Optional.of(e);
                }
            }
        }
        return Optional.empty();
    }
}
