package dev.tandem.intent;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code set_not_null: {table, column, up}} — make a nullable column NOT NULL without a scan under
 * a lock that blocks writes. {@code up} (optional, SQL over the row) is the value given to rows
 * whose column is NULL: existing ones (batched backfill) and those the old application writes
 * during the transition (repair trigger). Without {@code up}, NULLs present make the migration fail
 * with a count before anything is enforced.
 */
public record SetNotNull(Position position, TableRef table, String column, Optional<String> up) implements Intent {
    public SetNotNull {
        Objects.requireNonNull(position);
        Objects.requireNonNull(table);
        Objects.requireNonNull(column);
        Objects.requireNonNull(up);
    }

    @Override
    public String kind() {
        return "set_not_null";
    }

    @Override
    public List<TableRef> tables() {
        return List.of(table);
    }
}
