package dev.tandem.plan;

import dev.tandem.catalog.CatalogSnapshot;
import dev.tandem.catalog.Column;
import dev.tandem.intent.Position;
import dev.tandem.sql.Ident;
import dev.tandem.sql.QualifiedName;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An author-written SQL expression of an intent ({@code up}, {@code down}, {@code check},
 * {@code default}, {@code where}) to compile against the live database before any DDL runs, so a
 * typo or a type that cannot be reached fails {@code tandem plan --url} and {@code tandem apply}
 * with exit 2 at the intent's position and nothing changed.
 * <p>{@link #sql()} is a {@code SELECT … LIMIT 0} over the table's row extended with the columns the
 * intent will add ({@code CAST(NULL AS type) AS name}): PostgreSQL parses, resolves names and
 * checks types, reads no row and takes only ACCESS SHARE. A boolean (check, where) must be boolean;
 * another type must be reachable by an explicit cast, which is looser than the assignment the
 * backfill does (text → integer compiles here and fails on the first bad value there). It does not evaluate the expression on
 * the data (a value that does not fit is found by the backfill, which stops without losing anything)
 * and cannot see columns that other intents of the same migration add.
 *
 * @param at the intent's position
 * @param kind the intent kind, for the message
 * @param field which field the expression comes from, e.g. {@code up}, {@code down.first_name}
 * @param table the table whose row the expression sees
 * @param newColumns columns the intent adds that the expression may read (name → type), in order
 * @param expression the author's SQL expression
 * @param type the type the value must reach (a cast is compiled), or empty for any
 */
public record ExpressionCheck(Position at, String kind, String field, QualifiedName table, Map<String, String> newColumns,
                              String expression, Optional<String> type) {
    public ExpressionCheck {
        Objects.requireNonNull(at);
        Objects.requireNonNull(table);
        Objects.requireNonNull(expression);
        newColumns = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(newColumns));
    }

    /** An expression over the table's current row that must reach {@code type} (when known). */
    public static ExpressionCheck overRow(Position at, String kind, String field, QualifiedName table, String expression,
                                          Optional<String> type) {
        return new ExpressionCheck(at, kind, field, table, Map.of(), expression, type);
    }

    /** The type of a column in the snapshot, if the table and column are there. */
    public static Optional<String> typeOf(CatalogSnapshot catalog, QualifiedName table, String column) {
        return catalog.table(table).flatMap(t -> t.column(column)).map(Column::type);
    }

    /** The read-only statement that compiles the expression. */
    public String sql() {
        StringBuilder row = new StringBuilder("SELECT *");
        newColumns.forEach((name, t) -> row.append(", CAST(NULL AS ").append(t).append(") AS ").append(Ident.quote(name)));
        row.append(" FROM ").append(table.sql()).append(" LIMIT 0");
        String from = " FROM (" + row + ") AS " + Ident.quote(table.name());
        if (type.filter(t -> t.equals("boolean")).isPresent()) {
            // WHERE insists on boolean (an explicit CAST would accept text or integer)
            return "SELECT 1" + from + " WHERE (" + expression + ") LIMIT 0";
        }
        String value = type.map(t -> "CAST((" + expression + ") AS " + t + ")").orElse("(" + expression + ")");
        return "SELECT " + value + from + " LIMIT 0";
    }
}
