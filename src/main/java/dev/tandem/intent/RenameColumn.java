package dev.tandem.intent;

import java.util.Objects;

/**
 * {@code rename_column: {table, column, to}} — rename a column without breaking the running
 * application: the new column is added beside the old one and kept in sync until contract.
 */
public record RenameColumn(Position position, TableRef table, String column, String to) implements Intent {
    public RenameColumn {
        Objects.requireNonNull(position);
        Objects.requireNonNull(table);
        Objects.requireNonNull(column);
        Objects.requireNonNull(to);
    }

    @Override
    public java.util.List<TableRef> tables() {
        return java.util.List.of(table);
    }

    @Override
    public String kind() {
        return "rename_column";
    }
}
