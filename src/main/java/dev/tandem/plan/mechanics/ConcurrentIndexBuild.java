package dev.tandem.plan.mechanics;

import dev.tandem.catalog.Index;
import dev.tandem.plan.LockLevel;
import dev.tandem.plan.Step;
import dev.tandem.sql.Ddl;
import dev.tandem.sql.Ident;
import dev.tandem.sql.QualifiedName;
import dev.tandem.sql.SqlTokens;
import java.util.List;
import java.util.Optional;

/**
 * Indexes built and dropped without blocking writes: {@code CREATE [UNIQUE] INDEX CONCURRENTLY} and
 * {@code DROP INDEX CONCURRENTLY} (SHARE UPDATE EXCLUSIVE, outside a transaction). The statements
 * are in the form the executor recognises ({@code execute/ConcurrentIndex}): quoted index name,
 * schema-qualified table, so an INVALID leftover of a failed or interrupted build is dropped
 * before a retry.
 * <p>Re-creating an index from its catalog definition ({@link #fromCatalog}) keeps the method, keys,
 * options, INCLUDE and predicate of {@code pg_get_indexdef}; it does not restore storage parameters
 * set later, nor a tablespace other than the default.
 */
public final class ConcurrentIndexBuild {
    private ConcurrentIndexBuild() {}

    /** {@code CREATE [UNIQUE] INDEX CONCURRENTLY "name" ON table USING <rest>} where rest is "method (keys) …". */
    public static String create(QualifiedName table, String name, boolean unique, String usingRest) {
        return "CREATE " + (unique ? "UNIQUE " : "") + "INDEX CONCURRENTLY " + Ident.quote(name) + " ON " + table.sql()
                + " USING " + usingRest;
    }

    /** The CONCURRENTLY form of an existing index's definition, under the given name. */
    public static String fromCatalog(Index index, QualifiedName table, String name) {
        return create(table, name, index.unique(), SqlTokens.afterKeyword(index.definition(), "using"));
    }

    public static String drop(QualifiedName table, String name) {
        return Ddl.dropIndexConcurrently(table.schema(), name);
    }

    /** Step: build (two scans under SHARE UPDATE EXCLUSIVE, outside a transaction); undo: drop it concurrently. */
    public static Step buildStep(String description, QualifiedName table, String name, String createSql) {
        return new Step(description, createSql, List.of(drop(table, name)), LockLevel.SHARE_UPDATE_EXCLUSIVE,
                table.toString(), false, true, false, Optional.empty());
    }

    /** Step: drop concurrently; undo: build it again from {@code createSql}. */
    public static Step dropStep(String description, QualifiedName table, String name, String createSql) {
        return new Step(description, drop(table, name), List.of(createSql), LockLevel.SHARE_UPDATE_EXCLUSIVE,
                table.toString(), false, false, false, Optional.empty());
    }
}
