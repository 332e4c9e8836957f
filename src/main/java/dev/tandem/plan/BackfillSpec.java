package dev.tandem.plan;

import dev.tandem.sql.QualifiedName;
import java.util.List;
import java.util.Objects;

/**
 * What a backfill step copies: on {@code table}, for every row, set each target column to its
 * expression over the same row. The expressions are SQL over the row's own columns (already quoted
 * where Tandem generated them). The backfill engine chooses the batches; this is only the what.
 *
 * @param table the table to fill
 * @param keyColumns the columns batches are keyed on (primary key, in order); empty means ctid ranges
 * @param assignments target column ← expression, applied where the target IS DISTINCT FROM the expression
 */
public record BackfillSpec(QualifiedName table, List<String> keyColumns, List<Assignment> assignments) {
    public BackfillSpec {
        Objects.requireNonNull(table);
        keyColumns = List.copyOf(keyColumns);
        assignments = List.copyOf(assignments);
        if (assignments.isEmpty()) {
            throw new IllegalArgumentException("a backfill needs at least one assignment");
        }
    }

    /** One target column and the SQL expression (over the same row) that computes it. */
    public record Assignment(String column, String expression) {
        public Assignment {
            Objects.requireNonNull(column);
            Objects.requireNonNull(expression);
        }
    }
}
