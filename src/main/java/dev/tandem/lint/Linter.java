package dev.tandem.lint;

import dev.tandem.plan.LockLevel;
import dev.tandem.report.Finding;
import dev.tandem.report.Severity;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The PostgreSQL migration linter: judges plain SQL statement by statement with the {@link Rule}s
 * and returns findings with {@code file:line:column}. A statement judged safe yields no error.
 *
 * <p>One instance lints the files of one run in order: column types declared by earlier files
 * (CREATE TABLE, ADD COLUMN) let later ALTER COLUMN TYPE statements be judged exactly. Tables
 * created earlier in the <em>same</em> file count as new and empty; transaction and lock_timeout
 * state is per file.
 *
 * <p>It reads tokens, not a grammar ({@link StatementSplitter}, {@link SqlStatement}): statements it
 * does not recognise yield no finding. It does not know the live schema (types of columns created
 * elsewhere, row counts), does not follow psql {@code \i} includes, and cannot see the
 * transaction a migration tool wraps around a file unless told ({@link LintOptions#singleTransaction}).
 */
public final class Linter {
    private final LintOptions options;
    private final LintState state = new LintState();

    public Linter(LintOptions options) {
        this.options = options;
    }

    /** Lints a whole SQL file. */
    public List<Finding> lintFile(String file, String sql) {
        return lintSnippet(file, sql, 1, 1);
    }

    /**
     * Lints SQL that starts at {@code line}:{@code column} of {@code file} — e.g. the {@code up}
     * of a changelog's {@code sql} intent — reporting positions in that file.
     */
    public List<Finding> lintSnippet(String file, String sql, int line, int column) {
        return lintSnippet(file, sql, line, column, NewObjects.NONE).findings();
    }

    /**
     * Lints SQL that starts at {@code line}:{@code column} of {@code file}, where {@code known}
     * (created earlier in the same migration, e.g. by an earlier change or by the {@code up} a
     * {@code down} rolls back) counts as new and empty, as if created earlier in the same file.
     *
     * @return the findings, and what counts as new after the SQL (what it created added, what it
     *         dropped removed)
     */
    public Snippet lintSnippet(String file, String sql, int line, int column, NewObjects known) {
        List<Finding> out = new ArrayList<>();
        state.startFile(options.singleTransaction());
        state.createdTables.addAll(known.tables());
        state.createdIndexes.addAll(known.indexes());
        int[] bad = StatementSplitter.unterminated(sql, line, column);
        if (bad != null) {
            out.add(new Finding(file, bad[0], bad[1], Rule.SYNTAX.id(), Severity.ERROR,
                    "unterminated string, quoted identifier or comment starts here; the rest of the file is not checked",
                    Rule.SYNTAX.hint()));
        }
        for (SqlStatement s : StatementSplitter.split(sql, line, column)) {
            LintContext c = new LintContext(file, options, state, s, out);
            for (String id : s.ignored()) {
                if (Rule.byId(id).isEmpty()) {
                    c.warning(Rule.UNKNOWN_RULE, s.first(), "tandem:ignore names unknown rule '" + id + "'");
                }
            }
            statement(c);
            acrossStatements(c);
        }
        return new Snippet(out, new NewObjects(Set.copyOf(state.createdTables), Set.copyOf(state.createdIndexes)));
    }

    /**
     * Tables and indexes created earlier in the same unit of work, new and empty: most rules do not
     * apply to them. Names are the last part of the name as PostgreSQL folds it (no schema).
     */
    public record NewObjects(Set<String> tables, Set<String> indexes) {
        public static final NewObjects NONE = new NewObjects(Set.of(), Set.of());

        public NewObjects {
            tables = Set.copyOf(tables);
            indexes = Set.copyOf(indexes);
        }

        /** These objects and a table created by other means (a declarative {@code create_table}). */
        public NewObjects withTable(String table) {
            java.util.Set<String> t = new java.util.HashSet<>(tables);
            t.add(table);
            return new NewObjects(t, indexes);
        }
    }

    /** What linting a snippet gave: its findings and what counts as new after it. */
    public record Snippet(List<Finding> findings, NewObjects after) {}

    private void statement(LintContext c) {
        SqlStatement s = c.stmt;
        if (s.startsWith("BEGIN") || s.startsWith("START", "TRANSACTION")) {
            state.inTransaction = true;
        } else if (s.startsWith("COMMIT") || s.startsWith("END") || s.startsWith("ABORT")
                || (s.startsWith("ROLLBACK") && !s.wordsAt(1, "TO") && !s.wordsAt(2, "TO") && !s.wordsAt(1, "PREPARED"))) {
            state.endTransaction();
        } else if (s.startsWith("SET") || s.startsWith("RESET")) {
            setting(s);
        } else if (s.startsWith("CREATE")) {
            create(c);
        } else if (s.startsWith("DROP", "INDEX")) {
            IndexCheck.dropIndex(c);
        } else if (s.startsWith("DROP", "TABLE")) {
            TableStatementCheck.dropTable(c);
        } else if (s.startsWith("ALTER", "TABLE")) {
            AlterTableCheck.check(c);
        } else if (s.startsWith("ALTER", "INDEX")) {
            if (s.find(2, s.size(), 0, "SET", "TABLESPACE") >= 0) {
                c.error(Rule.SET_TABLESPACE, s.first(), "ALTER INDEX … SET TABLESPACE copies the index under ACCESS EXCLUSIVE");
                c.locks(LockLevel.ACCESS_EXCLUSIVE, "the index's table");
                c.longWork("an index copy");
            }
        } else if (s.startsWith("REINDEX")) {
            IndexCheck.reindex(c);
        } else if (s.startsWith("VACUUM")) {
            TableStatementCheck.vacuum(c);
        } else if (s.startsWith("CLUSTER")) {
            TableStatementCheck.cluster(c);
        } else if (s.startsWith("TRUNCATE")) {
            TableStatementCheck.tables(c, 1, LockLevel.ACCESS_EXCLUSIVE);
        } else if (s.startsWith("LOCK")) {
            TableStatementCheck.lock(c);
        } else {
            TableStatementCheck.dataChange(c);
        }
    }

    // ------------------------------------------------------------------ session state

    private void setting(SqlStatement s) {
        if (s.startsWith("RESET")) {
            if (s.wordsAt(1, "ALL") || s.wordsAt(1, "LOCK_TIMEOUT")) {
                state.lockTimeoutSession = false;
                state.lockTimeoutLocal = false;
            }
            return;
        }
        int k = 1;
        boolean local = false;
        if (s.wordsAt(k, "LOCAL")) {
            local = true;
            k++;
        } else if (s.wordsAt(k, "SESSION")) {
            k++;
        }
        if (!s.wordsAt(k, "LOCK_TIMEOUT")) {
            return;
        }
        k++;
        if (k < s.size() && (s.get(k).isSymbol("=") || s.get(k).is("TO"))) {
            k++;
        }
        boolean on = k < s.size() && !s.get(k).is("DEFAULT") && !isZero(s.get(k).text());
        if (local) {
            // SET LOCAL outside a transaction block has no effect
            state.lockTimeoutLocal = on && state.inTransaction;
        } else {
            state.lockTimeoutSession = on;
            state.lockTimeoutLocal = false;
        }
    }

    private static boolean isZero(String value) {
        String v = value.replace("'", "").strip().toLowerCase(Locale.ROOT);
        return v.matches("0+(\\.0*)?\\s*(us|ms|s|min|h|d)?");
    }

    // ------------------------------------------------------------------ CREATE

    private void create(LintContext c) {
        SqlStatement s = c.stmt;
        int k = 1;
        if (s.wordsAt(k, "OR", "REPLACE")) {
            k += 2;
        }
        if (s.wordsAt(k, "UNIQUE")) {
            k++;
        }
        if (s.wordsAt(k, "INDEX")) {
            IndexCheck.createIndex(c, k);
            return;
        }
        while (s.wordsAt(k, "GLOBAL") || s.wordsAt(k, "LOCAL") || s.wordsAt(k, "TEMP") || s.wordsAt(k, "TEMPORARY")
                || s.wordsAt(k, "UNLOGGED")) {
            k++;
        }
        if (s.wordsAt(k, "TABLE")) {
            CreateTableCheck.check(c, k + 1);
        } else if (s.wordsAt(k, "TRIGGER") || s.wordsAt(k, "CONSTRAINT", "TRIGGER")) {
            int on = s.find(k, s.size(), 0, "ON");
            SqlStatement.Name table = on < 0 ? null : s.name(on + 1);
            if (table != null && !state.isNew(table.last())) {
                c.locks(LockLevel.SHARE_ROW_EXCLUSIVE, table.display());
            }
        } else if (s.wordsAt(k, "MATERIALIZED", "VIEW")) {
            c.longWork("CREATE MATERIALIZED VIEW (runs its query)");
        }
    }

    // ------------------------------------------------------------------ across statements

    private void acrossStatements(LintContext c) {
        SqlStatement s = c.stmt;
        if (c.lock.needsLockTimeout() && !options.lockTimeoutProvided() && !state.lockTimeoutSet() && !state.lockTimeoutReported
                && !s.ignored().contains(Rule.MISSING_LOCK_TIMEOUT.id())) {
            c.error(Rule.MISSING_LOCK_TIMEOUT, s.first(), s.textOf(0, Math.min(2, s.size())).toUpperCase(Locale.ROOT) + " takes "
                    + c.lock.sqlName() + " on " + c.lockTable + " with no lock_timeout set earlier in the file"
                    + " (reported once per file)");
            state.lockTimeoutReported = true;
        }
        if (c.longWork && state.inTransaction && state.held.blocksWrites()) {
            c.error(Rule.LONG_WORK_AFTER_LOCK, s.first(), c.longWorkWhat + " runs in a transaction that holds "
                    + state.held.sqlName() + " on " + state.heldTable + " since line " + state.heldLine
                    + "; "
                    + (state.held == LockLevel.ACCESS_EXCLUSIVE ? "reads and writes" : "writes") + " on that table wait until COMMIT");
        }
        if (state.inTransaction && c.lock.blocksWrites() && c.lock.compareTo(state.held) > 0) {
            state.held = c.lock;
            state.heldTable = c.lockTable;
            state.heldLine = s.first().line();
        }
    }
}
