package dev.tandem.testing;

import dev.tandem.catalog.Fingerprint;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/** Small JDBC conveniences for tests. */
public final class Db {
    private Db() {}

    public static void exec(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** The first column of the first row (null when there is no row). */
    public static Object scalar(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getObject(1) : null;
        }
    }

    public static long count(Connection c, String sql) throws SQLException {
        Object v = scalar(c, sql);
        return v == null ? 0 : ((Number) v).longValue();
    }

    public static boolean columnExists(Connection c, String schema, String table, String column) throws SQLException {
        try (var ps = c.prepareStatement("SELECT 1 FROM pg_attribute a JOIN pg_class t ON t.oid = a.attrelid"
                + " JOIN pg_namespace n ON n.oid = t.relnamespace"
                + " WHERE n.nspname = ? AND t.relname = ? AND a.attname = ? AND a.attnum > 0 AND NOT a.attisdropped")) {
            ps.setString(1, schema);
            ps.setString(2, table);
            ps.setString(3, column);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Fingerprint of schema public, with data. */
    public static Fingerprint publicFingerprint(Connection c) {
        return Fingerprint.of(c, List.of("public"), true);
    }

    /**
     * Rows in {@code tandem.migrations}, or -1 when the state table does not exist (schema
     * {@code tandem} absent, or present but empty of Tandem's tables).
     */
    public static long tandemMigrationRows(Connection c) throws SQLException {
        Object exists = scalar(c, "SELECT to_regclass('tandem.migrations') IS NOT NULL");
        if (!Boolean.TRUE.equals(exists)) {
            return -1;
        }
        return count(c, "SELECT count(*) FROM tandem.migrations");
    }
}
