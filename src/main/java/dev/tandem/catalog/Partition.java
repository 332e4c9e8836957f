package dev.tandem.catalog;

import dev.tandem.sql.QualifiedName;
import java.util.List;
import java.util.Objects;

/**
 * One partition somewhere below a partitioned table: its name, the table it is directly attached
 * to, its bound as PostgreSQL prints it ({@code pg_get_expr(relpartbound)}, e.g.
 * {@code FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')} or {@code DEFAULT}), and whether it
 * holds rows itself (a leaf, relkind {@code r}) or is partitioned again (relkind {@code p}, with
 * its own key columns).
 * <p>It does not describe the partition's own columns, constraints, indexes or triggers (those
 * follow the parent; {@link Fingerprint} compares them), nor foreign-table partitions.
 *
 * @param name qualified name of the partition
 * @param parent the table it is a partition of (the root or an intermediate partitioned table)
 * @param bound the partition bound clause
 * @param leaf true for a partition that stores rows (relkind r)
 * @param keyColumns for a sub-partitioned partition, its partition key columns (null for an expression); empty for a leaf
 */
public record Partition(QualifiedName name, QualifiedName parent, String bound, boolean leaf, List<String> keyColumns) {
    public Partition {
        Objects.requireNonNull(name);
        Objects.requireNonNull(parent);
        Objects.requireNonNull(bound);
        keyColumns = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(keyColumns));
    }

    /** Whether this is the default partition of its parent. */
    public boolean isDefault() {
        return "DEFAULT".equals(bound);
    }
}
