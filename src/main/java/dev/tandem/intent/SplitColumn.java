package dev.tandem.intent;

import java.util.List;
import java.util.Objects;

/**
 * {@code split_column: {table, column, into: [{name, type, up}], down}} — replace one column with
 * several computed from it ({@code full_name → first_name, last_name}); {@code down} computes the
 * old column from the new ones for old-application readers.
 */
public record SplitColumn(Position position, TableRef table, String column, List<DerivedColumn> into, String down)
        implements Intent {
    public SplitColumn {
        Objects.requireNonNull(position);
        Objects.requireNonNull(table);
        Objects.requireNonNull(column);
        into = List.copyOf(into);
        Objects.requireNonNull(down);
    }

    @Override
    public String kind() {
        return "split_column";
    }

    @Override
    public List<TableRef> tables() {
        return List.of(table);
    }
}
