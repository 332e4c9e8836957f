package dev.tandem.conflict;

import dev.tandem.sql.QualifiedName;
import java.util.Objects;
import java.util.Optional;

/**
 * A table, or one column of a table, that an unpurged migration holds: no other migration may
 * change it until the holder is purged or rolled back entirely. A whole-table hold (no column)
 * overlaps every column of that table.
 *
 * <p>Names are the raw, unquoted parts; {@link #toString()} is for messages only. A relation-level
 * name that is not a table (an index a plan drops) is held as a whole "table" of that name.
 *
 * @param table the table (schema-qualified)
 * @param column the column; empty for the whole table
 */
public record HeldObject(QualifiedName table, Optional<String> column) implements Comparable<HeldObject> {
    public HeldObject {
        Objects.requireNonNull(table);
        Objects.requireNonNull(column);
    }

    /** The whole table. */
    public static HeldObject table(QualifiedName table) {
        return new HeldObject(table, Optional.empty());
    }

    /** One column of a table. */
    public static HeldObject column(QualifiedName table, String column) {
        return new HeldObject(table, Optional.of(column));
    }

    /**
     * Reads one entry of a plan's touched names: {@code schema.table.column}, {@code schema.table.*}
     * or {@code schema.relation}. The schema ends at the first dot and the column starts after the
     * last one, so a column whose name contains a dot is read as part of its table's name (the hold
     * is then too narrow for that column only; both sides of a comparison read it the same way).
     */
    public static HeldObject parse(String touched) {
        int first = touched.indexOf('.');
        if (first <= 0 || first == touched.length() - 1) {
            throw new IllegalArgumentException("not a schema-qualified name: " + touched);
        }
        String schema = touched.substring(0, first);
        String rest = touched.substring(first + 1);
        if (rest.endsWith(".*")) {
            return table(new QualifiedName(schema, rest.substring(0, rest.length() - 2)));
        }
        int last = rest.lastIndexOf('.');
        if (last <= 0 || last == rest.length() - 1) {
            return table(new QualifiedName(schema, rest));
        }
        return column(new QualifiedName(schema, rest.substring(0, last)), rest.substring(last + 1));
    }

    /** Whether this and {@code other} name the same column, or one of them is the whole table of the other. */
    public boolean overlaps(HeldObject other) {
        return table.equals(other.table) && (column.isEmpty() || other.column.isEmpty() || column.equals(other.column));
    }

    public boolean wholeTable() {
        return column.isEmpty();
    }

    @Override
    public int compareTo(HeldObject o) {
        int c = table.compareTo(o.table);
        return c != 0 ? c : column.orElse("").compareTo(o.column.orElse(""));
    }

    @Override
    public String toString() {
        return column.map(c -> "column " + table + "." + c).orElse("table " + table);
    }
}
