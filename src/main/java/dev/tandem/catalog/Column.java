package dev.tandem.catalog;

import java.util.Optional;

/**
 * A column as the catalog describes it.
 *
 * @param name raw column name
 * @param position 1-based rank among the table's live (not dropped) columns
 * @param type the type as {@code format_type()} spells it, e.g. {@code character varying(50)}
 * @param notNull attnotnull
 * @param defaultExpr the default expression ({@code pg_get_expr}), if any
 * @param identity "" when none, else "a" (ALWAYS) or "d" (BY DEFAULT)
 * @param generated "" when none, else "s" (stored)
 * @param collation the column's collation name when it differs from its type's default
 * @param comment the column comment, if any
 */
public record Column(
        String name,
        int position,
        String type,
        boolean notNull,
        Optional<String> defaultExpr,
        String identity,
        String generated,
        Optional<String> collation,
        Optional<String> comment) {

    /** Identity or generated: PostgreSQL computes the value, so applications never write it. */
    public boolean automatic() {
        return !identity.isEmpty() || !generated.isEmpty();
    }
}
