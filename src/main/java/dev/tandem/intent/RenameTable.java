package dev.tandem.intent;

import java.util.List;
import java.util.Objects;

/**
 * {@code rename_table: {table, to}} — rename a table while the old application keeps using the old
 * name (through a view) until contract. {@code to} is a bare name: the table stays in its schema.
 */
public record RenameTable(Position position, TableRef table, String to) implements Intent {
    public RenameTable {
        Objects.requireNonNull(position);
        Objects.requireNonNull(table);
        Objects.requireNonNull(to);
    }

    @Override
    public List<TableRef> tables() {
        return List.of(table);
    }

    @Override
    public String kind() {
        return "rename_table";
    }
}
