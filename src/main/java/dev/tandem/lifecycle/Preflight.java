package dev.tandem.lifecycle;

import dev.tandem.plan.ExpressionCheck;
import dev.tandem.plan.Planner;

import dev.tandem.catalog.CatalogSnapshot;
import dev.tandem.intent.ChangeColumnType;
import dev.tandem.intent.Intent;
import dev.tandem.intent.Migration;
import dev.tandem.plan.PlanOptions;
import dev.tandem.plan.RecipeContext;
import dev.tandem.plan.recipe.ChangeColumnTypeRecipe;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Checks against the live database that the pure planner cannot make, run when a migration is about
 * to start and before any of its DDL: each check is a read-only query in a transaction that is
 * rolled back; a failing one becomes a bad-input error (exit 2) at the intent's file:line:column.
 * <p>Every intent's author-written expressions ({@code up}, {@code down}, {@code check},
 * {@code default}, {@code where}; see {@link dev.tandem.plan.Recipe#expressions}) are compiled
 * against the table's row. Besides, it checks {@code change_column_type} ({@link ChangeColumnTypeRecipe#preflight}): the
 * type exists, {@code up} reaches the new type, {@code down} reaches the old one (views that read the column are
 * refused by the planner, {@link dev.tandem.plan.ViewGuard}); and the enum intents
 * ({@link dev.tandem.plan.recipe.EnumRecipes#preflight}): the type and the labels they name exist, or do not yet. It does not evaluate the expressions on the data (a value that does not fit is found by
 * the backfill, which stops without losing anything).
 */
public final class Preflight {
    private Preflight() {}

    /** @throws dev.tandem.TandemException BAD_INPUT at the intent's position when a check fails */
    public static void check(Connection c, Migration m, CatalogSnapshot catalog, PlanOptions options) throws SQLException {
        compileExpressions(c, new Planner(options).expressions(m, catalog));
        for (Intent intent : m.changes()) {
            if (intent instanceof ChangeColumnType change) {
                // views are the planner's business now (ViewGuard, from the snapshot), which also sees the
                // migration's own sql steps that drop or replace them; this check runs before any of them
                run(c, change, ChangeColumnTypeRecipe.preflight(change, catalog, options).stream()
                        .filter(check -> !check[0].equals("views")).toList());
            }
            run(c, intent, dev.tandem.plan.recipe.EnumRecipes.preflight(intent, m.changes(), options));
        }
    }

    /**
     * Compiles each author-written expression ({@link ExpressionCheck#sql()}: a {@code SELECT … LIMIT 0},
     * ACCESS SHARE only) in a transaction that is rolled back; the first that fails becomes exit 2
     * at its intent's position, naming the field.
     */
    static void compileExpressions(Connection c, List<ExpressionCheck> checks) throws SQLException {
        if (checks.isEmpty()) {
            return;
        }
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            for (ExpressionCheck check : checks) {
                s.execute("SAVEPOINT tandem_expression");
                try {
                    s.execute(check.sql());
                } catch (SQLException e) {
                    String msg = e.getMessage() == null ? e.toString() : e.getMessage().strip();
                    int cut = msg.indexOf("\n");
                    throw RecipeContext.error(check.at(), check.kind(), check.field() + " (" + check.expression() + ") does not compile on "
                            + check.table() + check.type().map(t -> " as " + t).orElse("") + ": "
                            + (cut > 0 ? msg.substring(0, cut) : msg).replaceFirst("^ERROR: ", ""));
                }
                s.execute("RELEASE SAVEPOINT tandem_expression");
            }
        } finally {
            c.rollback();
            c.setAutoCommit(auto);
        }
    }

    private static void run(Connection c, Intent intent, List<String[]> checks) throws SQLException {
        if (checks.isEmpty()) {
            return;
        }
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            for (String[] check : checks) {
                try {
                    s.execute(check[1]);
                } catch (SQLException e) {
                    String msg = e.getMessage() == null ? e.toString() : e.getMessage().strip();
                    int cut = msg.indexOf("\n");
                    throw RecipeContext.error(intent.position(), intent.kind(), (check[0].equals("views") ? "" : check[0] + ": ")
                            + (cut > 0 ? msg.substring(0, cut) : msg).replaceFirst("^ERROR: ", ""));
                }
            }
        } finally {
            c.rollback();
            c.setAutoCommit(auto);
        }
    }
}
