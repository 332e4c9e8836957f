package dev.tandem.intent;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code add_unique: {table, name, columns, up: {column: expr}}} — a unique index built
 * CONCURRENTLY, then attached as a constraint. {@code up} (optional) de-duplicates: each listed
 * column gets its expression (SQL over the row as it was) in the rows whose key another row already
 * has — existing ones in batches (every row of a duplicate group but the one with the smallest
 * primary key) and those the old application writes during the transition (a trigger).
 */
public record AddUnique(Position position, TableRef table, String name, List<String> columns, Map<String, String> up) implements Intent {
    public AddUnique {
        Objects.requireNonNull(position);
        Objects.requireNonNull(table);
        Objects.requireNonNull(name);
        columns = List.copyOf(columns);
        up = Collections.unmodifiableMap(new LinkedHashMap<>(up));
    }

    /** Without {@code up}. */
    public AddUnique(Position position, TableRef table, String name, List<String> columns) {
        this(position, table, name, columns, Map.of());
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
