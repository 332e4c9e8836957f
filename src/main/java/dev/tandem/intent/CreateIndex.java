package dev.tandem.intent;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code create_index: {table, name, columns, unique, method, where, include}} — built CONCURRENTLY.
 * An entry of {@code columns} is a column name, a column name with ordering options
 * ({@code created_at DESC}), or an expression ({@code lower(email)}); {@code where} is the
 * partial-index predicate (SQL), {@code include} plain column names, {@code with} the index's
 * storage parameters ({@code with: {fillfactor: 70}}; names and values checked by the reader to be
 * plain words or numbers, checked against the access method by the recipe).
 */
public record CreateIndex(Position position, TableRef table, String name, List<String> columns, boolean unique,
                          Optional<String> method, Optional<String> where, List<String> include,
                          java.util.Map<String, String> with) implements Intent {
    /** An index without storage parameters. */
    public CreateIndex(Position position, TableRef table, String name, List<String> columns, boolean unique,
                       Optional<String> method, Optional<String> where, List<String> include) {
        this(position, table, name, columns, unique, method, where, include, java.util.Map.of());
    }

    public CreateIndex {
        with = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(with));
        Objects.requireNonNull(position);
        Objects.requireNonNull(table);
        Objects.requireNonNull(name);
        columns = List.copyOf(columns);
        Objects.requireNonNull(method);
        Objects.requireNonNull(where);
        include = List.copyOf(include);
    }

    @Override
    public String kind() {
        return "create_index";
    }

    @Override
    public List<TableRef> tables() {
        return List.of(table);
    }
}
