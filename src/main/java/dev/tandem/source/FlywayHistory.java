package dev.tandem.source;

import dev.tandem.TandemException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Flyway's {@code flyway_schema_history} table in the session's current schema (where Flyway
 * keeps it by default): whether it exists, creating it as Flyway creates it on PostgreSQL when it
 * does not, and inserting the row Flyway writes for a SQL migration it ran: {@code installed_rank}
 * = max + 1, {@code version} (dots), {@code description} (underscores as spaces), {@code type}
 * {@code 'SQL'}, {@code script} (the path below the folder), {@code checksum}
 * ({@link FlywayChecksum}), {@code installed_by} = {@code current_user}, {@code installed_on} =
 * now, {@code execution_time} in milliseconds, {@code success} true.
 *
 * <p>The insert runs in the caller's transaction after {@code LOCK TABLE … IN EXCLUSIVE MODE}
 * (with a short lock_timeout), so two writers cannot take the same rank. It does not take Flyway's
 * own advisory lock (do not run {@code flyway migrate} while Tandem contracts), and it does not
 * handle a renamed table ({@code flyway.table}) or {@code flyway.schemas}.
 */
final class FlywayHistory {
    static final String TABLE = "flyway_schema_history";

    private FlywayHistory() {}

    static boolean exists(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT to_regclass('" + TABLE + "') IS NOT NULL")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    /** Creates the table with Flyway's PostgreSQL DDL when it is missing (in the caller's transaction). */
    static void ensure(Connection c) throws SQLException {
        if (exists(c)) {
            return;
        }
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + TABLE + " ("
                    + " installed_rank INT NOT NULL, version VARCHAR(50), description VARCHAR(200) NOT NULL,"
                    + " type VARCHAR(20) NOT NULL, script VARCHAR(1000) NOT NULL, checksum INTEGER,"
                    + " installed_by VARCHAR(100) NOT NULL, installed_on TIMESTAMP NOT NULL DEFAULT now(),"
                    + " execution_time INTEGER NOT NULL, success BOOLEAN NOT NULL)");
            s.execute("ALTER TABLE " + TABLE + " ADD CONSTRAINT " + TABLE + "_pk PRIMARY KEY (installed_rank)");
            s.execute("CREATE INDEX " + TABLE + "_s_idx ON " + TABLE + " (success)");
        }
    }

    /** Locks the table for this transaction; a held lock is a LOCK error naming the waiting time. */
    static void lock(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("SET LOCAL lock_timeout = '5s'");
            s.execute("LOCK TABLE " + TABLE + " IN EXCLUSIVE MODE");
        } catch (SQLException e) {
            if ("55P03".equals(e.getSQLState())) {
                throw new TandemException(TandemException.LOCK, TABLE + " is locked by another session (Flyway running?) for more than 5s;"
                        + " Tandem records the migration on the next `tandem apply` or `tandem contract`", e);
            }
            throw e;
        }
    }

    /** Inserts the row for one finished migration. */
    static void insert(Connection c, LiquibaseEntry e, long executionMillis) throws SQLException {
        int rank;
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT coalesce(max(installed_rank), 0) + 1 FROM " + TABLE)) {
            rs.next();
            rank = rs.getInt(1);
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + TABLE + " (installed_rank, version, description, type,"
                + " script, checksum, installed_by, installed_on, execution_time, success)"
                + " VALUES (?, ?, ?, 'SQL', ?, ?, current_user, now(), ?, true)")) {
            ps.setInt(1, rank);
            ps.setString(2, e.id());
            ps.setString(3, e.description().length() > 200 ? e.description().substring(0, 200) : e.description());
            ps.setString(4, e.filename());
            ps.setInt(5, Integer.parseInt(e.md5sum()));
            ps.setInt(6, (int) Math.min(Integer.MAX_VALUE, Math.max(0, executionMillis)));
            ps.executeUpdate();
        }
    }
}
