package dev.tandem.plan.mechanics;

import dev.tandem.sql.Ident;
import dev.tandem.sql.PlPgSql;
import dev.tandem.sql.QualifiedName;
import java.util.List;

/**
 * Drops views and creates them again within one transaction, around DDL that PostgreSQL refuses
 * while a view reads a column (a column type change, a swap of a column for a retyped copy): the
 * {@link #drop} statement goes first, the DDL in the middle, the {@link #create} statement last, all
 * in the same transaction, so no reader ever sees the views missing.
 * <p>What the views carry across is read from the catalog when {@link #drop} runs, not planned:
 * the owner (when it is not the current user), the grants on the view and on its columns (each
 * with its grant option), the view's comment and its columns' comments; they are kept in a
 * transaction-local setting ({@value #SETTING}) and replayed by {@link #create}. Grants recorded
 * with a grantor other than the owner come back as granted by the owner.
 * <p>Does not handle: views other views depend on (the DROP fails — the planner refuses those up
 * front), materialized views, view storage options ({@code security_barrier}, {@code check_option};
 * a simple view has none), rules and triggers on views.
 */
public final class ViewRebuild {
    /** The transaction-local setting that holds the statements restoring owner, grants and comments. */
    public static final String SETTING = "tandem.view_restore";

    private ViewRebuild() {}

    /** A view and the SELECT it is created with again. */
    public record Rebuilt(QualifiedName name, String select) {}

    /**
     * One DO block: for each view, collect the statements that restore its owner, grants and
     * comments, then DROP VIEW (no CASCADE).
     */
    public static String drop(List<Rebuilt> views) {
        StringBuilder body = new StringBuilder();
        body.append("  PERFORM set_config('" + SETTING + "', '{}', true);\n");
        for (Rebuilt v : views) {
            String name = Ident.literal(v.name().sql());
            body.append("  SELECT coalesce(array_agg(s ORDER BY o, s), '{}') INTO stmts FROM (\n"
                    + "    SELECT 0 AS o, format('ALTER VIEW %s OWNER TO %I', " + name + ", pg_get_userbyid(c.relowner)) AS s\n"
                    + "      FROM pg_class c WHERE c.oid = " + name + "::regclass AND c.relowner <> (SELECT oid FROM pg_roles WHERE rolname = current_user)\n"
                    + "    UNION ALL\n"
                    + "    SELECT 1, format('REVOKE ALL ON %s FROM %I', " + name + ", pg_get_userbyid(c.relowner))\n"
                    + "      FROM pg_class c WHERE c.oid = " + name + "::regclass AND c.relacl IS NOT NULL\n"
                    + "    UNION ALL\n"
                    + "    SELECT 2, format('GRANT %s ON %s TO %s%s', a.privilege_type, " + name + ",\n"
                    + "           CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(a.grantee)) END,\n"
                    + "           CASE WHEN a.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END)\n"
                    + "      FROM pg_class c CROSS JOIN LATERAL aclexplode(c.relacl) a WHERE c.oid = " + name + "::regclass\n"
                    + "    UNION ALL\n"
                    + "    SELECT 3, format('GRANT %s (%I) ON %s TO %s%s', a.privilege_type, att.attname, " + name + ",\n"
                    + "           CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(a.grantee)) END,\n"
                    + "           CASE WHEN a.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END)\n"
                    + "      FROM pg_attribute att CROSS JOIN LATERAL aclexplode(att.attacl) a\n"
                    + "     WHERE att.attrelid = " + name + "::regclass AND att.attnum > 0 AND NOT att.attisdropped\n"
                    + "    UNION ALL\n"
                    + "    SELECT 4, format('COMMENT ON VIEW %s IS %L', " + name + ", d.description)\n"
                    + "      FROM pg_description d WHERE d.classoid = 'pg_class'::regclass AND d.objoid = " + name + "::regclass AND d.objsubid = 0\n"
                    + "    UNION ALL\n"
                    + "    SELECT 5, format('COMMENT ON COLUMN %s.%I IS %L', " + name + ", att.attname, d.description)\n"
                    + "      FROM pg_description d JOIN pg_attribute att ON att.attrelid = d.objoid AND att.attnum = d.objsubid\n"
                    + "     WHERE d.classoid = 'pg_class'::regclass AND d.objoid = " + name + "::regclass AND d.objsubid > 0\n"
                    + "  ) AS restore;\n"
                    + "  PERFORM set_config('" + SETTING + "', (current_setting('" + SETTING + "')::text[] || stmts)::text, true);\n"
                    + "  DROP VIEW " + v.name().sql() + ";\n");
        }
        return PlPgSql.doBlock("stmts text[];", body.toString());
    }

    /** One DO block: CREATE VIEW for each view, then the restoring statements {@link #drop} collected. */
    public static String create(List<Rebuilt> views) {
        StringBuilder body = new StringBuilder();
        for (Rebuilt v : views) {
            body.append("  CREATE VIEW " + v.name().sql() + " AS " + v.select() + ";\n");
        }
        body.append("  FOREACH s IN ARRAY current_setting('" + SETTING + "')::text[] LOOP\n"
                + "    EXECUTE s;\n"
                + "  END LOOP;\n"
                + "  PERFORM set_config('" + SETTING + "', '{}', true);\n");
        return PlPgSql.doBlock("s text;", body.toString());
    }

    /** {@code definition} without a trailing semicolon (as {@code pg_get_viewdef} renders it). */
    public static String select(String definition) {
        String d = definition.strip();
        return d.endsWith(";") ? d.substring(0, d.length() - 1) : d;
    }
}
