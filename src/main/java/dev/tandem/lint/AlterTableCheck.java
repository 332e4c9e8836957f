package dev.tandem.lint;

import dev.tandem.plan.LockLevel;

/**
 * Judges {@code ALTER TABLE} statements action by action — ADD CONSTRAINT, DROP, RENAME, SET
 * TABLESPACE / LOGGED / ACCESS METHOD, VALIDATE here; ADD COLUMN in {@link AddColumnCheck}, ALTER
 * COLUMN in {@link AlterColumnCheck} — and records the lock each action takes and whether it scans
 * or rewrites.
 * <p>Not handled: partition maintenance beyond DETACH … CONCURRENTLY, ALTER COLUMN SET EXPRESSION,
 * domains, inheritance. Tables created earlier in the run are new and empty: their actions are not
 * judged.
 */
final class AlterTableCheck {
    private AlterTableCheck() {}

    static void check(LintContext c) {
        SqlStatement s = c.stmt;
        int i = 2;
        if (s.wordsAt(i, "ALL", "IN", "TABLESPACE")) {
            c.error(Rule.SET_TABLESPACE, s.get(i), "ALTER TABLE ALL IN TABLESPACE moves every table");
            c.locks(LockLevel.ACCESS_EXCLUSIVE, "every table in the tablespace");
            c.longWork("moving tables to another tablespace");
            return;
        }
        if (s.wordsAt(i, "IF", "EXISTS")) {
            i += 2;
        }
        if (s.wordsAt(i, "ONLY")) {
            i++;
        }
        SqlStatement.Name table = s.name(i);
        if (table == null) {
            return;
        }
        i = table.next();
        if (i < s.size() && s.get(i).isSymbol("*")) {
            i++;
        }
        if (c.state.isNew(table.last())) {
            trackNewTable(c, table.last(), i);
            return;
        }
        for (int[] action : s.splitAtCommas(i, s.size(), 0)) {
            action(c, table, action[0], action[1]);
        }
    }

    /** On a table created in this run: only keep the column types and NOT NULL checks up to date. */
    private static void trackNewTable(LintContext c, String table, int from) {
        SqlStatement s = c.stmt;
        for (int[] a : s.splitAtCommas(from, s.size(), 0)) {
            int k = a[0];
            if (s.wordsAt(k, "ADD")) {
                int col = skipColumnWords(s, k + 1);
                if (!isConstraintStart(s, col)) {
                    ColumnDef d = ColumnDef.parse(s, col, a[1]);
                    if (d != null) {
                        d.type().ifPresent(t -> c.state.columns(table).put(d.name(), t));
                    }
                }
            }
        }
    }

