package dev.tandem.intent;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code add_foreign_key: {table, name, columns, references: {table, columns}, on_delete, on_update, up}}
 * — a foreign key added NOT VALID (brief SHARE ROW EXCLUSIVE on both tables) and validated later.
 * {@code on_delete}/{@code on_update} are {@code no_action} (default), {@code restrict},
 * {@code cascade}, {@code set_null} or {@code set_default}, already turned into SQL here
 * ({@code SET NULL}). {@code up} (optional) repairs orphan rows first, like {@link AddCheck}'s.
 */
public record AddForeignKey(Position position, TableRef table, String name, List<String> columns,
                            TableRef referencedTable, List<String> referencedColumns,
                            Optional<String> onDelete, Optional<String> onUpdate, Map<String, String> up) implements Intent {
    public AddForeignKey {
        Objects.requireNonNull(position);
        Objects.requireNonNull(table);
        Objects.requireNonNull(name);
        columns = List.copyOf(columns);
        Objects.requireNonNull(referencedTable);
        referencedColumns = List.copyOf(referencedColumns);
        Objects.requireNonNull(onDelete);
        Objects.requireNonNull(onUpdate);
        up = Collections.unmodifiableMap(new LinkedHashMap<>(up));
    }

    @Override
    public String kind() {
        return "add_foreign_key";
    }

    @Override
    public List<TableRef> tables() {
        return List.of(table, referencedTable);
    }
}
