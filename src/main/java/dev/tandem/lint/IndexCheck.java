package dev.tandem.lint;

import dev.tandem.plan.LockLevel;

/**
 * Index statements: {@code CREATE INDEX}, {@code DROP INDEX}, {@code REINDEX} without
 * CONCURRENTLY on an existing table, and CONCURRENTLY inside a transaction block. Indexes on
 * tables created earlier in the same file are remembered, so dropping or rebuilding them is fine.
 */
final class IndexCheck {
    private IndexCheck() {}

    static void createIndex(LintContext c, int indexWord) {
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
        if (c.state.isNew(table.last())) {
            SqlStatement.Name index = s.name(s.wordsAt(indexWord + 1, "IF", "NOT", "EXISTS") ? indexWord + 4 : indexWord + 1);
            if (index != null && index.next() <= on) {
                c.state.createdIndexes.add(index.last());
            }
            return;
        }
        c.error(Rule.CREATE_INDEX_NOT_CONCURRENT, s.first(), "CREATE INDEX on " + table.display()
                + " without CONCURRENTLY blocks writes to the table for the whole build");
        c.locks(LockLevel.SHARE, table.display());
        c.longWork("an index build");
    }

    static void dropIndex(LintContext c) {
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
        if (index != null && c.state.createdIndexes.contains(index.last())) {
            return;
        }
        String name = index == null ? "" : " " + index.display();
        c.error(Rule.DROP_INDEX_NOT_CONCURRENT, s.first(), "DROP INDEX" + name
                + " without CONCURRENTLY takes ACCESS EXCLUSIVE on its table, blocking reads and writes");
        c.locks(LockLevel.ACCESS_EXCLUSIVE, "the table of index" + name);
    }

    static void reindex(LintContext c) {
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
        if (target != null && (c.state.isNew(target.last()) || c.state.createdIndexes.contains(target.last()))) {
            return;
        }
        String what = target == null ? "" : " " + target.display();
        c.error(Rule.REINDEX_NOT_CONCURRENT, s.first(), "REINDEX" + what + " without CONCURRENTLY blocks writes while it rebuilds"
                + (c.options.pgVersion() < 12 ? " (REINDEX CONCURRENTLY needs PostgreSQL 12)" : ""));
        c.locks(LockLevel.SHARE, target == null ? "the reindexed table" : target.display());
        c.longWork("an index rebuild");
    }
}
