package dev.tandem.plan;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One unit of work in a phase: forward SQL, the statements that undo it, the strongest lock it
 * takes on an existing table, whether it scans or rewrites that table, and whether it may run in a
 * transaction (CONCURRENTLY steps may not). A step is either one SQL statement or a batched
 * backfill ({@link #backfill()} present; {@link #sql()} then shows the equivalent single statement).
 * <p>The rollback is a list because some undos honestly need several statements (restoring a NOT
 * NULL without a scan under ACCESS EXCLUSIVE takes four). The executor runs each rollback
 * statement in its own transaction, except {@code CREATE/DROP INDEX CONCURRENTLY}, which run
 * outside one. An empty list means no undo is needed (the rollback of an earlier step removes what
 * this step did, e.g. a backfill into a column that expand added).
 *
 * @param description a short human sentence ("add column display_name")
 * @param sql forward SQL (one statement, no trailing semicolon)
 * @param rollbackStatements statements that undo exactly this step, in order
 * @param lock strongest lock taken on an existing relation
 * @param table display name of the table locked, e.g. "public.users" (null when none)
 * @param rewrite whether the step rewrites the table
 * @param scan whether the step scans the whole table
 * @param transactional false for statements PostgreSQL refuses inside a transaction block
 * @param backfill present when this step is a batched backfill rather than one statement
 * @param undoBackfill present when undoing the step ends with a batched backfill (run after the
 *                     rollback statements, checkpointed, with the table's own triggers off) — e.g.
 *                     re-syncing an old column from the new one when contract is rolled back
 * @param irreversible true when the step has no undo although it changed something (a raw
 *                     {@code sql} step declared {@code irreversible: true}); rolling back a phase in
 *                     which such a step was applied is refused before anything changes
 */
public record Step(
        String description,
        String sql,
        List<String> rollbackStatements,
        LockLevel lock,
        String table,
        boolean rewrite,
        boolean scan,
        boolean transactional,
        Optional<BackfillSpec> backfill,
        Optional<BackfillSpec> undoBackfill,
        boolean irreversible) {

    public Step {
        Objects.requireNonNull(description);
        Objects.requireNonNull(sql);
        Objects.requireNonNull(lock);
        Objects.requireNonNull(backfill);
        Objects.requireNonNull(undoBackfill);
        rollbackStatements = List.copyOf(rollbackStatements);
        if (irreversible && (!rollbackStatements.isEmpty() || undoBackfill.isPresent())) {
            throw new IllegalArgumentException("an irreversible step has no undo: " + description);
        }
    }

    /** A reversible step (see the record components). */
    public Step(String description, String sql, List<String> rollbackStatements, LockLevel lock, String table,
                boolean rewrite, boolean scan, boolean transactional, Optional<BackfillSpec> backfill,
                Optional<BackfillSpec> undoBackfill) {
        this(description, sql, rollbackStatements, lock, table, rewrite, scan, transactional, backfill, undoBackfill, false);
    }

    /** A step whose undo is statements only. */
    public Step(String description, String sql, List<String> rollbackStatements, LockLevel lock, String table,
                boolean rewrite, boolean scan, boolean transactional, Optional<BackfillSpec> backfill) {
        this(description, sql, rollbackStatements, lock, table, rewrite, scan, transactional, backfill, Optional.empty());
    }

    /** A transactional SQL step that neither scans nor rewrites, with a one-statement rollback. */
    public static Step ddl(String description, String sql, String rollback, LockLevel lock, String table) {
        return new Step(description, sql, rollback == null ? List.of() : List.of(rollback),
                lock, table, false, false, true, Optional.empty());
    }

    /** The rollback for display: statements joined with ";\n", or null when none is needed. */
    public String rollback() {
        return rollbackStatements.isEmpty() ? null : String.join(";\n", rollbackStatements);
    }

    /**
     * Whether undoing this step takes statements: false for a read-only check (declared
     * {@link LockLevel#ACCESS_SHARE}) and for a backfill (the values it wrote stay; the column they
     * are in is dropped by an earlier phase's undo). A step that needs one and has none is a
     * missing rollback unless it is {@link #irreversible()}.
     */
    public boolean needsRollback() {
        return lock != LockLevel.ACCESS_SHARE && backfill.isEmpty();
    }

    public boolean isBackfill() {
        return backfill.isPresent();
    }

    public Step withScan(boolean scan) {
        return new Step(description, sql, rollbackStatements, lock, table, rewrite, scan, transactional, backfill, undoBackfill, irreversible);
    }

    public Step withRollback(List<String> statements) {
        return new Step(description, sql, statements, lock, table, rewrite, scan, transactional, backfill, undoBackfill);
    }

    public Step withUndoBackfill(BackfillSpec spec) {
        return new Step(description, sql, rollbackStatements, lock, table, rewrite, scan, transactional, backfill, Optional.of(spec));
    }

    /** The same step marked irreversible: it has no undo, and rolling back its phase is refused. */
    public Step asIrreversible() {
        return new Step(description, sql, List.of(), lock, table, rewrite, scan, transactional, backfill, Optional.empty(), true);
    }
}
