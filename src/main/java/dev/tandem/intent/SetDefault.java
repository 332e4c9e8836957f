package dev.tandem.intent;

import java.util.List;
import java.util.Objects;

/**
 * {@code set_default: {table, column, default}} — metadata only (no rewrite: existing rows keep their
 * values). {@code default} is a SQL expression written by the migration author.
 */
public record SetDefault(Position position, TableRef table, String column, String defaultExpr) implements Intent {
    public SetDefault {
        Objects.requireNonNull(position);
        Objects.requireNonNull(table);
        Objects.requireNonNull(column);
        Objects.requireNonNull(defaultExpr);
    }

    @Override
    public String kind() {
        return "set_default";
    }

    @Override
    public List<TableRef> tables() {
        return List.of(table);
    }
}
