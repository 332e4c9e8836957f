package dev.tandem.plan.mechanics;

import dev.tandem.plan.LockLevel;
import dev.tandem.plan.Step;
import dev.tandem.sql.Ddl;
import dev.tandem.sql.Ident;
import dev.tandem.sql.QualifiedName;
import java.util.ArrayList;
import java.util.List;

/**
 * A CHECK or FOREIGN KEY constraint enforced without a scan under a lock that blocks writes:
 * {@code ADD CONSTRAINT … NOT VALID} (brief: ACCESS EXCLUSIVE for a check, SHARE ROW EXCLUSIVE on
 * both tables for a foreign key; no scan), then {@code VALIDATE CONSTRAINT} (SHARE UPDATE
 * EXCLUSIVE: it scans while reads and writes continue).
 * <p>Note that a NOT VALID constraint applies at once to every new row version — an UPDATE of an
 * unrelated column of a violating row fails from then on (for a check; a foreign key is only
 * re-checked when its columns change). Recipes therefore add it only once no violating row is left.
 * <p>Does not handle exclusion, unique or primary-key constraints (no NOT VALID form; see
 * {@link UniqueViaIndex}).
 *
 * @param table the constrained table
 * @param name the constraint name
 * @param definition the definition as {@code pg_get_constraintdef} prints it, without NOT VALID
 *                   ({@code CHECK (…)}, {@code FOREIGN KEY (…) REFERENCES …})
 * @param foreignKey whether it is a foreign key (decides the lock of the ADD)
 */
public record ValidatedConstraint(QualifiedName table, String name, String definition, boolean foreignKey) {
    /** A constraint from its catalog definition ({@code NOT VALID} suffix removed). */
    public static ValidatedConstraint fromCatalog(QualifiedName table, String name, String definition, boolean foreignKey) {
        String d = definition.endsWith(" NOT VALID") ? definition.substring(0, definition.length() - " NOT VALID".length()) : definition;
        return new ValidatedConstraint(table, name, d, foreignKey);
    }

    /** A CHECK constraint on {@code expression} (SQL over the row). */
    public static ValidatedConstraint check(QualifiedName table, String name, String expression) {
        return new ValidatedConstraint(table, name, "CHECK (" + expression + ")", false);
    }

    /** {@code FOREIGN KEY ("c") REFERENCES t ("rc") [ON DELETE …]} for a one-column key. */
    public static String foreignKeyDefinition(String column, QualifiedName referenced, String referencedColumn,
                                              java.util.Optional<String> onDelete) {
        return "FOREIGN KEY (" + Ident.quote(column) + ") REFERENCES " + referenced.sql() + " (" + Ident.quote(referencedColumn) + ")"
                + onDelete.map(a -> " ON DELETE " + a).orElse("");
    }

    /** Step: add {@code CHECK (expression)} NOT VALID; undo: drop it. */
    public static Step checkStep(QualifiedName table, String name, String expression) {
        return check(table, name, expression).addNotValid("add check " + name + " (NOT VALID)");
    }

    /** Step: validate the check {@code name} (scan under SHARE UPDATE EXCLUSIVE); undo: back to NOT VALID. */
    public static Step validateCheckStep(QualifiedName table, String name, String expression) {
        return check(table, name, expression).validate("validate check " + name);
    }

    public LockLevel addLock() {
        return foreignKey ? LockLevel.SHARE_ROW_EXCLUSIVE : LockLevel.ACCESS_EXCLUSIVE;
    }

    public String addNotValidSql() {
        return "ALTER TABLE " + table.sql() + " ADD CONSTRAINT " + Ident.quote(name) + " " + definition + " NOT VALID";
    }

    public String validateSql() {
        return Ddl.validateConstraint(table, name);
    }

    public String dropSql() {
        return Ddl.dropConstraint(table, name);
    }

    /** Turns the validated constraint back into a NOT VALID one, in one statement (the undo of VALIDATE). */
    public String invalidateSql() {
        return "ALTER TABLE " + table.sql() + " DROP CONSTRAINT " + Ident.quote(name) + ", ADD CONSTRAINT "
                + Ident.quote(name) + " " + definition + " NOT VALID";
    }

    /** Step: add NOT VALID; undo: drop it. */
    public Step addNotValid(String description) {
        return Step.ddl(description, addNotValidSql(), dropSql(), addLock(), table.toString());
    }

    /** Step: validate (scan under SHARE UPDATE EXCLUSIVE); undo: back to NOT VALID. */
    public Step validate(String description) {
        return Step.ddl(description, validateSql(), invalidateSql(), LockLevel.SHARE_UPDATE_EXCLUSIVE, table.toString()).withScan(true);
    }

    /** Both steps, in order. */
    public List<Step> enforce(String what) {
        return List.of(addNotValid("add " + what + " NOT VALID (no scan)"),
                validate("validate " + what + " (scans while writes continue)"));
    }

    /** Statements re-creating it as it was: NOT VALID, then VALIDATE when it was validated (the undo of a drop). */
    public List<String> recreate(boolean validated) {
        List<String> out = new ArrayList<>();
        out.add(addNotValidSql());
        if (validated) {
            out.add(validateSql());
        }
        return out;
    }
}
