package dev.tandem.intent;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code merge_columns: {table, columns, into: {name, type, up}, down: {column: expr}}} — replace
 * several columns with one computed from them; {@code down} computes each old column from the new
 * one for old-application readers.
 */
public record MergeColumns(Position position, TableRef table, List<String> columns, DerivedColumn into,
                           Map<String, String> down) implements Intent {
    public MergeColumns {
        Objects.requireNonNull(position);
        Objects.requireNonNull(table);
        columns = List.copyOf(columns);
        Objects.requireNonNull(into);
        down = Collections.unmodifiableMap(new LinkedHashMap<>(down));
    }

    @Override
    public String kind() {
        return "merge_columns";
    }

    @Override
    public List<TableRef> tables() {
        return List.of(table);
    }
}
