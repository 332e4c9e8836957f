package dev.tandem.intent;

import java.util.List;
import java.util.Objects;

/** {@code drop_not_null: {table, column}} — metadata only; the rollback re-proves NOT NULL with a validated check. */
public record DropNotNull(Position position, TableRef table, String column) implements Intent {
    public DropNotNull {
        Objects.requireNonNull(position);
        Objects.requireNonNull(table);
        Objects.requireNonNull(column);
    }

    @Override
    public String kind() {
        return "drop_not_null";
    }

    @Override
    public List<TableRef> tables() {
        return List.of(table);
    }
}
