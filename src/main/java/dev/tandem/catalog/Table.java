package dev.tandem.catalog;

import dev.tandem.sql.QualifiedName;
import java.util.List;
import java.util.Optional;

/**
 * An immutable description of one table: columns in order, constraints, indexes, triggers, the
 * relation's ACL and the planner's row estimate.
 *
 * @param name qualified name
 * @param kind relkind: r (table), p (partitioned table), v (view)
 * @param columns live columns in position order
 * @param constraints constraints, by name order
 * @param indexes indexes, by name order
 * @param triggers non-internal triggers, by name order
 * @param acl relacl as text ("" when default)
 * @param rowEstimate reltuples (-1 when never analyzed)
 * @param comment table comment, if any
 * @param partitioning for a partitioned table (kind p): its key and partitions; empty otherwise
 * @param replicaIdentity {@code relreplident} and its index ({@link ReplicaIdentity#DEFAULT} when never changed)
 */
public record Table(
        QualifiedName name,
        String kind,
        List<Column> columns,
        List<Constraint> constraints,
        List<Index> indexes,
        List<Trigger> triggers,
        String acl,
        long rowEstimate,
        Optional<String> comment,
        Optional<Partitioning> partitioning,
        ReplicaIdentity replicaIdentity) {

    public Table {
        java.util.Objects.requireNonNull(partitioning);
        java.util.Objects.requireNonNull(replicaIdentity);
        columns = List.copyOf(columns);
        constraints = List.copyOf(constraints);
        indexes = List.copyOf(indexes);
        triggers = List.copyOf(triggers);
    }

    /** An ordinary table with the default replica identity (or a projection that keeps neither). */
    public Table(QualifiedName name, String kind, List<Column> columns, List<Constraint> constraints, List<Index> indexes,
            List<Trigger> triggers, String acl, long rowEstimate, Optional<String> comment) {
        this(name, kind, columns, constraints, indexes, triggers, acl, rowEstimate, comment, Optional.empty(), ReplicaIdentity.DEFAULT);
    }

    /** Whether this is a partitioned table (relkind p). */
    public boolean partitioned() {
        return "p".equals(kind);
    }

    /** A copy with the given partitioning. */
    public Table withPartitioning(Optional<Partitioning> p) {
        return new Table(name, kind, columns, constraints, indexes, triggers, acl, rowEstimate, comment, p, replicaIdentity);
    }

    /** A copy with other columns (everything else kept, partitioning and replica identity included). */
    public Table withColumns(List<Column> cs) {
        return new Table(name, kind, cs, constraints, indexes, triggers, acl, rowEstimate, comment, partitioning, replicaIdentity);
    }

    /** A copy with other constraints. */
    public Table withConstraints(List<Constraint> cs) {
        return new Table(name, kind, columns, cs, indexes, triggers, acl, rowEstimate, comment, partitioning, replicaIdentity);
    }

    /** A copy with other indexes. */
    public Table withIndexes(List<Index> is) {
        return new Table(name, kind, columns, constraints, is, triggers, acl, rowEstimate, comment, partitioning, replicaIdentity);
    }

    /** A copy with another comment. */
    public Table withComment(Optional<String> c) {
        return new Table(name, kind, columns, constraints, indexes, triggers, acl, rowEstimate, c, partitioning, replicaIdentity);
    }

    /** A copy under another name. */
    public Table withName(QualifiedName n) {
        return new Table(n, kind, columns, constraints, indexes, triggers, acl, rowEstimate, comment, partitioning, replicaIdentity);
    }

    /** The same table with another replica identity. */
    public Table withReplicaIdentity(ReplicaIdentity identity) {
        return new Table(name, kind, columns, constraints, indexes, triggers, acl, rowEstimate, comment, partitioning, identity);
    }

    public Optional<Column> column(String columnName) {
        return columns.stream().filter(c -> c.name().equals(columnName)).findFirst();
    }

    public Optional<Constraint> primaryKey() {
        return constraints.stream().filter(Constraint::isPrimaryKey).findFirst();
    }

    /** Constraints (any type) that mention the column on this table's side. */
    public List<Constraint> constraintsOn(String columnName) {
        return constraints.stream().filter(c -> c.columns().contains(columnName)).toList();
    }

    /** Indexes whose keys or INCLUDE list contain the column. */
    public List<Index> indexesOn(String columnName) {
        return indexes.stream().filter(i -> i.covers(columnName)).toList();
    }
}
