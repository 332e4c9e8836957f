package dev.tandem.lint;

import dev.tandem.plan.LockLevel;

/**
 * {@code ALTER TABLE … ADD COLUMN} on an existing table: serial, identity and stored generated
 * columns and volatile defaults (rewrites), constant defaults before PostgreSQL 11, NOT NULL
 * without a default, and UNIQUE / PRIMARY KEY / REFERENCES / CHECK on the new column (validated
 * at once). Records the column's type for later type changes.
 * <p>Not handled: domains with constraints (they rewrite too), collations.
 */
final class AddColumnCheck {
    private AddColumnCheck() {}

    static void check(LintContext c, SqlStatement.Name table, int k, int to) {
        SqlStatement s = c.stmt;
        String t = table.display();
        c.locks(LockLevel.ACCESS_EXCLUSIVE, t);
        ColumnDef d = ColumnDef.parse(s, k, to);
        if (d == null) {
            return;
        }
        d.type().ifPresent(type -> c.state.columns(table.last()).put(d.name(), type));
        String col = t + "." + d.name();
        SqlStatement.Tok at = s.get(k);
        boolean filled = false;
        if (d.type().map(SqlType::isSerial).orElse(false)) {
            c.error(Rule.ADD_COLUMN_SERIAL, at, "serial column " + col + " fills every existing row: the table is rewritten");
            c.rewrite(t, "a serial column");
            filled = true;
        }
        if (d.identityAt() >= 0) {
            c.error(Rule.ADD_COLUMN_IDENTITY, s.get(d.identityAt()), "identity column " + col
                    + " fills every existing row: the table is rewritten");
            c.rewrite(t, "an identity column");
            filled = true;
        }
        if (d.generatedAt() >= 0) {
            filled = true;
            boolean stored = d.stored() || (!d.virtual() && c.options.pgVersion() < 18);
            if (stored) {
                c.error(Rule.ADD_COLUMN_GENERATED_STORED, s.get(d.generatedAt()), "stored generated column " + col
                        + " is computed for every existing row: the table is rewritten");
                c.rewrite(t, "a stored generated column");
            }
        }
        if (!d.noDefault(s)) {
            filled = true;
            StringBuilder fn = new StringBuilder();
            Volatility.Verdict v = Volatility.of(s, d.defaultAt() + 1, d.defaultEnd(), fn);
            SqlStatement.Tok dat = s.get(d.defaultAt());
            if (v == Volatility.Verdict.VOLATILE) {
                c.error(Rule.ADD_COLUMN_VOLATILE_DEFAULT, dat, "the default of " + col + " calls the volatile " + fn
                        + "(): every existing row gets its own value, so the table is rewritten");
                c.rewrite(t, "a volatile default");
            } else if (v == Volatility.Verdict.UNKNOWN) {
                c.warning(Rule.ADD_COLUMN_VOLATILE_DEFAULT, dat, "the default of " + col + " calls " + fn
                        + "(), whose volatility is not known here; if it is VOLATILE (the default for user functions), the table is rewritten");
            } else if (c.options.pgVersion() < 11) {
                c.error(Rule.ADD_COLUMN_DEFAULT_REWRITE, dat, "on PostgreSQL " + c.options.pgVersion() + " the default of " + col
                        + " is written into every existing row: the table is rewritten (fast defaults need 11+)");
                c.rewrite(t, "a default before PostgreSQL 11");
            }
        }
        if (d.notNullAt() >= 0 && !filled) {
            c.error(Rule.ADD_COLUMN_NOT_NULL_WITHOUT_DEFAULT, s.get(d.notNullAt()), "NOT NULL column " + col
                    + " has no default: the statement fails as soon as the table has a row");
        }
        if (d.uniqueAt() >= 0) {
            c.error(Rule.ADD_UNIQUE_WITHOUT_INDEX, s.get(d.uniqueAt()), s.textOf(d.uniqueAt(), d.uniqueAt() + 1).toUpperCase(java.util.Locale.ROOT)
                    + " on new column " + col + " builds its index while ACCESS EXCLUSIVE blocks reads and writes");
            c.longWork("an index build");
        }
        if (d.referencesAt() >= 0) {
            c.error(Rule.FOREIGN_KEY_WITHOUT_NOT_VALID, s.get(d.referencesAt()), "REFERENCES on new column " + col
                    + " is validated at once (a column constraint cannot be NOT VALID), scanning the table under ACCESS EXCLUSIVE");
            c.longWork("a FOREIGN KEY validated on every row");
        }
        if (d.checkAt() >= 0) {
            c.error(Rule.CHECK_WITHOUT_NOT_VALID, s.get(d.checkAt()), "CHECK on new column " + col
                    + " is validated at once (a column constraint cannot be NOT VALID), scanning the table under ACCESS EXCLUSIVE");
            c.longWork("a CHECK validated on every row");
        }
    }
}
