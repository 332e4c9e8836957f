package dev.tandem.plan.mechanics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Several author expressions of one trigger branch are evaluated over one copy of NEW (one query
 * per row instead of one per column) only when that cannot change what they compute. The
 * lifecycle tests of split_column and merge_columns run the combined form on PostgreSQL.
 */
class RowExpressionCombineTest {
    static Map<String, String> targets(String... pairs) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(pairs[i], pairs[i + 1]);
        }
        return m;
    }

    @Test
    void combinesIndependentExpressionsIntoOneSelectInto() {
        Map<String, String> t = targets("first_name", RowExpression.overNew("split_part(full_name, ' ', 1)"),
                "last_name", RowExpression.overNew("split_part(full_name, ' ', 2)"));
        assertEquals(Optional.of("  SELECT (split_part(full_name, ' ', 1)), (split_part(full_name, ' ', 2))"
                + " INTO NEW.\"first_name\", NEW.\"last_name\" FROM (SELECT NEW.*) AS tandem_row;\n"),
                RowExpression.combinedOverNew(t, "  "));
    }

    @Test
    void keepsSequentialAssignmentsWhenOrderOrShapeMatters() {
        // one target: nothing to save
        assertTrue(RowExpression.combinedOverNew(targets("a", RowExpression.overNew("x + 1")), "").isEmpty());
        // b reads a: sequential assignment lets it see the new a, a combined SELECT would not
        assertTrue(RowExpression.combinedOverNew(targets("a", RowExpression.overNew("x + 1"), "b", RowExpression.overNew("a * 2")), "").isEmpty());
        // a plain NEW reference (rename) is not a wrapper
        assertTrue(RowExpression.combinedOverNew(targets("a", "NEW.\"x\"", "b", RowExpression.overNew("y")), "").isEmpty());
        assertEquals(Optional.of("lower(e)"), RowExpression.unwrapOverNew(RowExpression.overNew("lower(e)")));
        assertTrue(RowExpression.unwrapOverNew("(SELECT 1)").isEmpty());
    }
}
