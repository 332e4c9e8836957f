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
 */
public record CatalogSnapshot(int serverVersionNum, Map<QualifiedName, Table> tables, Map<QualifiedName, View> views) {
    public CatalogSnapshot {
        tables = java.util.Collections.unmodifiableMap(new TreeMap<>(tables));
        views = java.util.Collections.unmodifiableMap(new TreeMap<>(views));
    }

    /** A snapshot without views. */
    public CatalogSnapshot(int serverVersionNum, Map<QualifiedName, Table> tables) {
        this(serverVersionNum, tables, Map.of());
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

    /** A copy with one table replaced (or added). Used by recipes to project their effect. */
    public CatalogSnapshot with(Table table) {
        Map<QualifiedName, Table> m = new TreeMap<>(tables);
        m.put(table.name(), table);
        return new CatalogSnapshot(serverVersionNum, m, views);
    }
}
