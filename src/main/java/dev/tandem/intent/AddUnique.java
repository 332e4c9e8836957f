package dev.tandem.intent;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code add_unique: {table, name, columns, include, with, up: {column: expr}}} — a unique index built
 * CONCURRENTLY, then attached as a constraint. {@code include} are non-key columns stored in the
 * index; {@code with} its storage parameters ({@code fillfactor}, {@code deduplicate_items}). Key
 * columns are plain names: PostgreSQL attaches only an index with the default operator class and sort
 * order. {@code up} (optional) de-duplicates: each listed column gets its expression (SQL over the
 * row as it was) in the rows whose key another row already has — existing ones in batches (every row
 * of a duplicate group but the one with the smallest primary key) and those the old application
 * writes during the transition (a trigger).
 */
public record AddUnique(Position position, TableRef table, String name, List<String> columns, List<String> include,
                        Map<String, String> with, Map<String, String> up) implements Intent {
    /** A unique constraint without INCLUDE columns, storage parameters or {@code up}. */
    public AddUnique(Position position, TableRef table, String name, List<String> columns) {
        this(position, table, name, columns, List.of(), Map.of(), Map.of());
    }

    /** Without {@code up}. */
    public AddUnique(Position position, TableRef table, String name, List<String> columns, List<String> include,
            Map<String, String> with) {
        this(position, table, name, columns, include, with, Map.of());
    }

    /** Without INCLUDE columns or storage parameters. */
    public AddUnique(Position position, TableRef table, String name, List<String> columns, Map<String, String> up) {
        this(position, table, name, columns, List.of(), Map.of(), up);
    }

    public AddUnique {
        include = List.copyOf(include);
        with = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(with));
        Objects.requireNonNull(position);
        Objects.requireNonNull(table);
        Objects.requireNonNull(name);
        columns = List.copyOf(columns);
        up = Collections.unmodifiableMap(new LinkedHashMap<>(up));
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
