package dev.tandem.execute;

import dev.tandem.TandemException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Makes sure only one Tandem works on a database at a time: a session-level
 * {@code pg_try_advisory_lock} on a key derived from the state schema's name, held by a connection
 * for as long as the command runs. When another session holds it, the error says who.
 */
public final class AdvisoryLock {
    private AdvisoryLock() {}

    /** Takes the lock on this connection or throws exit code 3 naming the holder. */
    public static void acquire(Connection c, String stateSchema) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(hashtext(?))")) {
            ps.setString(1, "tandem:" + stateSchema);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (rs.getBoolean(1)) {
                    return;
                }
            }
        }
        throw new TandemException(TandemException.LOCK, "another Tandem is working on this database: " + holder(c, stateSchema)
                + "; wait for it to finish, or end that session if it is stuck");
    }

    public static void release(Connection c, String stateSchema) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_unlock(hashtext(?))")) {
            ps.setString(1, "tandem:" + stateSchema);
            ps.executeQuery().close();
        }
    }

    /** The session holding the lock (pid, role, application, client, since), if another one holds it. Reads only. */
    public static java.util.Optional<String> heldBy(Connection c, String stateSchema) throws SQLException {
        String h = holder(c, stateSchema);
        return h.startsWith("pid ") ? java.util.Optional.of(h) : java.util.Optional.empty();
    }

    private static String holder(Connection c, String stateSchema) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT a.pid, coalesce(a.usename, '?'), coalesce(a.application_name, ''), coalesce(host(a.client_addr), 'local'),"
                        + " a.backend_start FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
                        + " WHERE l.locktype = 'advisory' AND l.granted AND l.objid = (hashtext(?)::bigint & 4294967295)::oid"
                        + " AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())")) {
            ps.setString(1, "tandem:" + stateSchema);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return "pid " + rs.getInt(1) + " (role " + rs.getString(2) + ", application '" + rs.getString(3)
                            + "', from " + rs.getString(4) + ", since " + rs.getObject(5) + ")";
                }
            }
        }
        return "a session that has just released it";
    }
}
