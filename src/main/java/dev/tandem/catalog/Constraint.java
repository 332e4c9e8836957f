package dev.tandem.catalog;

import java.util.List;

/**
 * A table constraint.
 *
 * @param name constraint name
 * @param type pg_constraint.contype: p (primary key), u (unique), f (foreign key), c (check), x (exclusion), n (not null, PG 18)
 * @param definition {@code pg_get_constraintdef()}
 * @param validated convalidated (false for NOT VALID)
 * @param columns the constrained columns of this table, in key order (empty when none, e.g. a check on an expression)
 * @param referencedTable for a foreign key, "schema.table" it references; "" otherwise
 * @param referencedColumns for a foreign key, the referenced columns
 */
public record Constraint(
        String name,
        String type,
        String definition,
        boolean validated,
        List<String> columns,
        String referencedTable,
        List<String> referencedColumns) {

    public boolean isPrimaryKey() { return "p".equals(type); }
    public boolean isUnique() { return "u".equals(type); }
    public boolean isForeignKey() { return "f".equals(type); }
    public boolean isCheck() { return "c".equals(type); }
}
