package dev.tandem.sql;

/**
 * The few DDL builders every recipe shares. Each method returns one statement (no semicolon) with
 * every identifier quoted through {@link Ident}. Expressions and type names passed in are trusted
 * SQL: types come from the catalog ({@code format_type}), expressions from the migration author.
 * <p>This class knows nothing about locks or phases; the recipes decide when to use what.
 */
public final class Ddl {
    private Ddl() {}

    public static String addColumn(QualifiedName table, String column, String type, String collation) {
        return "ALTER TABLE " + table.sql() + " ADD COLUMN " + Ident.quote(column) + " " + type
                + (collation == null ? "" : " COLLATE " + collation);
    }

    public static String dropColumn(QualifiedName table, String column) {
        return "ALTER TABLE " + table.sql() + " DROP COLUMN " + Ident.quote(column);
    }

    public static String renameColumn(QualifiedName table, String from, String to) {
        return "ALTER TABLE " + table.sql() + " RENAME COLUMN " + Ident.quote(from) + " TO " + Ident.quote(to);
    }

    public static String setDefault(QualifiedName table, String column, String expression) {
        return "ALTER TABLE " + table.sql() + " ALTER COLUMN " + Ident.quote(column) + " SET DEFAULT " + expression;
    }

    public static String dropDefault(QualifiedName table, String column) {
        return "ALTER TABLE " + table.sql() + " ALTER COLUMN " + Ident.quote(column) + " DROP DEFAULT";
    }

    public static String setNotNull(QualifiedName table, String column) {
        return "ALTER TABLE " + table.sql() + " ALTER COLUMN " + Ident.quote(column) + " SET NOT NULL";
    }

    public static String dropNotNull(QualifiedName table, String column) {
        return "ALTER TABLE " + table.sql() + " ALTER COLUMN " + Ident.quote(column) + " DROP NOT NULL";
    }

    public static String commentOnColumn(QualifiedName table, String column, String comment) {
        return "COMMENT ON COLUMN " + table.sql() + "." + Ident.quote(column) + " IS " + Ident.literal(comment);
    }

    /** {@code COMMENT ON COLUMN … IS 'text'}, or {@code IS NULL} (clears it) when empty. */
    public static String setColumnComment(QualifiedName table, String column, java.util.Optional<String> comment) {
        return "COMMENT ON COLUMN " + table.sql() + "." + Ident.quote(column) + " IS " + comment.map(Ident::literal).orElse("NULL");
    }

    /** {@code COMMENT ON TABLE … IS 'text'}, or {@code IS NULL} (clears it) when empty. */
    public static String setTableComment(QualifiedName table, java.util.Optional<String> comment) {
        return "COMMENT ON TABLE " + table.sql() + " IS " + comment.map(Ident::literal).orElse("NULL");
    }

    /** {@code ADD CONSTRAINT name CHECK (expr) NOT VALID}: brief ACCESS EXCLUSIVE, no scan. */
    public static String addCheckNotValid(QualifiedName table, String name, String expression) {
        return "ALTER TABLE " + table.sql() + " ADD CONSTRAINT " + Ident.quote(name) + " CHECK (" + expression + ") NOT VALID";
    }

    /** {@code VALIDATE CONSTRAINT}: SHARE UPDATE EXCLUSIVE, scans while writes continue. */
    public static String validateConstraint(QualifiedName table, String name) {
        return "ALTER TABLE " + table.sql() + " VALIDATE CONSTRAINT " + Ident.quote(name);
    }

    /** Turns a validated check back into a NOT VALID one, in one statement (undo of VALIDATE). */
    public static String invalidateCheck(QualifiedName table, String name, String expression) {
        return "ALTER TABLE " + table.sql() + " DROP CONSTRAINT " + Ident.quote(name)
                + ", ADD CONSTRAINT " + Ident.quote(name) + " CHECK (" + expression + ") NOT VALID";
    }

    public static String dropConstraint(QualifiedName table, String name) {
        return "ALTER TABLE " + table.sql() + " DROP CONSTRAINT " + Ident.quote(name);
    }

    public static String addConstraintUsingIndex(QualifiedName table, String name, String kind, String index) {
        return "ALTER TABLE " + table.sql() + " ADD CONSTRAINT " + Ident.quote(name) + " " + kind
                + " USING INDEX " + Ident.quote(index);
    }

    public static String dropIndexConcurrently(String schema, String index) {
        return "DROP INDEX CONCURRENTLY IF EXISTS " + Ident.quote(schema) + "." + Ident.quote(index);
    }

    public static String dropTrigger(QualifiedName table, String trigger) {
        return "DROP TRIGGER " + Ident.quote(trigger) + " ON " + table.sql();
    }

    public static String dropFunction(QualifiedName function) {
        return "DROP FUNCTION " + function.sql() + "()";
    }

    /** Whether a statement Tandem generated must run outside a transaction block. */
    public static boolean isConcurrently(String statement) {
        String s = statement.stripLeading();
        return s.startsWith("CREATE INDEX CONCURRENTLY ") || s.startsWith("CREATE UNIQUE INDEX CONCURRENTLY ")
                || s.startsWith("DROP INDEX CONCURRENTLY ") || s.startsWith("REINDEX INDEX CONCURRENTLY ");
    }
}
