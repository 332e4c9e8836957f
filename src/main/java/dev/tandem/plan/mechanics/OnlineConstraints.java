package dev.tandem.plan.mechanics;

import dev.tandem.plan.LockLevel;
import dev.tandem.plan.Step;
import dev.tandem.sql.Ddl;
import dev.tandem.sql.Ident;
import dev.tandem.sql.QualifiedName;
import java.util.List;
import java.util.Optional;

/**
 * Steps that add a constraint to a live table without scanning it under a lock that blocks writes:
 * <ul>
 *   <li>CHECK and FOREIGN KEY: {@code ADD … NOT VALID} (brief lock, no scan), later
 *       {@code VALIDATE CONSTRAINT} (SHARE UPDATE EXCLUSIVE; a FK takes ROW SHARE on the referenced
 *       table) — whose undo turns the constraint back into its NOT VALID form;</li>
 *   <li>UNIQUE: {@code CREATE UNIQUE INDEX CONCURRENTLY} (outside a transaction; an INVALID leftover
 *       is dropped before a retry by the executor), then {@code ADD CONSTRAINT … UNIQUE USING INDEX}
 *       (brief ACCESS EXCLUSIVE), whose undo drops the constraint and builds the index again.</li>
 * </ul>
 * Single-column helpers for {@code add_column}; multi-column keys and exclusion constraints are
 * not handled here.
 */
public final class OnlineConstraints {
    private OnlineConstraints() {}

    public static Step checkNotValid(QualifiedName t, String name, String expression) {
        return Step.ddl("add check " + name + " (NOT VALID)", Ddl.addCheckNotValid(t, name, expression),
                Ddl.dropConstraint(t, name), LockLevel.ACCESS_EXCLUSIVE, t.toString());
    }

    public static Step validateCheck(QualifiedName t, String name, String expression) {
        return Step.ddl("validate check " + name, Ddl.validateConstraint(t, name), Ddl.invalidateCheck(t, name, expression),
                LockLevel.SHARE_UPDATE_EXCLUSIVE, t.toString()).withScan(true);
    }

    /** {@code FOREIGN KEY ("c") REFERENCES t ("rc") [ON DELETE …]}. */
    public static String foreignKey(String column, QualifiedName referenced, String referencedColumn, Optional<String> onDelete) {
        return "FOREIGN KEY (" + Ident.quote(column) + ") REFERENCES " + referenced.sql() + " (" + Ident.quote(referencedColumn) + ")"
                + onDelete.map(a -> " ON DELETE " + a).orElse("");
    }

    public static Step foreignKeyNotValid(QualifiedName t, String name, String definition) {
        return Step.ddl("add foreign key " + name + " (NOT VALID)",
                "ALTER TABLE " + t.sql() + " ADD CONSTRAINT " + Ident.quote(name) + " " + definition + " NOT VALID",
                Ddl.dropConstraint(t, name), LockLevel.SHARE_ROW_EXCLUSIVE, t.toString());
    }

    public static Step validateForeignKey(QualifiedName t, String name, String definition) {
        return Step.ddl("validate foreign key " + name, Ddl.validateConstraint(t, name),
                "ALTER TABLE " + t.sql() + " DROP CONSTRAINT " + Ident.quote(name) + ", ADD CONSTRAINT "
                        + Ident.quote(name) + " " + definition + " NOT VALID",
                LockLevel.SHARE_UPDATE_EXCLUSIVE, t.toString()).withScan(true);
    }

    /** {@code CREATE UNIQUE INDEX CONCURRENTLY name ON t ("c")}. */
    public static String uniqueIndex(QualifiedName t, String name, String column) {
        return "CREATE UNIQUE INDEX CONCURRENTLY " + Ident.quote(name) + " ON " + t.sql() + " (" + Ident.quote(column) + ")";
    }

    public static Step buildUniqueIndex(QualifiedName t, String name, String column) {
        return new Step("build unique index " + name + " on " + column, uniqueIndex(t, name, column),
                List.of(Ddl.dropIndexConcurrently(t.schema(), name)), LockLevel.SHARE_UPDATE_EXCLUSIVE, t.toString(),
                false, true, false, Optional.empty());
    }

    public static Step attachUnique(QualifiedName t, String name, String column) {
        return new Step("attach unique constraint " + name + " to its index",
                Ddl.addConstraintUsingIndex(t, name, "UNIQUE", name),
                List.of(Ddl.dropConstraint(t, name), uniqueIndex(t, name, column)), LockLevel.ACCESS_EXCLUSIVE, t.toString(),
                false, false, true, Optional.empty());
    }
}
