package dev.tandem.plan;

import java.util.Objects;
import java.util.Optional;

/**
 * One unit of work in a phase: forward SQL, the SQL that undoes it, the strongest lock it takes on
 * an existing table, whether it scans or rewrites that table, and whether it may run in a
 * transaction (CONCURRENTLY steps may not). A step is either a SQL statement or a backfill
 * ({@link #backfill()} present, {@link #sql()} then describes it as a statement for previews).
 *
 * @param description a short human sentence ("add column display_name")
 * @param sql forward SQL (one statement, no trailing semicolon)
 * @param rollback SQL that undoes exactly this step; null when the step needs no undo (the rollback
 *                 of an earlier step removes what it did, e.g. a backfill into a new column)
 * @param lock strongest lock taken on an existing relation
 * @param table display name of the table locked, e.g. "public.users" (null when none)
 * @param rewrite whether the step rewrites the table (must never be combined with a lock blocking writes)
 * @param scan whether the step scans the whole table
 * @param transactional false for statements PostgreSQL refuses inside a transaction block
 * @param backfill present when this step is a batched backfill rather than one statement
 */
public record Step(
        String description,
        String sql,
        String rollback,
        LockLevel lock,
        String table,
        boolean rewrite,
        boolean scan,
        boolean transactional,
        Optional<BackfillSpec> backfill) {

    public Step {
        Objects.requireNonNull(description);
        Objects.requireNonNull(sql);
        Objects.requireNonNull(lock);
        Objects.requireNonNull(backfill);
    }

    /** A transactional SQL step that neither scans nor rewrites. */
    public static Step ddl(String description, String sql, String rollback, LockLevel lock, String table) {
        return new Step(description, sql, rollback, lock, table, false, false, true, Optional.empty());
    }

    public boolean isBackfill() {
        return backfill.isPresent();
    }

    public Step withScan(boolean scan) {
        return new Step(description, sql, rollback, lock, table, rewrite, scan, transactional, backfill);
    }

    public Step nonTransactional() {
        return new Step(description, sql, rollback, lock, table, rewrite, scan, false, backfill);
    }
}
