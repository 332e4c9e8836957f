package dev.tandem.demo;

import dev.tandem.sql.Ident;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A fixed sample of existing keys of a table (up to a few thousand, spread over the whole table by
 * {@code TABLESAMPLE BERNOULLI}), for the simulated application's point reads and updates.
 */
final class Keys {
    private final Object[] keys;

    private Keys(List<Object> keys) {
        this.keys = keys.toArray();
    }

    /** About {@code n} keys of {@code column} in {@code table} (unqualified: resolved on the search_path). */
    static Keys sample(Connection c, String table, String column, int n) throws SQLException {
        double rows;
        try (PreparedStatement ps = c.prepareStatement("SELECT greatest(reltuples, 1) FROM pg_class WHERE oid = to_regclass(?)")) {
            ps.setString(1, Ident.quote(table));
            try (ResultSet rs = ps.executeQuery()) {
                rows = rs.next() ? rs.getDouble(1) : 1;
            }
        }
        double percent = Math.min(100.0, 100.0 * n * 1.5 / rows);
        List<Object> out = new ArrayList<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT " + Ident.quote(column) + " FROM " + Ident.quote(table)
                     + " TABLESAMPLE BERNOULLI (" + String.format(java.util.Locale.ROOT, "%.6f", percent) + ") REPEATABLE (42) LIMIT " + n)) {
            while (rs.next()) {
                out.add(rs.getObject(1));
            }
        }
        if (out.isEmpty()) {
            throw new SQLException("table " + table + " has no rows for the demo traffic");
        }
        return new Keys(out);
    }

    Object any(SplittableRandom rnd) {
        return keys[rnd.nextInt(keys.length)];
    }

    int size() {
        return keys.length;
    }
}
