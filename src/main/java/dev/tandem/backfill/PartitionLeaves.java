package dev.tandem.backfill;

import dev.tandem.sql.QualifiedName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The leaf partitions (those that store rows, relkind {@code r}) below a partitioned table, read
 * live when a backfill starts: nested and default partitions included, in a stable order (by
 * schema and name), so a resumed backfill visits them in the same order.
 * <p>Empty for an ordinary table. Foreign-table partitions are not leaves here (a backfill does
 * not write to them).
 */
public final class PartitionLeaves {
    private PartitionLeaves() {}

    /** The leaves below {@code table}, or empty when it is not a partitioned table. */
    public static List<QualifiedName> of(Connection c, QualifiedName table) throws SQLException {
        String sql = """
                SELECT n.nspname::text, c.relname::text
                  FROM pg_catalog.pg_partition_tree(?::regclass) t
                  JOIN pg_catalog.pg_class c ON c.oid = t.relid
                  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                 WHERE t.isleaf AND c.relkind = 'r'
                   AND (SELECT r.relkind FROM pg_catalog.pg_class r WHERE r.oid = ?::regclass) = 'p'
                 ORDER BY n.nspname, c.relname""";
        List<QualifiedName> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, table.sql());
            ps.setString(2, table.sql());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new QualifiedName(rs.getString(1), rs.getString(2)));
                }
            }
        }
        return out;
    }
}
