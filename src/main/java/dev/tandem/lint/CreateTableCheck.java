package dev.tandem.lint;

import dev.tandem.plan.LockLevel;

/**
 * {@code CREATE TABLE}: remembers the new table (so later statements of the file on it are not
 * judged) and its column types, and records the SHARE ROW EXCLUSIVE lock a foreign key takes on an
 * existing referenced table. {@code CREATE TABLE … AS} counts as long work (it runs its query).
 * Not handled: {@code PARTITION OF} (which locks the parent), {@code LIKE}, {@code INHERITS}.
 */
final class CreateTableCheck {
    private CreateTableCheck() {}

    static void check(LintContext c, int k) {
        SqlStatement s = c.stmt;
        if (s.wordsAt(k, "IF", "NOT", "EXISTS")) {
            k += 3;
        }
        SqlStatement.Name table = s.name(k);
        if (table == null) {
            return;
        }
        c.state.createdTables.add(table.last());
        c.state.columnTypes.remove(table.last());
        int open = table.next();
        if (open >= s.size() || !s.get(open).isSymbol("(")) {
            if (s.find(open, s.size(), 0, "AS") >= 0) {
                c.longWork("CREATE TABLE … AS (runs its query)");
            }
            return;
        }
        int close = s.closing(open);
        for (int[] element : s.splitAtCommas(open + 1, close, 1)) {
            int e = element[0];
            if (!isTableConstraint(s, e)) {
                ColumnDef d = ColumnDef.parse(s, e, element[1]);
                if (d != null) {
                    d.type().ifPresent(t -> c.state.columns(table.last()).put(d.name(), t));
                }
            }
            int ref = s.find(e, element[1], 1, "REFERENCES");
            SqlStatement.Name target = ref < 0 ? null : s.name(ref + 1);
            if (target != null && !c.state.isNew(target.last())) {
                c.locks(LockLevel.SHARE_ROW_EXCLUSIVE, target.display());
            }
        }
    }

    private static boolean isTableConstraint(SqlStatement s, int e) {
        return s.wordsAt(e, "CONSTRAINT") || s.wordsAt(e, "CHECK") || s.wordsAt(e, "UNIQUE") || s.wordsAt(e, "PRIMARY", "KEY")
                || s.wordsAt(e, "FOREIGN", "KEY") || s.wordsAt(e, "EXCLUDE") || s.wordsAt(e, "LIKE");
    }
}
