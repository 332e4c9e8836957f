package dev.tandem.intent;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code add_column: {table, column: {name, type, nullable, default, unique, check, references}, up}}
 * — add a column while both application versions run. {@code up} (optional) is SQL over the old
 * row that gives existing rows, and rows the old application writes, their value.
 */
public record AddColumn(Position position, TableRef table, NewColumn column, Optional<String> up) implements Intent {
    public AddColumn {
        Objects.requireNonNull(position);
        Objects.requireNonNull(table);
        Objects.requireNonNull(column);
        Objects.requireNonNull(up);
    }

    /**
     * The column to add.
     *
     * @param name column name (raw)
     * @param type SQL type, trusted text
     * @param nullable false for {@code nullable: false}
     * @param defaultExpr the default expression for new rows, if any ({@code default: null} is none)
     * @param unique whether a unique constraint is added on the column
     * @param check a CHECK expression, if any
     * @param references a foreign key, if any
     * @param checkName the name of the CHECK constraint when the author gave one
     *                  ({@code check: {name, expression}}); empty: Tandem derives {@code <table>_<column>_check}
     */
    public record NewColumn(String name, String type, boolean nullable, Optional<String> defaultExpr, boolean unique,
                            Optional<String> check, Optional<References> references, Optional<String> checkName) {
        /** A column whose check, if any, gets the derived name. */
        public NewColumn(String name, String type, boolean nullable, Optional<String> defaultExpr, boolean unique,
                         Optional<String> check, Optional<References> references) {
            this(name, type, nullable, defaultExpr, unique, check, references, Optional.empty());
        }

        public NewColumn {
            Objects.requireNonNull(checkName);
            if (checkName.isPresent() && check.isEmpty()) {
                throw new IllegalArgumentException("a check name without a check expression");
            }
            Objects.requireNonNull(name);
            Objects.requireNonNull(type);
            Objects.requireNonNull(defaultExpr);
            Objects.requireNonNull(check);
            Objects.requireNonNull(references);
        }
    }

    /**
     * {@code references: {table, column, on_delete}}.
     *
     * @param onDelete the SQL action ({@code CASCADE}, {@code SET NULL}, …), if any
     */
    public record References(TableRef table, String column, Optional<String> onDelete) {
        public References {
            Objects.requireNonNull(table);
            Objects.requireNonNull(column);
            Objects.requireNonNull(onDelete);
        }
    }

    @Override
    public String kind() {
        return "add_column";
    }

    @Override
    public List<TableRef> tables() {
        return column.references().map(r -> List.of(table, r.table())).orElse(List.of(table));
    }
}
