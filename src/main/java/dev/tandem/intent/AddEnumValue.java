package dev.tandem.intent;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code add_enum_value: {enum, value, before?, after?}} — a new label of an existing enum type,
 * placed before or after an existing label (at the end when neither is given; not both).
 * PostgreSQL cannot remove a label, so this intent is irreversible.
 */
public record AddEnumValue(Position position, TableRef type, String value, Optional<String> before, Optional<String> after)
        implements Intent {
    public AddEnumValue {
        Objects.requireNonNull(position);
        Objects.requireNonNull(type);
        Objects.requireNonNull(value);
        Objects.requireNonNull(before);
        Objects.requireNonNull(after);
    }

    @Override
    public String kind() {
        return "add_enum_value";
    }

    @Override
    public List<TableRef> tables() {
        return List.of();
    }
}
