package dev.tandem.plan.mechanics;

import dev.tandem.sql.Ddl;
import dev.tandem.sql.Ident;
import dev.tandem.sql.QualifiedName;
import java.util.List;

/**
 * NOT NULL without a scan under a write-blocking lock: a {@code CHECK (c IS NOT NULL) NOT VALID}
 * (brief ACCESS EXCLUSIVE), {@code VALIDATE} (SHARE UPDATE EXCLUSIVE, scans while writes go on),
 * then {@code SET NOT NULL}, which PostgreSQL 12+ proves from the validated check without a scan.
 * <p>{@link #restore} is the four-statement form used to undo a {@code DROP NOT NULL}; when rows
 * with NULL were written meanwhile, VALIDATE fails and names the check, whose name says what it is
 * for (e.g. {@code tasks_legacy_code_not_null_restore}); nothing is changed then.
 * Does not handle PostgreSQL 18's NOT VALID NOT NULL constraints (the check form works there too).
 */
public final class NotNullProof {
    private NotNullProof() {}

    /** {@code "c" IS NOT NULL}. */
    public static String isNotNull(String column) {
        return Ident.quote(column) + " IS NOT NULL";
    }

    /** Statements that put NOT NULL back on {@code column} without a scan under ACCESS EXCLUSIVE. */
    public static List<String> restore(QualifiedName table, String column, String checkName) {
        return List.of(Ddl.addCheckNotValid(table, checkName, isNotNull(column)), Ddl.validateConstraint(table, checkName),
                Ddl.setNotNull(table, column), Ddl.dropConstraint(table, checkName));
    }
}
