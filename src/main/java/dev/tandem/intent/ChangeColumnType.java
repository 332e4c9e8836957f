package dev.tandem.intent;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code change_column_type: {table, column, type, up, down}} — change a column's type and keep its
 * name. {@code up} is an SQL expression over the old row computing the new value; {@code down}
 * one over the new row computing the old value. Both are optional: absent, they are casts
 * ({@code CAST(column AS type)} and back to the column's current type).
 * <p>{@code type} is trusted SQL written by the migration author (a type name, possibly with a
 * modifier such as {@code varchar(100)} or {@code numeric(12,2)}).
 */
public record ChangeColumnType(Position position, TableRef table, String column, String type,
                               Optional<String> up, Optional<String> down) implements Intent {
    public ChangeColumnType {
        Objects.requireNonNull(position);
        Objects.requireNonNull(table);
        Objects.requireNonNull(column);
        Objects.requireNonNull(type);
        Objects.requireNonNull(up);
        Objects.requireNonNull(down);
    }

    @Override
    public List<TableRef> tables() {
        return List.of(table);
    }

    @Override
    public String kind() {
        return "change_column_type";
    }
}
