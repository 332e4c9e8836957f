package dev.tandem.conflict;

import dev.tandem.sql.QualifiedName;
import java.util.List;
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

    /**
     * What a raw {@code sql} step holds or wants when Tandem cannot tell which tables its statements
     * name ({@link SqlTargets}): as a wanted object it overlaps everything any holder holds (the
     * migration waits for every unpurged migration in flight); as a held one it holds nothing more
     * than the tables it could read. Its touched name is {@value #EVERYTHING_TOUCH}.
     */
    public static final HeldObject EVERYTHING = new HeldObject(new QualifiedName("*", "*"), Optional.empty());

    /** The touched name of {@link #EVERYTHING}. */
    public static final String EVERYTHING_TOUCH = "*.*";

    public boolean everything() {
        return equals(EVERYTHING);
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
        if (touched.equals(EVERYTHING_TOUCH)) {
            return EVERYTHING;
        }
        if (touched.startsWith("\"")) {
            return parseQuoted(touched);
        }
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

    /**
     * This object as a plan's touched name, the form {@link #parse} reads back exactly:
     * {@code schema.table.column} / {@code schema.table.*} when no part contains a dot or a double
     * quote (the form every plan has always stored), otherwise every part double-quoted
     * ({@code "s"."a.b"."c"}, {@code "s"."a.b".*}).
     */
    public String touch() {
        if (everything()) {
            return EVERYTHING_TOUCH;
        }
        boolean plain = plain(table.schema()) && plain(table.name()) && column.map(HeldObject::plain).orElse(true);
        if (plain) {
            return table.schema() + "." + table.name() + "." + column.orElse("*");
        }
        return quote(table.schema()) + "." + quote(table.name()) + "." + column.map(HeldObject::quote).orElse("*");
    }

    private static boolean plain(String part) {
        return part.indexOf('.') < 0 && part.indexOf('"') < 0;
    }

    private static String quote(String part) {
        return "\"" + part.replace("\"", "\"\"") + "\"";
    }

    /** Reads {@code "s"."t"."c"} or {@code "s"."t".*} (the quoted form of {@link #touch()}). */
    private static HeldObject parseQuoted(String touched) {
        List<String> parts = new java.util.ArrayList<>();
        int i = 0;
        boolean wholeTable = false;
        while (i < touched.length()) {
            if (touched.charAt(i) == '*' && i == touched.length() - 1) {
                wholeTable = true;
                i++;
                break;
            }
            if (touched.charAt(i) != '"') {
                throw new IllegalArgumentException("not a touched name: " + touched);
            }
            StringBuilder sb = new StringBuilder();
            i++;
            while (true) {
                if (i >= touched.length()) {
                    throw new IllegalArgumentException("unterminated quote in touched name: " + touched);
                }
                char ch = touched.charAt(i++);
                if (ch == '"') {
                    if (i < touched.length() && touched.charAt(i) == '"') {
                        sb.append('"');
                        i++;
                    } else {
                        break;
                    }
                } else {
                    sb.append(ch);
                }
            }
            parts.add(sb.toString());
            if (i < touched.length()) {
                if (touched.charAt(i) != '.') {
                    throw new IllegalArgumentException("not a touched name: " + touched);
                }
                i++;
            }
        }
        if (parts.size() == 2 && wholeTable) {
            return table(new QualifiedName(parts.get(0), parts.get(1)));
        }
        if (parts.size() == 3 && !wholeTable) {
            return column(new QualifiedName(parts.get(0), parts.get(1)), parts.get(2));
        }
        if (parts.size() == 2) {
            return table(new QualifiedName(parts.get(0), parts.get(1)));
        }
        throw new IllegalArgumentException("not a touched name: " + touched);
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
        if (everything()) {
            return "every table (raw sql whose targets Tandem cannot tell)";
        }
        return column.map(c -> "column " + table + "." + c).orElse("table " + table);
    }
}