    private static void action(LintContext c, SqlStatement.Name table, int from, int to) {
        SqlStatement s = c.stmt;
        SqlStatement.Tok at = s.get(from);
        String t = table.display();
        if (s.wordsAt(from, "ADD")) {
            int k = skipColumnWords(s, from + 1);
            if (isConstraintStart(s, k)) {
                addConstraint(c, table, k, to);
            } else {
                AddColumnCheck.check(c, table, k, to);
            }
        } else if (s.wordsAt(from, "ALTER")) {
            int k = from + 1;
            if (s.wordsAt(k, "COLUMN")) {
                k++;
            }
            AlterColumnCheck.check(c, table, k, to);
        } else if (s.wordsAt(from, "DROP", "CONSTRAINT")) {
            c.locks(LockLevel.ACCESS_EXCLUSIVE, t);
        } else if (s.wordsAt(from, "DROP")) {
            int k = from + 1;
            if (s.wordsAt(k, "COLUMN")) {
                k++;
            }
            if (s.wordsAt(k, "IF", "EXISTS")) {
                k += 2;
            }
            String col = k < to ? s.get(k).text() : "?";
            c.error(Rule.DROP_COLUMN, at, "DROP COLUMN " + col + " on " + t + " breaks running clients that still use it");
            c.locks(LockLevel.ACCESS_EXCLUSIVE, t);
        } else if (s.wordsAt(from, "RENAME", "CONSTRAINT")) {
            c.locks(LockLevel.ACCESS_EXCLUSIVE, t);
        } else if (s.wordsAt(from, "RENAME", "TO")) {
            String to2 = from + 2 < to ? s.get(from + 2).text() : "?";
            c.error(Rule.RENAME_TABLE, at, "RENAME of table " + t + " to " + to2 + " breaks running clients that use the old name");
            c.locks(LockLevel.ACCESS_EXCLUSIVE, t);
        } else if (s.wordsAt(from, "RENAME")) {
            int k = from + 1;
            if (s.wordsAt(k, "COLUMN")) {
                k++;
            }
            String col = k < to ? s.get(k).text() : "?";
            c.error(Rule.RENAME_COLUMN, at, "RENAME COLUMN " + col + " on " + t + " breaks running clients that use the old name");
            c.locks(LockLevel.ACCESS_EXCLUSIVE, t);
        } else if (s.wordsAt(from, "SET", "SCHEMA")) {
            c.error(Rule.RENAME_TABLE, at, "SET SCHEMA moves " + t + " and breaks running clients that use the old name");
            c.locks(LockLevel.ACCESS_EXCLUSIVE, t);
        } else if (s.wordsAt(from, "SET", "TABLESPACE")) {
            c.error(Rule.SET_TABLESPACE, at, "SET TABLESPACE on " + t + " copies the table under ACCESS EXCLUSIVE");
            c.rewrite(t, "SET TABLESPACE");
        } else if (s.wordsAt(from, "SET", "LOGGED") || s.wordsAt(from, "SET", "UNLOGGED")) {
            c.error(Rule.SET_LOGGED, at, s.textOf(from, from + 2) + " on " + t + " rewrites the table under ACCESS EXCLUSIVE");
            c.rewrite(t, s.textOf(from, from + 2));
        } else if (s.wordsAt(from, "SET", "ACCESS", "METHOD")) {
            c.error(Rule.SET_ACCESS_METHOD, at, "SET ACCESS METHOD on " + t + " rewrites the table under ACCESS EXCLUSIVE");
            c.rewrite(t, "SET ACCESS METHOD");
        } else if (s.wordsAt(from, "VALIDATE", "CONSTRAINT")) {
            c.locks(LockLevel.SHARE_UPDATE_EXCLUSIVE, t);
            c.longWork("VALIDATE CONSTRAINT (a full scan)");
            SqlStatement.Name name = s.name(from + 2);
            if (name != null) {
                String[] check = c.state.notNullChecks.get(name.last());
                if (check != null) {
                    c.state.validatedNotNull.add(check[0] + "." + check[1]);
                }
            }
        } else if (s.wordsAt(from, "DETACH", "PARTITION")) {
            if (s.find(from, to, 0, "CONCURRENTLY") >= 0) {
                concurrentlyOutsideTransaction(c, at, "DETACH PARTITION CONCURRENTLY");
                c.locks(LockLevel.SHARE_UPDATE_EXCLUSIVE, t);
            } else {
                c.locks(LockLevel.ACCESS_EXCLUSIVE, t);
            }
        } else if (setParens(s, from, to) || s.wordsAt(from, "RESET") || s.wordsAt(from, "CLUSTER", "ON")
                || s.wordsAt(from, "SET", "WITHOUT", "CLUSTER") || s.wordsAt(from, "SET", "STATISTICS")
                || s.wordsAt(from, "ATTACH", "PARTITION")) {
            c.locks(LockLevel.SHARE_UPDATE_EXCLUSIVE, t);
        } else if (s.wordsAt(from, "ENABLE") || s.wordsAt(from, "DISABLE")) {
            c.locks(s.find(from, to, 0, "TRIGGER") >= 0 ? LockLevel.SHARE_ROW_EXCLUSIVE : LockLevel.ACCESS_EXCLUSIVE, t);
        } else {
            c.locks(LockLevel.ACCESS_EXCLUSIVE, t);
        }
    }

    /** {@code SET (storage_parameter = …)}: SHARE UPDATE EXCLUSIVE. */
    static boolean setParens(SqlStatement s, int k, int to) {
        return s.wordsAt(k, "SET") && k + 1 < to && s.get(k + 1).isSymbol("(");
    }

    /** Skips {@code COLUMN} and {@code IF NOT EXISTS} after ADD. */
    private static int skipColumnWords(SqlStatement s, int k) {
        if (s.wordsAt(k, "COLUMN")) {
            k++;
        }
        if (s.wordsAt(k, "IF", "NOT", "EXISTS")) {
            k += 3;
        }
        return k;
    }

    private static boolean isConstraintStart(SqlStatement s, int k) {
        return s.wordsAt(k, "CONSTRAINT") || s.wordsAt(k, "CHECK") || s.wordsAt(k, "UNIQUE") || s.wordsAt(k, "PRIMARY", "KEY")
                || s.wordsAt(k, "FOREIGN", "KEY") || s.wordsAt(k, "EXCLUDE");
    }

