package dev.tandem.backfill;

import dev.tandem.TandemException;
import dev.tandem.sql.Ident;
import dev.tandem.sql.QualifiedName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Ranges over a unique NOT NULL key, single or composite, compared as a row value
 * ({@code (a, b) > (?, ?)}) so a btree on the key serves both the boundary lookup and the update.
 * A range ends at the key {@code rows} entries further on, found with one index scan.
 */
final class KeysetSource implements KeySource {
    private final QualifiedName table;
    private final List<String> columns;
    private final List<String> types;
    private final String what;
    private final String keyList;
    private final String placeholders;

    KeysetSource(QualifiedName table, List<String> columns, List<String> types, String what) {
        this.table = table;
        this.columns = List.copyOf(columns);
        this.types = List.copyOf(types);
        this.what = what;
        this.keyList = String.join(", ", columns.stream().map(Ident::quote).toList());
        this.placeholders = String.join(", ", types.stream().map(t -> "CAST(? AS " + t + ")").toList());
    }

    @Override
    public String describe() {
        return what + " (" + String.join(", ", columns) + ")";
    }

    @Override
    public String kind() {
        return "keyset";
    }

    /** The key columns as text, under aliases, so that ORDER BY the key sorts by the columns' own type, not by text. */
    private String textKeys() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            out.add(Ident.quote(columns.get(i)) + "::text AS tandem_k" + i);
        }
        return String.join(", ", out);
    }

    @Override
    public Optional<List<String>> last(Connection c) throws SQLException {
        String desc = String.join(", ", columns.stream().map(k -> Ident.quote(k) + " DESC").toList());
        try (PreparedStatement ps = c.prepareStatement("SELECT " + textKeys() + " FROM " + table.sql() + " ORDER BY " + desc + " LIMIT 1");
             ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(read(rs)) : Optional.empty();
        }
    }

    @Override
    public List<String> next(Connection c, List<String> lower, List<String> end, int rows) throws SQLException {
        String sql = "SELECT " + textKeys() + " FROM " + table.sql() + " WHERE " + range(lower != null)
                + " ORDER BY " + keyList + " OFFSET " + (rows - 1) + " LIMIT 1";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, 1, lower, end);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? read(rs) : end;
            }
        }
    }

    @Override
    public Scan scan(Connection c, List<String> lower, List<String> end, int rows, String differs) throws SQLException {
        List<String> aliases = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            aliases.add("tandem_k" + i);
        }
        String keys = String.join(", ", aliases);
        String sql = "SELECT " + keys + ", tandem_n, tandem_d FROM (SELECT " + keys + ", count(*) OVER () AS tandem_n,"
                + " count(*) FILTER (WHERE tandem_diff) OVER () AS tandem_d, row_number() OVER () AS tandem_rn FROM (SELECT "
                + textKeys() + ", " + differs + " AS tandem_diff FROM " + table.sql() + " WHERE " + range(lower != null)
                + " ORDER BY " + keyList + " LIMIT " + rows + ") tandem_s) tandem_w ORDER BY tandem_rn DESC LIMIT 1";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, 1, lower, end);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return new Scan(end, 0, 0);
                }
                long n = rs.getLong(columns.size() + 1);
                long d = rs.getLong(columns.size() + 2);
                return new Scan(n < rows ? end : read(rs), n, d);
            }
        }
    }

    @Override
    public String range(boolean withLower) {
        String upper = "(" + keyList + ") <= (" + placeholders + ")";
        return withLower ? "(" + keyList + ") > (" + placeholders + ") AND " + upper : upper;
    }

    @Override
    public int bind(PreparedStatement ps, int from, List<String> lower, List<String> upper) throws SQLException {
        int i = from;
        if (lower != null) {
            for (String v : lower) {
                ps.setString(i++, v);
            }
        }
        for (String v : upper) {
            ps.setString(i++, v);
        }
        return i;
    }

    @Override
    public long rowsIn(List<String> lower, List<String> upper, int requested, boolean reachedEnd) {
        return reachedEnd ? -1 : requested;
    }

    private List<String> read(ResultSet rs) throws SQLException {
        List<String> out = new ArrayList<>(columns.size());
        for (int i = 1; i <= columns.size(); i++) {
            out.add(rs.getString(i));
        }
        return out;
    }

    /** The SQL type of each key column, for casting the text keys back. */
    static List<String> types(Connection c, QualifiedName table, List<String> columns) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT format_type(a.atttypid, a.atttypmod) FROM pg_attribute a"
                + " WHERE a.attrelid = to_regclass(?) AND a.attname = ? AND NOT a.attisdropped")) {
            for (String k : columns) {
                ps.setString(1, table.sql());
                ps.setString(2, k);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw TandemException.badInput("key column " + k + " not found on " + table);
                    }
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }
}
