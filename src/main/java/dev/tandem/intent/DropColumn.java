package dev.tandem.intent;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code drop_column: {table, column, down}} — drop a column the new application no longer uses.
 * {@code down} (optional) is SQL over the new row that fills the column for rows the new
 * application writes, so old-application readers still see values until contract.
 */
public record DropColumn(Position position, TableRef table, String column, Optional<String> down) implements Intent {
    public DropColumn {
        Objects.requireNonNull(position);
        Objects.requireNonNull(table);
        Objects.requireNonNull(column);
        Objects.requireNonNull(down);
    }

    @Override
    public String kind() {
        return "drop_column";
    }

    @Override
    public List<TableRef> tables() {
        return List.of(table);
    }
}
