package dev.tandem.intent;

import java.util.List;
import java.util.Objects;

/** {@code add_unique: {table, name, columns}} — a unique index built CONCURRENTLY, then attached as a constraint. */
public record AddUnique(Position position, TableRef table, String name, List<String> columns) implements Intent {
    public AddUnique {
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
