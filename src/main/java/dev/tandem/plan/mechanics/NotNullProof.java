package dev.tandem.plan.mechanics;

import dev.tandem.sql.Ddl;
import dev.tandem.sql.Ident;
import dev.tandem.sql.QualifiedName;
import java.util.List;

/**
 * NOT NULL without a scan under a write-blocking lock: a {@code CHECK (c IS NOT NULL) NOT VALID}
 * (brief ACCESS EXCLUSIVE), {@code VALIDATE} (SHARE UPDATE EXCLUSIVE, scans while writes go on),
 * then {@code SET NOT NULL}, which PostgreSQL 12+ proves from the validated check without a scan.
 * <p>{@link #restore} is the form used to undo a {@code DROP NOT NULL}: first a read-only check
 * that fails with a clear message ({@code cannot restore NOT NULL on t.c: …}) and changes nothing
 * when rows with NULL were written meanwhile; then the four statements above. Only a NULL written
 * in the instant between that check and the NOT VALID check can still make VALIDATE fail, which
 * leaves the NOT VALID check in place (it names itself {@code …_not_null_restore}).
 * Does not handle PostgreSQL 18's NOT VALID NOT NULL constraints (the check form works there too).
 */
public final class NotNullProof {
    private NotNullProof() {}

    /** A {@code DO} block that raises a clear error (SQLSTATE 23514) when the column holds NULL anywhere; reads only. */
    public static String refuseNulls(QualifiedName table, String column) {
        String message = "cannot restore NOT NULL on " + table + "." + column + ": rows with NULL were written since it was dropped;"
                + " give them a value (or delete them), then roll back again";
        String body = " BEGIN IF EXISTS (SELECT 1 FROM " + table.sql() + " WHERE " + Ident.quote(column) + " IS NULL) THEN"
                + " RAISE EXCEPTION USING MESSAGE = " + Ident.literal(message) + ", ERRCODE = 'check_violation'; END IF; END ";
        String tag = SyncTrigger.dollarTag(body);
        return "DO " + tag + body + tag;
    }

    /** {@code "c" IS NOT NULL}. */
    public static String isNotNull(String column) {
        return Ident.quote(column) + " IS NOT NULL";
    }

    /** Statements that put NOT NULL back on {@code column} without a scan under ACCESS EXCLUSIVE. */
    public static List<String> restore(QualifiedName table, String column, String checkName) {
        return List.of(refuseNulls(table, column), Ddl.addCheckNotValid(table, checkName, isNotNull(column)), Ddl.validateConstraint(table, checkName),
                Ddl.setNotNull(table, column), Ddl.dropConstraint(table, checkName));
    }
}
