package dev.tandem.plan.mechanics;

import dev.tandem.plan.LockLevel;
import dev.tandem.plan.Step;
import dev.tandem.sql.Ident;
import dev.tandem.sql.QualifiedName;
import java.util.List;
import java.util.Optional;

/**
 * A read-only guard that runs before a constraint is enforced: it counts the rows that would make
 * the enforcement fail (NULLs, rows violating a check, orphans, duplicate keys) and, when there are
 * any, fails with a message naming the table, the column or constraint and the count — before any
 * DDL of the phase, so nothing is left half-done.
 * <p>It is one {@code DO} block: a {@code SELECT count(*)} under ACCESS SHARE (a full scan that
 * blocks nothing but ACCESS EXCLUSIVE), then {@code RAISE EXCEPTION} with SQLSTATE 23514
 * ({@code check_violation}). It does not lock out concurrent writers: a violating row written
 * between the guard and the {@code VALIDATE} still makes the {@code VALIDATE} fail (with
 * PostgreSQL's message), and the phase is then rolled back with {@code tandem rollback}.
 */
public final class Precheck {
    private Precheck() {}

    /**
     * @param description what the step checks, for the plan
     * @param table the table scanned (for the lock display)
     * @param countQuery a query returning one bigint: the number of offending rows (or keys)
     * @param message the error text; {@code %s} is replaced by the count
     * @param hint what the user can do about it
     */
    public static Step step(String description, QualifiedName table, String countQuery, String message, String hint) {
        return new Step(description, statement(countQuery, message, hint), List.of(), LockLevel.ACCESS_SHARE,
                table.toString(), false, true, true, Optional.empty());
    }

    /** The {@code DO} block alone (also used as the first statement of an undo that re-proves a constraint). */
    public static String statement(String countQuery, String message, String hint) {
        String body = "\nDECLARE\n  n bigint;\nBEGIN\n"
                + "  n := (" + countQuery + ");\n"
                + "  IF n > 0 THEN\n"
                + "    RAISE EXCEPTION USING ERRCODE = 'check_violation', MESSAGE = format(" + Ident.literal(message.replace("%", "%%").replace("%%s", "%s")) + ", n),\n"
                + "      HINT = " + Ident.literal(hint) + ";\n"
                + "  END IF;\nEND\n";
        String tag = dev.tandem.sql.PlPgSql.dollarTag(body);
        return "DO " + tag + body + tag;
    }

    /** {@code SELECT count(*) FROM table WHERE predicate}. */
    public static String countWhere(QualifiedName table, String predicate) {
        return "SELECT count(*) FROM " + table.sql() + " WHERE " + predicate;
    }

    /** The number of key values that occur more than once (rows with a NULL key do not collide). */
    public static String countDuplicates(QualifiedName table, List<String> columns) {
        String cols = String.join(", ", columns.stream().map(Ident::quote).toList());
        String notNull = String.join(" AND ", columns.stream().map(c -> Ident.quote(c) + " IS NOT NULL").toList());
        return "SELECT count(*) FROM (SELECT 1 FROM " + table.sql() + " WHERE " + notNull + " GROUP BY " + cols
                + " HAVING count(*) > 1) AS duplicates";
    }
}
