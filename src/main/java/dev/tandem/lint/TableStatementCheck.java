package dev.tandem.lint;

import dev.tandem.plan.LockLevel;
import java.util.List;

/**
 * Table-level statements other than ALTER TABLE: {@code DROP TABLE}, {@code VACUUM FULL},
 * {@code CLUSTER}, {@code LOCK}, {@code TRUNCATE} (the locks they take), and the data changes that
 * count as long work ({@code UPDATE}, {@code DELETE}, {@code INSERT … SELECT}, {@code MERGE},
 * {@code COPY}, {@code REFRESH MATERIALIZED VIEW}, {@code SELECT … INTO}).
 */
final class TableStatementCheck {
    private TableStatementCheck() {}

    static void dropTable(LintContext c) {
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
            c.state.columnTypes.remove(table.last());
            if (c.state.createdTables.remove(table.last())) {
                continue;
            }
            c.error(Rule.DROP_TABLE, s.get(part[0]), "DROP TABLE " + table.display()
                    + " breaks running clients that still use it and loses its data");
            c.locks(LockLevel.ACCESS_EXCLUSIVE, table.display());
        }
    }

    static void vacuum(LintContext c) {
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

    static void cluster(LintContext c) {
        SqlStatement s = c.stmt;
        int k = s.wordsAt(1, "VERBOSE") ? 2 : 1;
        SqlStatement.Name first = s.name(k);
        // CLUSTER table [USING index] | CLUSTER index ON table (old syntax)
        SqlStatement.Name table = first != null && s.wordsAt(first.next(), "ON") ? s.name(first.next() + 1) : first;
        if (table != null && c.state.isNew(table.last())) {
            return;
        }
        c.error(Rule.CLUSTER, s.first(), "CLUSTER" + (table == null ? "" : " " + table.display())
                + " rewrites the table under ACCESS EXCLUSIVE, blocking reads and writes");
        c.locks(LockLevel.ACCESS_EXCLUSIVE, table == null ? "every clustered table" : table.display());
        c.longWork("CLUSTER (a table rewrite)");
    }

    static void lock(LintContext c) {
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
    static void tables(LintContext c, int k, LockLevel level) {
        SqlStatement s = c.stmt;
        if (s.wordsAt(k, "TABLE")) {
            k++;
        }
        for (int[] part : s.splitAtCommas(k, s.size(), 0)) {
            int p = s.wordsAt(part[0], "ONLY") ? part[0] + 1 : part[0];
            SqlStatement.Name table = s.name(p);
            if (table != null && !c.state.isNew(table.last())) {
                c.locks(level, table.display());
            }
        }
    }

    static void dataChange(LintContext c) {
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
}
