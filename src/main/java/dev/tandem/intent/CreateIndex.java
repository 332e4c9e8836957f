package dev.tandem.intent;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code create_index: {table, name, columns, unique, method, where, include}} — built CONCURRENTLY.
 * An entry of {@code columns} is a column name, a column name with ordering options
 * ({@code created_at DESC}), or an expression ({@code lower(email)}); {@code where} is the
 * partial-index predicate (SQL), {@code include} plain column names.
 */
public record CreateIndex(Position position, TableRef table, String name, List<String> columns, boolean unique,
                          Optional<String> method, Optional<String> where, List<String> include) implements Intent {
    public CreateIndex {
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
