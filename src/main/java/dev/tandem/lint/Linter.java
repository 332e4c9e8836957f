package dev.tandem.lint;

import dev.tandem.plan.LockLevel;
import dev.tandem.report.Finding;
import dev.tandem.report.Severity;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

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
        List<Finding> out = new ArrayList<>();
        state.startFile(options.singleTransaction());
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
        return out;
    }

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
            dropIndex(c);
        } else if (s.startsWith("DROP", "TABLE")) {
            dropTable(c);
        } else if (s.startsWith("ALTER", "TABLE")) {
            AlterTableCheck.check(c);
        } else if (s.startsWith("ALTER", "INDEX")) {
            if (s.find(2, s.size(), 0, "SET", "TABLESPACE") >= 0) {
                c.error(Rule.SET_TABLESPACE, s.first(), "ALTER INDEX … SET TABLESPACE copies the index under ACCESS EXCLUSIVE");
                c.locks(LockLevel.ACCESS_EXCLUSIVE, "the index's table");
                c.longWork("an index copy");
            }
        } else if (s.startsWith("REINDEX")) {
            reindex(c);
        } else if (s.startsWith("VACUUM")) {
            vacuum(c);
        } else if (s.startsWith("CLUSTER")) {
            cluster(c);
        } else if (s.startsWith("TRUNCATE")) {
            tables(c, 1, LockLevel.ACCESS_EXCLUSIVE);
        } else if (s.startsWith("LOCK")) {
            lock(c);
        } else {
            dataChange(c);
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
            createIndex(c, k);
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

    private void createIndex(LintContext c, int indexWord) {
        SqlStatement s = c.stmt;
        boolean concurrently = s.wordsAt(indexWord + 1, "CONCURRENTLY");
        int on = s.find(indexWord, s.size(), 0, "ON");
        if (on < 0) {
            return;
        }
        int k = on + 1;
        if (s.wordsAt(k, "ONLY")) {
            k++;
        }
        SqlStatement.Name table = s.name(k);
        if (table == null) {
            return;
        }
        if (concurrently) {
            AlterTableCheck.concurrentlyOutsideTransaction(c, s.get(indexWord + 1), "CREATE INDEX CONCURRENTLY");
            return;
        }
        if (state.isNew(table.last())) {
            SqlStatement.Name index = s.name(s.wordsAt(indexWord + 1, "IF", "NOT", "EXISTS") ? indexWord + 4 : indexWord + 1);
            if (index != null && index.next() <= on) {
                state.createdIndexes.add(index.last());
            }
            return;
        }
        c.error(Rule.CREATE_INDEX_NOT_CONCURRENT, s.first(), "CREATE INDEX on " + table.display()
                + " without CONCURRENTLY blocks writes to the table for the whole build");
        c.locks(LockLevel.SHARE, table.display());
        c.longWork("an index build");
    }

    // ------------------------------------------------------------------ DROP

    private void dropIndex(LintContext c) {
        SqlStatement s = c.stmt;
        boolean concurrently = s.wordsAt(2, "CONCURRENTLY");
        int k = concurrently ? 3 : 2;
        if (s.wordsAt(k, "IF", "EXISTS")) {
            k += 2;
        }
        SqlStatement.Name index = s.name(k);
        if (concurrently) {
            AlterTableCheck.concurrentlyOutsideTransaction(c, s.get(2), "DROP INDEX CONCURRENTLY");
            return;
        }
        if (index != null && state.createdIndexes.contains(index.last())) {
            return;
        }
        String name = index == null ? "" : " " + index.display();
        c.error(Rule.DROP_INDEX_NOT_CONCURRENT, s.first(), "DROP INDEX" + name
                + " without CONCURRENTLY takes ACCESS EXCLUSIVE on its table, blocking reads and writes");
        c.locks(LockLevel.ACCESS_EXCLUSIVE, "the table of index" + name);
    }

    private void dropTable(LintContext c) {
        SqlStatement s = c.stmt;
        int k = 2;
        if (s.wordsAt(k, "IF", "EXISTS")) {
            k += 2;
        }
        for (int[] part : s.splitAtCommas(k, s.size(), 0)) {
            SqlStatement.Name table = s.name(part[0]);
            if (table == null) {
                continue;
            }
            state.columnTypes.remove(table.last());
            if (state.createdTables.remove(table.last())) {
                continue;
            }
            c.error(Rule.DROP_TABLE, s.get(part[0]), "DROP TABLE " + table.display()
                    + " breaks running clients that still use it and loses its data");
            c.locks(LockLevel.ACCESS_EXCLUSIVE, table.display());
        }
    }

    // ------------------------------------------------------------------ maintenance

    private void reindex(LintContext c) {
        SqlStatement s = c.stmt;
        boolean concurrently = s.findAnyDepth(1, "CONCURRENTLY") >= 0;
        if (concurrently) {
            AlterTableCheck.concurrentlyOutsideTransaction(c, s.first(), "REINDEX CONCURRENTLY");
            return;
        }
        int kind = s.find(1, s.size(), 0, "INDEX");
        if (kind < 0) {
            kind = s.find(1, s.size(), 0, "TABLE");
        }
        SqlStatement.Name target = kind < 0 ? null : s.name(kind + 1);
        if (target != null && (state.isNew(target.last()) || state.createdIndexes.contains(target.last()))) {
            return;
        }
        String what = target == null ? "" : " " + target.display();
        c.error(Rule.REINDEX_NOT_CONCURRENT, s.first(), "REINDEX" + what + " without CONCURRENTLY blocks writes while it rebuilds"
                + (options.pgVersion() < 12 ? " (REINDEX CONCURRENTLY needs PostgreSQL 12)" : ""));
        c.locks(LockLevel.SHARE, target == null ? "the reindexed table" : target.display());
        c.longWork("an index rebuild");
    }

    private void vacuum(LintContext c) {
        SqlStatement s = c.stmt;
        boolean full = s.wordsAt(1, "FULL");
        if (!full && s.size() > 1 && s.get(1).isSymbol("(")) {
            int close = s.closing(1);
            for (int[] opt : s.splitAtCommas(2, close, 1)) {
                boolean off = opt[1] - opt[0] > 1 && (s.get(opt[0] + 1).is("FALSE") || s.get(opt[0] + 1).is("OFF")
                        || s.get(opt[0] + 1).text().equals("0"));
                full |= s.get(opt[0]).is("FULL") && !off;
            }
        }
        if (full) {
            c.error(Rule.VACUUM_FULL, s.first(), "VACUUM FULL rewrites the table under ACCESS EXCLUSIVE, blocking reads and writes");
            c.locks(LockLevel.ACCESS_EXCLUSIVE, "the vacuumed table");
            c.longWork("VACUUM FULL (a table rewrite)");
        }
    }

    private void cluster(LintContext c) {
        SqlStatement s = c.stmt;
        int k = s.wordsAt(1, "VERBOSE") ? 2 : 1;
        SqlStatement.Name first = s.name(k);
        // CLUSTER table [USING index] | CLUSTER index ON table (old syntax)
        SqlStatement.Name table = first != null && s.wordsAt(first.next(), "ON") ? s.name(first.next() + 1) : first;
        if (table != null && state.isNew(table.last())) {
            return;
        }
        c.error(Rule.CLUSTER, s.first(), "CLUSTER" + (table == null ? "" : " " + table.display())
                + " rewrites the table under ACCESS EXCLUSIVE, blocking reads and writes");
        c.locks(LockLevel.ACCESS_EXCLUSIVE, table == null ? "every clustered table" : table.display());
        c.longWork("CLUSTER (a table rewrite)");
    }

    private void lock(LintContext c) {
        SqlStatement s = c.stmt;
        int in = s.find(1, s.size(), 0, "IN");
        int mode = s.find(1, s.size(), 0, "MODE");
        LockLevel level = LockLevel.ACCESS_EXCLUSIVE;
        if (in > 0 && mode > in) {
            try {
                level = LockLevel.parse(s.textOf(in + 1, mode));
            } catch (IllegalArgumentException e) {
                return;
            }
        }
        int k = s.wordsAt(1, "TABLE") ? 2 : 1;
        tables(c, k, level);
    }

    /** Records {@code level} on each existing table of the comma-separated list starting at {@code k}. */
    private void tables(LintContext c, int k, LockLevel level) {
        SqlStatement s = c.stmt;
        if (s.wordsAt(k, "TABLE")) {
            k++;
        }
        for (int[] part : s.splitAtCommas(k, s.size(), 0)) {
            int p = s.wordsAt(part[0], "ONLY") ? part[0] + 1 : part[0];
            SqlStatement.Name table = s.name(p);
            if (table != null && !state.isNew(table.last())) {
                c.locks(level, table.display());
            }
        }
    }

    // ------------------------------------------------------------------ DML

    private void dataChange(LintContext c) {
        SqlStatement s = c.stmt;
        String first = s.first().word();
        if (first == null) {
            return;
        }
        switch (first) {
            case "UPDATE", "DELETE", "MERGE", "COPY" -> c.longWork(first);
            case "INSERT" -> {
                if (s.find(1, s.size(), 0, "SELECT") >= 0) {
                    c.longWork("INSERT … SELECT");
                }
            }
            case "WITH" -> {
                for (String w : List.of("INSERT", "UPDATE", "DELETE", "MERGE")) {
                    if (s.find(1, s.size(), 0, w) >= 0) {
                        c.longWork(w + " (in a WITH query)");
                        return;
                    }
                }
            }
            case "REFRESH" -> c.longWork("REFRESH MATERIALIZED VIEW");
            case "SELECT" -> {
                if (s.find(1, s.size(), 0, "INTO") >= 0) {
                    c.longWork("SELECT … INTO");
                }
            }
            default -> {
            }
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
