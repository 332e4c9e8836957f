package dev.tandem.backfill;

import dev.tandem.plan.BackfillSpec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How a backfill cuts its table into ranges. A range is {@code (lower, upper]} over a key: the
 * primary key (or, without one, a unique index whose columns are all NOT NULL) compared as a row
 * value, or else physical pages through {@code ctid} (PostgreSQL 14+ scans TID ranges). A key is
 * a list of text values, one per key column (for pages: one page number), as stored in the
 * checkpoint.
 * <p>Not handled: keys whose text form does not cast back to the same value (none of the built-in
 * types has that problem), and descending or non-default-collation index orders beyond what the
 * row comparison itself uses.
 */
sealed interface KeySource permits KeysetSource, PageSource {
    /** "primary key (id)", "unique index t_code_key (code)", "ctid pages". */
    String describe();

    /** The kind written to the checkpoint: "keyset" or "ctid". */
    String kind();

    /** The last key of the table now (fixed as the end of the job), or empty when the table is empty. */
    Optional<List<String>> last(Connection c) throws SQLException;

    /**
     * The end of the next range after {@code lower} (null: from the start) holding about
     * {@code rows} rows, never past {@code end}.
     */
    List<String> next(Connection c, List<String> lower, List<String> end, int rows) throws SQLException;

    /** What a read-only verify scan of one range found. */
    record Scan(List<String> upper, long rows, long differing) {}

    /**
     * Reads the next range after {@code lower} (about {@code rows} rows, never past {@code end}) in
     * one statement: where it ends, how many rows it holds and how many satisfy {@code differs}.
     */
    Scan scan(Connection c, List<String> lower, List<String> end, int rows, String differs) throws SQLException;

    /** The SQL predicate of a range; {@code withLower} false for the first range. */
    String range(boolean withLower);

    /** Binds the range's parameters from position {@code from}; returns the next position. */
    int bind(PreparedStatement ps, int from, List<String> lower, List<String> upper) throws SQLException;

    /** Rows covered by the range (exact for full keyset ranges, estimated for pages, -1 when unknown: the last keyset range). */
    long rowsIn(List<String> lower, List<String> upper, int requested, boolean reachedEnd);

    /** Rows in the table (planner estimate, 0 when never analyzed). */
    static long estimate(Connection c, BackfillSpec spec) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT greatest(reltuples, 0)::bigint FROM pg_class WHERE oid = to_regclass(?)")) {
            ps.setString(1, spec.table().sql());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    /**
     * Chooses the key: the spec's key columns (the primary key) when it has them; else the
     * narrowest valid unique index without expressions or predicate whose columns are all NOT
     * NULL; else ctid pages.
     */
    static KeySource choose(Connection c, BackfillSpec spec) throws SQLException {
        if (!spec.keyColumns().isEmpty()) {
            return new KeysetSource(spec.table(), spec.keyColumns(), KeysetSource.types(c, spec.table(), spec.keyColumns()),
                    "primary key");
        }
        String sql = """
                SELECT ic.relname, array_agg(a.attname::text ORDER BY k.ord)
                FROM pg_index i
                JOIN pg_class ic ON ic.oid = i.indexrelid
                CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
                JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
                WHERE i.indrelid = to_regclass(?) AND i.indisunique AND i.indisvalid AND i.indimmediate
                  AND i.indexprs IS NULL AND i.indpred IS NULL AND k.ord <= i.indnkeyatts
                GROUP BY ic.relname, i.indnkeyatts
                HAVING bool_and(a.attnotnull)
                ORDER BY i.indnkeyatts, ic.relname
                LIMIT 1""";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, spec.table().sql());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    List<String> cols = new ArrayList<>(List.of((String[]) rs.getArray(2).getArray()));
                    return new KeysetSource(spec.table(), cols, KeysetSource.types(c, spec.table(), cols),
                            "unique index " + rs.getString(1));
                }
            }
        }
        return PageSource.of(c, spec.table());
    }
}
