package dev.tandem.lint;

import dev.tandem.plan.LockLevel;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What the linter knows while it walks the statements: the schema it has seen created (across the
 * files of one run, in order) and, per file, the transaction, lock_timeout and lock state.
 * Table names are keyed by their last part (no schema), folded as PostgreSQL folds identifiers.
 */
final class LintState {
    // ---- across files
    /** Column types declared by CREATE TABLE / ADD COLUMN / ALTER TYPE seen so far: table → column → type. */
    final Map<String, Map<String, SqlType>> columnTypes = new HashMap<>();
    /** NOT NULL checks by constraint name: {table, column} of {@code CHECK (column IS NOT NULL)}. */
    final Map<String, String[]> notNullChecks = new HashMap<>();
    /** "table.column" that have a validated {@code CHECK (column IS NOT NULL)}. */
    final Set<String> validatedNotNull = new HashSet<>();

    // ---- per file
    /**
     * Tables created earlier in this file: new and empty, unknown to running clients, so most rules
     * do not apply. (A table created by an earlier file is live by the time a later one runs.)
     */
    final Set<String> createdTables = new HashSet<>();
    /** Indexes created earlier in this file on such new tables. */
    final Set<String> createdIndexes = new HashSet<>();
    boolean inTransaction;
    boolean lockTimeoutSession;
    boolean lockTimeoutLocal;
    boolean lockTimeoutReported;
    /** The strongest lock blocking writes held in the open transaction, and where it was taken. */
    LockLevel held = LockLevel.NONE;
    String heldTable;
    int heldLine;

    void startFile(boolean singleTransaction) {
        inTransaction = singleTransaction;
        lockTimeoutSession = false;
        lockTimeoutLocal = false;
        lockTimeoutReported = false;
        createdTables.clear();
        createdIndexes.clear();
        endTransactionLocks();
    }

    void endTransaction() {
        inTransaction = false;
        lockTimeoutLocal = false;
        endTransactionLocks();
    }

    private void endTransactionLocks() {
        held = LockLevel.NONE;
        heldTable = null;
        heldLine = 0;
    }

    boolean lockTimeoutSet() {
        return lockTimeoutSession || lockTimeoutLocal;
    }

    boolean isNew(String table) {
        return createdTables.contains(table);
    }

    Map<String, SqlType> columns(String table) {
        return columnTypes.computeIfAbsent(table, t -> new HashMap<>());
    }
}
