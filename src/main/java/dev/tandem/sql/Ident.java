package dev.tandem.sql;

/**
 * The one place where SQL identifiers are quoted. Every identifier Tandem puts into SQL — table,
 * column, constraint, index, trigger, function, schema — goes through {@link #quote(String)}, so a
 * name with quotes, semicolons, spaces, upper case or unicode is always a name, never SQL.
 * <p>It does not validate that a name exists, and it does not quote SQL expressions written by the
 * migration author ({@code up}/{@code down}); those are trusted SQL by design.
 */
public final class Ident {
    private Ident() {}

    /** Always double-quotes, doubling embedded double quotes. Rejects NUL and empty names. */
    public static String quote(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("empty SQL identifier");
        }
        if (name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("SQL identifier contains a NUL character");
        }
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    /** A SQL string literal ('…'), doubling embedded single quotes. For names passed as values, e.g. to regclass casts. */
    public static String literal(String value) {
        if (value == null) {
            return "NULL";
        }
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("SQL literal contains a NUL character");
        }
        return "'" + value.replace("'", "''") + "'";
    }
}
