package dev.tandem.lint;

import dev.tandem.plan.LockLevel;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code ALTER TABLE … ALTER COLUMN} on an existing table: type changes (binary-coercible or a
 * rewrite, see {@link SqlType}) and SET NOT NULL (a scan unless a validated NOT NULL check exists,
 * PostgreSQL 12+). Other column actions take ACCESS EXCLUSIVE briefly and are fine, except SET
 * STATISTICS / SET (…) / RESET, which take SHARE UPDATE EXCLUSIVE.
 */
final class AlterColumnCheck {
    private AlterColumnCheck() {}

    static void check(LintContext c, SqlStatement.Name table, int k, int to) {
        SqlStatement s = c.stmt;
        String t = table.display();
        int op = k + 1;
        if (s.wordsAt(op, "SET", "STATISTICS") || AlterTableCheck.setParens(s, op, to) || s.wordsAt(op, "RESET")) {
            c.locks(LockLevel.SHARE_UPDATE_EXCLUSIVE, t);
            return;
        }
        c.locks(LockLevel.ACCESS_EXCLUSIVE, t);
        if (k >= to || s.get(k).identifier() == null) {
            return;
        }
        String column = s.get(k).identifier();
        if (s.wordsAt(op, "TYPE") || s.wordsAt(op, "SET", "DATA", "TYPE")) {
            int typeStart = op + (s.wordsAt(op, "TYPE") ? 1 : 3);
            alterType(c, table, column, s.get(k), typeStart, to);
        } else if (s.wordsAt(op, "SET", "NOT", "NULL")) {
            setNotNull(c, table, column, s.get(op));
        }
    }

    private static void alterType(LintContext c, SqlStatement.Name table, String column, SqlStatement.Tok at, int typeStart, int to) {
        SqlStatement s = c.stmt;
        int using = s.find(typeStart, to, 0, "USING");
        int collate = s.find(typeStart, to, 0, "COLLATE");
        int typeEnd = using >= 0 ? using : to;
        if (collate >= 0 && collate < typeEnd) {
            typeEnd = collate;
        }
        List<String> parts = new ArrayList<>();
        for (int j = typeStart; j < typeEnd; j++) {
            parts.add(s.get(j).text());
        }
        Optional<SqlType> target = SqlType.parse(parts);
        String col = table.display() + "." + column;
        Optional<SqlType> old = Optional.ofNullable(c.state.columns(table.last()).get(column));
        target.ifPresent(tt -> c.state.columns(table.last()).put(column, tt));
        boolean plainUsing = using >= 0 && using + 2 == to && column.equals(s.get(using + 1).identifier());
        if (using >= 0 && !plainUsing) {
            c.error(Rule.ALTER_COLUMN_TYPE_REWRITE, at, "ALTER TYPE of " + col + " with USING " + s.textOf(using + 1, to)
                    + " computes every row anew: the table and its indexes are rewritten");
            c.rewrite(table.display(), "a column type change");
            return;
        }
        if (target.isEmpty()) {
            c.warning(Rule.ALTER_COLUMN_TYPE_REWRITE, at, "cannot read the new type of " + col + "; unless it is binary-coercible"
                    + " from the current one the table is rewritten");
            return;
        }
        if (old.isPresent() && old.get().binaryCoercibleTo(target.get())) {
            return;
        }
        if (old.isPresent() && old.get().timeZoneChange(target.get()) && c.options.pgVersion() >= 12) {
            c.warning(Rule.ALTER_COLUMN_TYPE_REWRITE, at, "changing " + col + " from " + old.get() + " to " + target.get()
                    + " skips the rewrite only when the session TimeZone is UTC (PostgreSQL 12+); otherwise the table and its"
                    + " indexes are rewritten");
        } else if (old.isPresent() && old.get().isKnown() && target.get().isKnown()) {
            c.error(Rule.ALTER_COLUMN_TYPE_REWRITE, at, "changing " + col + " from " + old.get() + " to " + target.get()
                    + " is not binary-coercible: the table and its indexes are rewritten");
            c.rewrite(table.display(), "a column type change");
        } else if (old.isEmpty() && target.get().rewritesFromAnyOtherType()) {
            c.error(Rule.ALTER_COLUMN_TYPE_REWRITE, at, "changing " + col + " to " + target.get()
                    + " is not binary-coercible from any other type: the table and its indexes are rewritten");
            c.rewrite(table.display(), "a column type change");
        } else {
            String from = old.map(o -> "from " + o + " ").orElse("");
            c.warning(Rule.ALTER_COLUMN_TYPE_REWRITE, at, "cannot tell whether changing " + col + " " + from + "to " + target.get()
                    + " is binary-coercible (" + (old.isEmpty() ? "its current type is not declared in the linted files"
                            : "not a built-in type") + "); if it is not, the table and its indexes are rewritten");
        }
    }

    private static void setNotNull(LintContext c, SqlStatement.Name table, String column, SqlStatement.Tok at) {
        String col = table.display() + "." + column;
        boolean checked = c.state.validatedNotNull.contains(table.last() + "." + column);
        if (checked && c.options.pgVersion() >= 12) {
            return;
        }
        String why = checked
                ? "on PostgreSQL " + c.options.pgVersion() + " SET NOT NULL on " + col + " scans the table even though a validated"
                        + " CHECK (" + column + " IS NOT NULL) exists (the check is used from 12 on)"
                : "SET NOT NULL on " + col + " scans the whole table under ACCESS EXCLUSIVE (no validated CHECK ("
                        + column + " IS NOT NULL) earlier in the file)";
        c.error(Rule.SET_NOT_NULL_SCAN, at, why);
        c.longWork("SET NOT NULL (a full scan)");
    }
}
