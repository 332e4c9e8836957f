package dev.tandem.intent;

import java.util.List;
import java.util.Objects;

/**
 * {@code drop_table: {table}} — retire a table: nothing changes until contract, which renames it out
 * of sight; {@code purge} drops it.
 */
public record DropTable(Position position, TableRef table) implements Intent {
    public DropTable {
        Objects.requireNonNull(position);
        Objects.requireNonNull(table);
    }

    @Override
    public List<TableRef> tables() {
        return List.of(table);
    }

    @Override
    public String kind() {
        return "drop_table";
    }
}
