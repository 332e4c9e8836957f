package dev.tandem.intent;

import java.util.List;
import java.util.Objects;

/** {@code rename_constraint: {table, name, to}} — renames a constraint of the table (and the index that backs it). */
public record RenameConstraint(Position position, TableRef table, String name, String to) implements Intent {
    public RenameConstraint {
        Objects.requireNonNull(position);
        Objects.requireNonNull(table);
        Objects.requireNonNull(name);
        Objects.requireNonNull(to);
    }

    @Override
    public String kind() {
        return "rename_constraint";
    }

    @Override
    public List<TableRef> tables() {
        return List.of(table);
    }
}
