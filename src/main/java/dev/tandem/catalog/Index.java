package dev.tandem.catalog;

import java.util.List;
import java.util.Optional;

/**
 * An index on a table.
 *
 * @param name index name
 * @param definition {@code pg_get_indexdef()}
 * @param method access method (btree, gin, …)
 * @param unique indisunique
 * @param primary indisprimary
 * @param valid indisvalid (false for a failed CONCURRENTLY build)
 * @param keys key columns in order; an element is null where the key is an expression
 * @param keyOptions per key, the options after the column in the definition (e.g. "DESC NULLS LAST", an opclass), "" when none
 * @param include INCLUDE columns
 * @param predicate the partial-index WHERE expression, if any
 * @param constraint the name of the constraint that owns the index (primary key / unique), if any
 */
public record Index(
        String name,
        String definition,
        String method,
        boolean unique,
        boolean primary,
        boolean valid,
        List<String> keys,
        List<String> keyOptions,
        List<String> include,
        Optional<String> predicate,
        Optional<String> constraint) {

    /** True when any key is an expression or the index has a predicate. */
    public boolean hasExpressions() {
        // not keys.contains(null): immutable lists (from projections) throw on a null query
        return keys.stream().anyMatch(java.util.Objects::isNull) || predicate.isPresent();
    }

    public boolean covers(String column) {
        return keys.contains(column) || include.contains(column);
    }
}
