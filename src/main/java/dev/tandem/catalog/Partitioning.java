package dev.tandem.catalog;

import dev.tandem.sql.QualifiedName;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How a partitioned table (relkind {@code p}) is split: its key as PostgreSQL prints it
 * ({@code pg_get_partkeydef}, e.g. {@code RANGE (happened)}), the key's columns, and every
 * partition below it — direct ones, and those of sub-partitioned partitions — parents before
 * their children, siblings by name.
 * <p>It does not hold the partitions' own objects (see {@link Partition}).
 *
 * @param key the partition key definition
 * @param keyColumns the key's columns in order ({@code null} entries for expressions)
 * @param partitions every partition below the table, parents first
 */
public record Partitioning(String key, List<String> keyColumns, List<Partition> partitions) {
    public Partitioning {
        Objects.requireNonNull(key);
        keyColumns = java.util.Collections.unmodifiableList(new ArrayList<>(keyColumns));
        partitions = List.copyOf(partitions);
    }

    /** The partitions that store rows (relkind r), in tree order. */
    public List<Partition> leaves() {
        return partitions.stream().filter(Partition::leaf).toList();
    }

    /** The direct partitions of {@code parent} (the root or a sub-partitioned partition). */
    public List<Partition> childrenOf(QualifiedName parent) {
        return partitions.stream().filter(p -> p.parent().equals(parent)).toList();
    }

    /** Whether some partition is partitioned again. */
    public boolean nested() {
        return partitions.stream().anyMatch(p -> !p.leaf());
    }

    /**
     * Every key column of every level (the root's and those of sub-partitioned partitions), in
     * first-seen order; {@code null} entries (expressions) left out.
     */
    public List<String> allKeyColumns() {
        List<String> out = new ArrayList<>();
        for (String c : keyColumns) {
            if (c != null && !out.contains(c)) {
                out.add(c);
            }
        }
        for (Partition p : partitions) {
            for (String c : p.keyColumns()) {
                if (c != null && !out.contains(c)) {
                    out.add(c);
                }
            }
        }
        return out;
    }

    /** Whether some level's key is an expression rather than columns. */
    public boolean expressionKey() {
        return keyColumns.contains(null) || partitions.stream().anyMatch(p -> p.keyColumns().contains(null));
    }
}
