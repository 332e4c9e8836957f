package dev.tandem.catalog;

import dev.tandem.sql.QualifiedName;
import java.util.List;
import java.util.Optional;

/**
 * One view or materialized view as the planner needs it: its definition, its own output columns,
 * and the table columns it reads (from the view's rewrite rule dependencies in {@code pg_depend}).
 * <p>{@code sources} is known only for a <em>simple</em> view: a plain view over one table of the
 * snapshot, without WHERE, GROUP BY, HAVING, DISTINCT, ORDER BY, LIMIT, set operations, window
 * functions or CTEs, whose every output column is a plain reference to a column of that table. For
 * such a view {@code sources.get(i)} is the table column behind {@code columns.get(i)}, so Tandem
 * can regenerate its SELECT over a renamed column; for any other view it is empty and Tandem does
 * not try to rewrite it. It does not hold grants, owner or comments (the fingerprint compares those).
 *
 * @param name qualified name
 * @param materialized true for a materialized view (relkind {@code m})
 * @param definition {@code pg_get_viewdef} text, as PostgreSQL renders it with
 *        {@code search_path = pg_catalog}
 * @param columns the view's output column names, in order
 * @param reads the table columns the view reads
 * @param table for a simple view, the one table it selects from
 * @param sources for a simple view, the table column behind each output column (else empty)
 * @param tandem whether Tandem created the view itself (a {@code rename_table} compatibility view:
 *        its comment matches {@link #TANDEM_COMMENT}); such a view is Tandem's business, not a user
 *        view the planner must carry or refuse for
 */
public record View(QualifiedName name, boolean materialized, String definition, List<String> columns,
                   List<Read> reads, Optional<QualifiedName> table, List<String> sources, boolean tandem) {
    /** The comment Tandem gives its own views: {@code tandem <migration id>: …}. */
    public static final java.util.regex.Pattern TANDEM_COMMENT = java.util.regex.Pattern.compile("^tandem \\S+: ");

    public View {
        columns = List.copyOf(columns);
        reads = List.copyOf(reads);
        sources = List.copyOf(sources);
    }

    /** A user view (not Tandem's own). */
    public View(QualifiedName name, boolean materialized, String definition, List<String> columns,
                List<Read> reads, Optional<QualifiedName> table, List<String> sources) {
        this(name, materialized, definition, columns, reads, table, sources, false);
    }

    /** Whether a view comment marks the view as Tandem's own. */
    public static boolean tandemComment(String comment) {
        return comment != null && TANDEM_COMMENT.matcher(comment).find();
    }

    /** Whether the view reads any column of the relation. */
    public boolean readsFrom(QualifiedName relation) {
        return reads.stream().anyMatch(r -> r.table().equals(relation));
    }

    /** A column of a table that the view reads. */
    public record Read(QualifiedName table, String column) {}

    /** Whether the view reads the column of the table. */
    public boolean reads(QualifiedName t, String column) {
        return reads.contains(new Read(t, column));
    }

    /** Whether Tandem can regenerate this view's SELECT from {@link #sources}. */
    public boolean simple() {
        return table.isPresent() && !materialized && sources.size() == columns.size();
    }
}
