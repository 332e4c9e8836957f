package dev.tandem.plan;

import dev.tandem.sql.QualifiedName;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a backfill step copies: on {@code table}, for every row, set each target column to its
 * expression over the same row. The expressions are SQL over the row's own columns (already quoted
 * where Tandem generated them). The backfill engine chooses the batches; this is only the what.
 *
 * @param table the table to fill
 * @param keyColumns the columns batches are keyed on (primary key, in order); empty means ctid ranges
 * @param assignments target column ← expression, applied where the target IS DISTINCT FROM the expression
 * @param where an extra predicate a row must satisfy to be written (empty: every row); e.g. the undo of
 *              contract re-syncs only rows the new application wrote ({@code new IS DISTINCT FROM up(old)})
 */
public record BackfillSpec(QualifiedName table, List<String> keyColumns, List<Assignment> assignments, Optional<String> where) {
    public BackfillSpec {
        Objects.requireNonNull(table);
        Objects.requireNonNull(where);
        keyColumns = List.copyOf(keyColumns);
        assignments = List.copyOf(assignments);
        if (assignments.isEmpty()) {
            throw new IllegalArgumentException("a backfill needs at least one assignment");
        }
    }

    /** A backfill of every row whose targets differ. */
    public BackfillSpec(QualifiedName table, List<String> keyColumns, List<Assignment> assignments) {
        this(table, keyColumns, assignments, Optional.empty());
    }

    /** The same backfill restricted to rows where {@code predicate} (SQL over the row) is true. */
    public BackfillSpec onlyWhere(String predicate) {
        return new BackfillSpec(table, keyColumns, assignments, Optional.of(predicate));
    }

    /** The same backfill on another table of the same columns (a leaf partition of {@code table}). */
    public BackfillSpec on(QualifiedName other) {
        return new BackfillSpec(other, keyColumns, assignments, where);
    }

    /** One target column and the SQL expression (over the same row) that computes it. */
    public record Assignment(String column, String expression) {
        public Assignment {
            Objects.requireNonNull(column);
            Objects.requireNonNull(expression);
        }
    }
}
