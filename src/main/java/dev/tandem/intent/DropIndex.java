package dev.tandem.intent;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code drop_index: {name, table}} — DROP INDEX CONCURRENTLY at contract. {@code name} may be
 * schema-qualified ({@code billing.invoices_idx}); {@code table} is optional and, when given, must be
 * the index's table.
 *
 * @param index the index, as a schema-optional name (the {@link TableRef} type is reused for its parsing)
 */
public record DropIndex(Position position, TableRef index, Optional<TableRef> table) implements Intent {
    public DropIndex {
        Objects.requireNonNull(position);
        Objects.requireNonNull(index);
        Objects.requireNonNull(table);
    }

    @Override
    public String kind() {
        return "drop_index";
    }

    /** The named table, or else a reference whose schema is the index's (only its schema is read). */
    @Override
    public List<TableRef> tables() {
        return List.of(table.orElse(index));
    }
}
