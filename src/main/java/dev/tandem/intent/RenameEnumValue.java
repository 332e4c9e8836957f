package dev.tandem.intent;

import java.util.List;
import java.util.Objects;

/** {@code rename_enum_value: {enum, from, to}} — renames one label of an existing enum type. */
public record RenameEnumValue(Position position, TableRef type, String from, String to) implements Intent {
    public RenameEnumValue {
        Objects.requireNonNull(position);
        Objects.requireNonNull(type);
        Objects.requireNonNull(from);
        Objects.requireNonNull(to);
    }

    @Override
    public String kind() {
        return "rename_enum_value";
    }

    @Override
    public List<TableRef> tables() {
        return List.of();
    }
}
