package dev.tandem.intent;

import java.util.List;
import java.util.Objects;

/** {@code drop_default: {table, column}} — metadata only; the rollback restores the catalog's default. */
public record DropDefault(Position position, TableRef table, String column) implements Intent {
    public DropDefault {
        Objects.requireNonNull(position);
        Objects.requireNonNull(table);
        Objects.requireNonNull(column);
    }

    @Override
    public String kind() {
        return "drop_default";
    }

    @Override
    public List<TableRef> tables() {
        return List.of(table);
    }
}
