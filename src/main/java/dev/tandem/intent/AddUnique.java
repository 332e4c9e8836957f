package dev.tandem.intent;

import java.util.List;
import java.util.Objects;

/**
 * {@code add_unique: {table, name, columns, include, with}} — a unique index built CONCURRENTLY, then
 * attached as a constraint. {@code include} are non-key columns stored in the index; {@code with} its
 * storage parameters ({@code fillfactor}, {@code deduplicate_items}). Key columns are plain names:
 * PostgreSQL attaches only an index with the default operator class and sort order.
 */
public record AddUnique(Position position, TableRef table, String name, List<String> columns, List<String> include,
                        java.util.Map<String, String> with) implements Intent {
    /** A unique constraint without INCLUDE columns or storage parameters. */
    public AddUnique(Position position, TableRef table, String name, List<String> columns) {
        this(position, table, name, columns, List.of(), java.util.Map.of());
    }

    public AddUnique {
        include = List.copyOf(include);
        with = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(with));
        Objects.requireNonNull(position);
        Objects.requireNonNull(table);
        Objects.requireNonNull(name);
        columns = List.copyOf(columns);
    }

    @Override
    public String kind() {
        return "add_unique";
    }

    @Override
    public List<TableRef> tables() {
        return List.of(table);
    }
}
