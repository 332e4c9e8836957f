package dev.tandem.plan.mechanics;

import dev.tandem.plan.LockLevel;
import dev.tandem.plan.Step;
import dev.tandem.sql.Ddl;
import dev.tandem.sql.Ident;
import dev.tandem.sql.QualifiedName;
import java.util.List;

/**
 * NOT NULL without a scan under ACCESS EXCLUSIVE (PostgreSQL 12+): {@code CHECK (c IS NOT NULL)
 * NOT VALID} (brief ACCESS EXCLUSIVE) → {@code VALIDATE} (SHARE UPDATE EXCLUSIVE, scans while writes
 * continue) → {@code SET NOT NULL} (brief ACCESS EXCLUSIVE; PostgreSQL sees the validated check and
 * skips its own scan) → drop the helper check (brief). The same four statements, preceded by a
 * {@link Precheck} that counts NULLs, re-prove NOT NULL when an earlier {@code DROP NOT NULL} is
 * rolled back.
 * <p>Does not handle PostgreSQL 18's NOT NULL constraints declared NOT VALID (it uses a check).
 *
 * @param table the table
 * @param column the column
 * @param checkName the helper check's name (derive it with {@link ObjectNames})
 */
public record NotNullViaCheck(QualifiedName table, String column, String checkName, java.util.Optional<String> constraintName) {
    public NotNullViaCheck(QualifiedName table, String column, String checkName) {
        this(table, column, checkName, java.util.Optional.empty());
    }

    /**
     * The same, remembering the name of the column's NOT NULL constraint (PostgreSQL 18 names them,
     * after the column's name when it was set): a restore renames the new constraint back to it, so
     * the rollback is exact even when the column was renamed in between.
     */
    public NotNullViaCheck named(java.util.Optional<String> name) {
        return new NotNullViaCheck(table, column, checkName, name);
    }

    /** The name of the column's NOT NULL constraint in the snapshot (PostgreSQL 18+), if there is one. */
    public static java.util.Optional<String> constraintOf(java.util.Optional<dev.tandem.catalog.Table> table, String column) {
        return table.flatMap(t -> t.constraints().stream()
                .filter(k -> "n".equals(k.type()) && k.columns().equals(List.of(column))).map(k -> k.name()).findFirst());
    }

    /** {@code "c" IS NOT NULL}. */
    public static String isNotNull(String column) {
        return Ident.quote(column) + " IS NOT NULL";
    }

    private ValidatedConstraint check() {
        return new ValidatedConstraint(table, checkName, "CHECK (" + Ident.quote(column) + " IS NOT NULL)", false);
    }

    public String setNotNullSql() {
        return Ddl.setNotNull(table, column);
    }

    public String dropNotNullSql() {
        return Ddl.dropNotNull(table, column);
    }

    private String nullsQuery() {
        return Precheck.countWhere(table, Ident.quote(column) + " IS NULL");
    }

    private String nullsMessage(String context) {
        return context + ": " + table + "." + column + " has %s row(s) with NULL";
    }

    private static final String HINT = "give the intent an 'up' expression to fill them, or update those rows first";

    /** The guard that fails with the number of NULLs in the column (read-only, before any DDL). */
    public Step precheck(String context) {
        return Precheck.step("count NULLs in " + column + " (fails with the count before any DDL)", table, nullsQuery(),
                nullsMessage(context), HINT);
    }

    /** The four steps that make the column NOT NULL, each with its exact undo. */
    public List<Step> enforce() {
        ValidatedConstraint c = check();
        String t = table.toString();
        return List.of(
                c.addNotValid("add helper check " + checkName + " (" + column + " IS NOT NULL) NOT VALID"),
                c.validate("validate " + checkName + " (scans while writes continue)"),
                Step.ddl("set " + column + " NOT NULL (proved by the validated check, no scan)", setNotNullSql(),
                        dropNotNullSql(), LockLevel.ACCESS_EXCLUSIVE, t),
                new Step("drop the helper check " + checkName, c.dropSql(), List.of(c.addNotValidSql(), c.validateSql()),
                        LockLevel.ACCESS_EXCLUSIVE, t, false, false, true, java.util.Optional.empty()));
    }

    /** Statements that restore NOT NULL after a DROP NOT NULL: count NULLs (fails clearly), check, validate, set, drop check. */
    public List<String> restoreStatements(String context) {
        ValidatedConstraint c = check();
        List<String> out = new java.util.ArrayList<>(List.of(
                Precheck.statement(nullsQuery(), nullsMessage(context), "delete or fill those rows, then roll back again"),
                c.addNotValidSql(), c.validateSql(), setNotNullSql(), c.dropSql()));
        constraintName.ifPresent(name -> out.add(renameConstraintBack(name)));
        return out;
    }

    /** Renames the column's NOT NULL constraint (if the server names them and it got another name) to {@code name}. */
    private String renameConstraintBack(String name) {
        String body = "SELECT con.conname INTO n FROM pg_catalog.pg_constraint con\n"
                + "  JOIN pg_catalog.pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = con.conkey[1]\n"
                + " WHERE con.conrelid = " + Ident.literal(table.sql()) + "::regclass AND con.contype = 'n' AND a.attname = "
                + Ident.literal(column) + ";\n"
                + "IF n IS NOT NULL AND n <> " + Ident.literal(name) + " THEN\n"
                + "  EXECUTE format('ALTER TABLE %s RENAME CONSTRAINT %I TO %I', " + Ident.literal(table.sql()) + ", n, "
                + Ident.literal(name) + ");\n"
                + "END IF;";
        return dev.tandem.sql.PlPgSql.doBlock("n text;", body);
    }
}
