package dev.tandem.backfill;

import dev.tandem.plan.mechanics.RowExpression;
import dev.tandem.sql.Ident;
import dev.tandem.sql.QualifiedName;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Pattern;

/**
 * Asks PostgreSQL whether a backfill expression gives the same value every time it is evaluated
 * over the same row, that is, whether it is immutable. A volatile ({@code random()}) or stable
 * ({@code now()}, {@code clock_timestamp()}) expression evaluated again in a later transaction
 * gives another value, so the backfill must not compare a row with a second evaluation of it.
 * <p>How: in a transaction that is always rolled back, a temporary table {@code LIKE} the target
 * gets a partial index whose predicate is {@code (expression) IS NULL}; PostgreSQL accepts only
 * immutable functions there (SQLSTATE 42P17 otherwise). Works for an expression of any type.
 * <p>An expression that is not immutable is still taken as repeatable when its text calls only
 * functions known to be deterministic over a row ({@code concat_ws}, {@code to_char}: stable only
 * because of session settings, see {@link RowExpression#mayBeVolatile}) and none of the clock
 * functions ({@code now()}, {@code current_timestamp}, …), so the verify pass stays exact for them.
 * <p>Not handled: expressions PostgreSQL does not allow in an index predicate for other reasons
 * (subqueries, aggregates) and roles that may not create temporary tables count as repeatable
 * (the exact comparison, as before), so a volatile function inside a subquery is still re-evaluated.
 */
final class ExpressionStability {
    private static final String NOT_IMMUTABLE = "42P17";
    private ExpressionStability() {}

    /** True when {@code expression}, over a row of {@code table}, is immutable. Leaves no object behind; the connection ends in auto-commit. */
    static boolean repeatable(Connection c, QualifiedName table, String expression) {
        boolean autoCommit = true;
        try {
            autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("SET LOCAL lock_timeout = '2s'");
                s.execute("CREATE TEMPORARY TABLE " + Ident.quote("tandem_stability_probe") + " (LIKE " + table.sql() + ") ON COMMIT DROP");
                s.execute("CREATE INDEX ON " + Ident.quote("tandem_stability_probe") + " ((true)) WHERE (" + expression + ") IS NULL");
                return true;
            } catch (SQLException e) {
                // only PostgreSQL's own "not immutable" counts against it; any other refusal
                // (a subquery, an aggregate) keeps the exact comparison
                return !NOT_IMMUTABLE.equals(e.getSQLState()) || byText(expression);
            } finally {
                c.rollback();
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            return true;
        }
    }

    /** Repeatable judged from the text: no unknown (maybe volatile) function and no clock function. */
    static boolean byText(String expression) {
        return !RowExpression.mayBeVolatile(expression) && !CLOCK.matcher(expression).find();
    }

    private static final Pattern CLOCK = Pattern.compile("(?i)\\b(now|transaction_timestamp|statement_timestamp|clock_timestamp|timeofday"
            + "|current_timestamp|current_date|current_time|localtime|localtimestamp)\\b");
}
