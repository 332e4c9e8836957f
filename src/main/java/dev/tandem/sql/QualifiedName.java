package dev.tandem.sql;

import java.util.Objects;

/**
 * A schema-qualified relation name such as {@code public.users}. Holds the raw (unquoted) parts;
 * {@link #sql()} renders them quoted through {@link Ident}. {@link #toString()} is the display
 * form {@code schema.name} used in messages and JSON.
 */
public record QualifiedName(String schema, String name) implements Comparable<QualifiedName> {
    public QualifiedName {
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(name, "name");
    }

    /** Quoted SQL form: {@code "schema"."name"}. */
    public String sql() {
        return Ident.quote(schema) + "." + Ident.quote(name);
    }

    @Override
    public String toString() {
        return schema + "." + name;
    }

    @Override
    public int compareTo(QualifiedName o) {
        int c = schema.compareTo(o.schema);
        return c != 0 ? c : name.compareTo(o.name);
    }
}
