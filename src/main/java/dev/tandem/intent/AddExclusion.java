package dev.tandem.intent;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code add_exclusion: {table, name, using, elements: [{column | expression, operator}], where}} —
 * an exclusion constraint: no two rows for which every element's operator returns true
 * ({@code EXCLUDE USING gist (room_id WITH =, during WITH &&)}). {@code using} defaults to gist;
 * {@code where} makes it partial.
 */
public record AddExclusion(Position position, TableRef table, String name, String using, List<Element> elements,
                           Optional<String> where) implements Intent {
    public AddExclusion {
        Objects.requireNonNull(position);
        Objects.requireNonNull(table);
        Objects.requireNonNull(name);
        Objects.requireNonNull(using);
        elements = List.copyOf(elements);
        Objects.requireNonNull(where);
    }

    /**
     * One element: a column (quoted for the author) or an SQL expression (parenthesized), and the
     * operator that must not hold between two rows' values; exactly one of column and expression.
     */
    public record Element(Optional<String> column, Optional<String> expression, String operator) {
        public Element {
            Objects.requireNonNull(column);
            Objects.requireNonNull(expression);
            Objects.requireNonNull(operator);
            if (column.isPresent() == expression.isPresent()) {
                throw new IllegalArgumentException("an element has a column or an expression");
            }
        }
    }

    @Override
    public String kind() {
        return "add_exclusion";
    }

    @Override
    public List<TableRef> tables() {
        return List.of(table);
    }
}
