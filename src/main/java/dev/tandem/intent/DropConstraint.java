package dev.tandem.intent;

import java.util.List;
import java.util.Objects;

/** {@code drop_constraint: {table, name}} — drops a check, foreign key or unique constraint; the rollback rebuilds it from the catalog. */
public record DropConstraint(Position position, TableRef table, String name) implements Intent {
    public DropConstraint {
        Objects.requireNonNull(position);
        Objects.requireNonNull(table);
        Objects.requireNonNull(name);
    }

    @Override
    public String kind() {
        return "drop_constraint";
    }

    @Override
    public List<TableRef> tables() {
        return List.of(table);
    }
}
