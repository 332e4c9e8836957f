package dev.tandem.plan.mechanics;

import dev.tandem.plan.LockLevel;
import dev.tandem.plan.Step;
import dev.tandem.sql.Ddl;
import dev.tandem.sql.QualifiedName;
import java.util.List;
import java.util.Optional;

/**
 * A UNIQUE constraint without an index build under ACCESS EXCLUSIVE: {@code CREATE UNIQUE INDEX
 * CONCURRENTLY} (SHARE UPDATE EXCLUSIVE, writes continue), then {@code ADD CONSTRAINT … UNIQUE USING
 * INDEX} (brief ACCESS EXCLUSIVE, no scan). The index gets the constraint's name, as PostgreSQL
 * would name it.
 * <p>Does not handle PRIMARY KEY (USING INDEX on nullable columns runs a SET NOT NULL scan) nor
 * exclusion constraints.
 *
 * @param table the table
 * @param name the constraint (and index) name
 * @param createIndexSql the {@code CREATE UNIQUE INDEX CONCURRENTLY} statement (see {@link ConcurrentIndexBuild})
 * @param attributes constraint attributes appended to the attach, e.g. {@code DEFERRABLE INITIALLY DEFERRED}, or ""
 */
public record UniqueViaIndex(QualifiedName table, String name, String createIndexSql, String attributes) {
    public String attachSql() {
        return Ddl.addConstraintUsingIndex(table, name, "UNIQUE", name) + (attributes.isEmpty() ? "" : " " + attributes);
    }

    public String dropConstraintSql() {
        return Ddl.dropConstraint(table, name);
    }

    /** The two steps; the undo of the attach drops the constraint (and with it the index), then rebuilds the index. */
    public List<Step> steps() {
        return List.of(
                ConcurrentIndexBuild.buildStep("build unique index " + name + " CONCURRENTLY (writes continue)", table, name, createIndexSql),
                new Step("attach the index as unique constraint " + name + " (no scan)", attachSql(),
                        List.of(dropConstraintSql(), createIndexSql), LockLevel.ACCESS_EXCLUSIVE, table.toString(),
                        false, false, true, Optional.empty()));
    }

    /** Statements that re-create the constraint (the undo of dropping it): the index CONCURRENTLY, then the attach. */
    public List<String> recreate() {
        return List.of(createIndexSql, attachSql());
    }
}
