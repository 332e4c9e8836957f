package dev.tandem.catalog;

import dev.tandem.sql.QualifiedName;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An immutable snapshot of the tables of some schemas, plus the foreign keys of other tables that
 * reference them, plus the views and materialized views of the schemas and those elsewhere that
 * read one of the tables. The planner reads only this; it never touches a connection.
 * <p>It does not hold sequences or functions other than what {@link Table} lists.
 *
 * @param serverVersionNum {@code server_version_num}, e.g. 170006 (0 when unknown, offline)
 * @param tables the tables by qualified name
 * @param views the views and materialized views by qualified name
 * @param role what the connected role may do ({@link RoleCapabilities#unknown()} when not read,
 *             e.g. offline or from a snapshot file)
 */
public record CatalogSnapshot(int serverVersionNum, Map<QualifiedName, Table> tables, Map<QualifiedName, View> views,
                              RoleCapabilities role) {
    public CatalogSnapshot {
        tables = java.util.Collections.unmodifiableMap(new TreeMap<>(tables));
        views = java.util.Collections.unmodifiableMap(new TreeMap<>(views));
        java.util.Objects.requireNonNull(role);
    }

    /** A snapshot without views whose role capabilities are not known. */
    public CatalogSnapshot(int serverVersionNum, Map<QualifiedName, Table> tables) {
        this(serverVersionNum, tables, Map.of(), RoleCapabilities.unknown());
    }

    /** A snapshot without views. */
    public CatalogSnapshot(int serverVersionNum, Map<QualifiedName, Table> tables, RoleCapabilities role) {
        this(serverVersionNum, tables, Map.of(), role);
    }

    /** A snapshot whose role capabilities are not known. */
    public CatalogSnapshot(int serverVersionNum, Map<QualifiedName, Table> tables, Map<QualifiedName, View> views) {
        this(serverVersionNum, tables, views, RoleCapabilities.unknown());
    }

    /** A copy that carries the connected role's capabilities. */
    public CatalogSnapshot withRole(RoleCapabilities capabilities) {
        return new CatalogSnapshot(serverVersionNum, tables, views, capabilities);
    }

    /** Views (plain and materialized) that read the column of the table, by name. */
    public List<View> viewsReading(QualifiedName table, String column) {
        return views.values().stream().filter(v -> v.reads(table, column)).toList();
    }

    public static CatalogSnapshot empty() {
        return new CatalogSnapshot(0, Map.of());
    }

    public Optional<Table> table(QualifiedName name) {
        return Optional.ofNullable(tables.get(name));
    }

    public Collection<Table> allTables() {
        return tables.values();
    }

    /** Foreign keys on any table in the snapshot that reference the given table. */
    public List<Map.Entry<Table, Constraint>> foreignKeysReferencing(QualifiedName target) {
        return tables.values().stream()
                .flatMap(t -> t.constraints().stream()
                        .filter(c -> c.isForeignKey() && c.referencedTable().equals(target.toString()))
                        .map(c -> Map.entry(t, c)))
                .toList();
    }

    /**
     * A copy with one table replaced (or added). Used by recipes to project their effect. A
     * replacement that says nothing of partitions keeps those of the table it replaces (a
     * projection changes columns or constraints, never the partitions).
     */
    public CatalogSnapshot with(Table table) {
        Map<QualifiedName, Table> m = new TreeMap<>(tables);
        Table old = tables.get(table.name());
        if (table.partitioning().isEmpty() && old != null && old.partitioning().isPresent() && table.kind().equals(old.kind())) {
            table = table.withPartitioning(old.partitioning());
        }
        m.put(table.name(), table);
        return new CatalogSnapshot(serverVersionNum, m, views, role);
    }
}
