package dev.tandem.lifecycle;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/** Row-level helpers for the column-intent lifecycle tests (tables keyed by a uuid {@code id}). */
final class Rows {
    private Rows() {}

    /** Runs {@code INSERT … RETURNING id} with string parameters; returns the id. */
    static UUID insert(Connection c, String sql, String... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setString(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next(), sql);
                return rs.getObject(1, UUID.class);
            }
        }
    }

    /** Runs an UPDATE/DELETE with string parameters, then the id as the last parameter; returns the row count. */
    static int write(Connection c, String sql, UUID id, String... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            for (String p : params) {
                ps.setString(i++, p);
            }
            ps.setObject(i, id);
            return ps.executeUpdate();
        }
    }

    /** One expression of one row, as text. Not prepared: the column set changes between phases. */
    static String get(Connection c, String table, UUID id, String expr) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT " + expr + " FROM " + table + " WHERE id = '" + id + "'")) {
            assertTrue(rs.next(), "no row " + id + " in " + table);
            return rs.getString(1);
        }
    }

    static boolean notNull(Connection c, String table, String column) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT attnotnull FROM pg_attribute"
                + " WHERE attrelid = ?::regclass AND attname = ? AND NOT attisdropped")) {
            ps.setString(1, table);
            ps.setString(2, column);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next(), "no column " + column + " on " + table);
                return rs.getBoolean(1);
            }
        }
    }

    static void delete(Connection c, String table, Iterable<UUID> ids) throws SQLException {
        for (UUID id : ids) {
            write(c, "DELETE FROM " + table + " WHERE id = ?", id);
        }
    }
}
