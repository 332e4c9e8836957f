package dev.tandem.intent;

import java.util.List;
import java.util.Objects;

/**
 * {@code create_enum: {name, values}} — a new enum type ({@code name} may be schema-qualified) with
 * its labels in order. It names no table.
 */
public record CreateEnum(Position position, TableRef name, List<String> values) implements Intent {
    public CreateEnum {
        Objects.requireNonNull(position);
        Objects.requireNonNull(name);
        values = List.copyOf(values);
    }

    @Override
    public String kind() {
        return "create_enum";
    }

    @Override
    public List<TableRef> tables() {
        return List.of();
    }
}
