package dev.tandem.intent;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code set_comment: {table, column?, comment}} — the comment of a table, or of one of its columns
 * when {@code column} is given; {@code comment: null} clears it. Metadata only.
 */
public record SetComment(Position position, TableRef table, Optional<String> column, Optional<String> comment) implements Intent {
    public SetComment {
        Objects.requireNonNull(position);
        Objects.requireNonNull(table);
        Objects.requireNonNull(column);
        Objects.requireNonNull(comment);
    }

    @Override
    public String kind() {
        return "set_comment";
    }

    @Override
    public List<TableRef> tables() {
        return List.of(table);
    }
}
