package dev.tandem.intent;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code add_check: {table, name, check, up: {column: expr}}} — a CHECK constraint added NOT VALID
 * and validated under SHARE UPDATE EXCLUSIVE. {@code up} (optional) repairs rows that violate the
 * check: each listed column gets its expression (SQL over the row as it was), for existing rows in
 * batches and for old-application writes by a trigger.
 */
public record AddCheck(Position position, TableRef table, String name, String check, Map<String, String> up) implements Intent {
    public AddCheck {
        Objects.requireNonNull(position);
        Objects.requireNonNull(table);
        Objects.requireNonNull(name);
        Objects.requireNonNull(check);
        up = Collections.unmodifiableMap(new LinkedHashMap<>(up));
    }

    @Override
    public String kind() {
        return "add_check";
    }

    @Override
    public List<TableRef> tables() {
        return List.of(table);
    }
}