    private static void addConstraint(LintContext c, SqlStatement.Name table, int k, int to) {
        SqlStatement s = c.stmt;
        String t = table.display();
        String name = null;
        if (s.wordsAt(k, "CONSTRAINT")) {
            SqlStatement.Name n = s.name(k + 1);
            name = n == null ? null : n.last();
            k = n == null ? k + 1 : n.next();
        }
        String label = name == null ? "" : " " + name;
        SqlStatement.Tok at = s.get(Math.min(k, s.size() - 1));
        boolean notValid = s.find(k, to, 0, "NOT", "VALID") >= 0;
        if (s.wordsAt(k, "CHECK")) {
            c.locks(LockLevel.ACCESS_EXCLUSIVE, t);
            String column = notNullCheckColumn(s, k + 1);
            if (column != null && name != null) {
                c.state.notNullChecks.put(name, new String[] {table.last(), column});
            }
            if (notValid) {
                return;
            }
            if (column != null) {
                c.state.validatedNotNull.add(table.last() + "." + column);
            }
            c.error(Rule.CHECK_WITHOUT_NOT_VALID, at, "CHECK constraint" + label + " on " + t
                    + " is added without NOT VALID, so every row is checked while ACCESS EXCLUSIVE is held");
            c.longWork("a CHECK validated on every row");
        } else if (s.wordsAt(k, "FOREIGN", "KEY")) {
            c.locks(LockLevel.SHARE_ROW_EXCLUSIVE, t);
            if (!notValid) {
                c.error(Rule.FOREIGN_KEY_WITHOUT_NOT_VALID, at, "FOREIGN KEY" + label + " on " + t
                        + " is added without NOT VALID, so every row is checked while writes to both tables wait");
                c.longWork("a FOREIGN KEY validated on every row");
            }
        } else if (s.wordsAt(k, "UNIQUE") || s.wordsAt(k, "PRIMARY", "KEY")) {
            c.locks(LockLevel.ACCESS_EXCLUSIVE, t);
            if (s.find(k, to, 0, "USING", "INDEX") < 0) {
                String what = s.wordsAt(k, "UNIQUE") ? "UNIQUE" : "PRIMARY KEY";
                c.error(Rule.ADD_UNIQUE_WITHOUT_INDEX, at, what + label + " on " + t
                        + " builds its index while ACCESS EXCLUSIVE blocks reads and writes");
                c.longWork("an index build for " + what);
            }
        } else if (s.wordsAt(k, "NOT", "NULL")) {
            // PostgreSQL 18: ADD CONSTRAINT c NOT NULL col [NOT VALID]
            c.locks(LockLevel.ACCESS_EXCLUSIVE, t);
            if (!notValid) {
                String col = k + 2 < to ? s.get(k + 2).text() : "?";
                c.error(Rule.SET_NOT_NULL_SCAN, at, "NOT NULL constraint" + label + " on " + t + "." + col
                        + " is added without NOT VALID, so every row is checked while ACCESS EXCLUSIVE is held");
                c.longWork("a NOT NULL constraint checked on every row");
            }
        } else if (s.wordsAt(k, "EXCLUDE")) {
            c.locks(LockLevel.ACCESS_EXCLUSIVE, t);
            c.error(Rule.ADD_EXCLUSION_CONSTRAINT, at, "EXCLUDE constraint" + label + " on " + t
                    + " builds its index and checks every row under ACCESS EXCLUSIVE");
            c.longWork("an EXCLUDE constraint build");
        } else {
            c.locks(LockLevel.ACCESS_EXCLUSIVE, t);
        }
    }

    /** The column of {@code CHECK (col IS NOT NULL)} (the check's parenthesis at {@code open}), or null. */
    private static String notNullCheckColumn(SqlStatement s, int open) {
        if (open >= s.size() || !s.get(open).isSymbol("(")) {
            return null;
        }
        int close = s.closing(open);
        int k = open + 1;
        while (k < close && s.get(k).isSymbol("(")) {
            k++; // CHECK ((col IS NOT NULL))
        }
        String col = k < close ? s.get(k).identifier() : null;
        if (col == null || !s.wordsAt(k + 1, "IS", "NOT", "NULL")) {
            return null;
        }
        for (int j = k + 4; j < close; j++) {
            if (!s.get(j).isSymbol(")")) {
                return null;
            }
        }
        return col;
    }

    /** Reports a CONCURRENTLY statement inside a transaction block. */
    static void concurrentlyOutsideTransaction(LintContext c, SqlStatement.Tok at, String what) {
        if (c.state.inTransaction) {
            c.error(Rule.CONCURRENTLY_IN_TRANSACTION, at, what + " cannot run inside a transaction block; this one is inside BEGIN … COMMIT"
                    + (c.options.singleTransaction() ? " (--single-transaction)" : ""));
        }
    }
}
