package dev.tandem.plan.recipe;

import dev.tandem.catalog.CatalogSnapshot;
import dev.tandem.catalog.Constraint;
import dev.tandem.catalog.Table;
import dev.tandem.intent.RenameTable;
import dev.tandem.plan.LockLevel;
import dev.tandem.plan.Phase;
import dev.tandem.plan.PlanBuilder;
import dev.tandem.plan.PlanOptions;
import dev.tandem.plan.Recipe;
import dev.tandem.plan.RecipeContext;
import dev.tandem.plan.Step;
import dev.tandem.sql.Ident;
import dev.tandem.sql.PlPgSql;
import dev.tandem.sql.QualifiedName;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code rename_table}: the table gets its new name at once, and a view with the old name keeps the
 * old application working until contract.
 * <ul>
 *   <li>expand — one DO block (one transaction, ACCESS EXCLUSIVE on the table for an instant, no
 *       scan): rename the table, create the view {@code old AS SELECT <columns> FROM new} listing the
 *       table's columns explicitly, never Tandem's internal {@code tandem_new_*}, {@code tandem_old_*}
 *       or {@code tandem_retired_*} columns (a simple view,
 *       so PostgreSQL makes it auto-updatable: INSERT/UPDATE/DELETE/RETURNING/ON CONFLICT go to the
 *       table, its defaults, identity and triggers apply) and give the view the table's grants.
 *       Rollback: drop the view and rename the table back, again in one transaction;</li>
 *   <li>dual-write … switch-reads — no steps; roll out the version that uses the new name;</li>
 *   <li>contract — drop the view (ACCESS EXCLUSIVE on the view). Rollback recreates it as at
 *       expand.</li>
 * </ul>
 * Not covered by the view (see docs/intents.md): columns added to the table after expand, DDL,
 * TRUNCATE or COPY FROM through the old name. Views over the table follow it to the new name
 * (PostgreSQL binds them to the table, not to its name), keep working in every phase and come back
 * unchanged on rollback; the projected catalog has them read the new name. The compatibility view
 * is commented {@code tandem <id>: …}, so the catalog marks it as Tandem's own
 * ({@link dev.tandem.catalog.View#tandem()}). Refused (exit 2) with a catalog: an unknown
 * table, a new name already used by a table or index in the schema. Views, sequences and other
 * relations are not in the snapshot: a clash with one of them fails expand (nothing changed).
 */
public final class RenameTableRecipe implements Recipe<RenameTable> {
    private static final String KIND = "rename_table";

    @Override
    public void plan(RenameTable intent, RecipeContext ctx, PlanBuilder out) {
        QualifiedName old = intent.table().resolve(ctx.options().defaultSchema());
        QualifiedName renamed = new QualifiedName(old.schema(), intent.to());
        String id = ctx.migrationId();
        out.touchTable(old).touchTable(renamed);
        ctx.catalog().ifPresent(c -> refuse(intent, old, renamed, c));

        String createView = createView(old, renamed, id, ctx.catalog().flatMap(c -> c.table(old)).map(RenameTableRecipe::viewColumns));
        out.add(Phase.EXPAND, Step.ddl("rename table " + old + " to " + intent.to() + " and keep " + old.name()
                        + " as an updatable view over it",
                PlPgSql.doBlock("r record;", "ALTER TABLE " + old.sql() + " RENAME TO " + Ident.quote(intent.to()) + ";\n" + createView),
                PlPgSql.doBlock("", "DROP VIEW " + old.sql() + ";\nALTER TABLE " + renamed.sql() + " RENAME TO " + Ident.quote(old.name()) + ";"),
                LockLevel.ACCESS_EXCLUSIVE, old.toString()));
        out.add(Phase.CONTRACT, Step.ddl("drop the compatibility view " + old,
                "DROP VIEW " + old.sql(), PlPgSql.doBlock("r record;", createView),
                LockLevel.ACCESS_EXCLUSIVE, old.toString()));
        out.note(Phase.EXPAND, "The table is " + renamed + " now; " + old + " is a view over it, so the running version keeps"
                + " reading and writing. Roll out the version that uses " + intent.to() + "; when no old instance is left, run"
                + " `tandem contract " + id + "`.");
        out.note(Phase.CONTRACT, "The view " + old + " is dropped; `tandem rollback " + id + "` recreates it.");
        out.warn("during the rollout " + old + " is a view: columns added to " + renamed + " after expand are not visible"
                + " through it, and DDL, TRUNCATE and COPY FROM on the old name do not work");
        if (ctx.offline()) {
            out.warn("offline plan: whether " + old + " exists and " + renamed + " is free is not checked; pass --url to check");
        }
    }

    /** Tandem's own columns (a retyped column's old or new copy, a retired column): never shown through the view. */
    static final String INTERNAL_COLUMN_REGEX = "^tandem_(new|old|retired)_";

    /** The table's columns in order, without Tandem's internal ones: what the compatibility view lists. */
    static List<String> viewColumns(Table table) {
        java.util.regex.Pattern internal = java.util.regex.Pattern.compile(INTERNAL_COLUMN_REGEX);
        return table.columns().stream().sorted(java.util.Comparator.comparingInt(dev.tandem.catalog.Column::position))
                .map(dev.tandem.catalog.Column::name).filter(n -> !internal.matcher(n).find()).toList();
    }

    /**
     * Creates the view with the old name and copies the table's grants onto it; needs {@code r record}
     * declared. The view lists its columns: the given ones (planned with a catalog), or, offline, the
     * table's columns when the step runs, read from pg_attribute; Tandem's internal columns never.
     */
    private static String createView(QualifiedName old, QualifiedName renamed, String id, java.util.Optional<List<String>> columns) {
        String create = columns.map(cols -> "CREATE VIEW " + old.sql() + " AS SELECT "
                        + String.join(", ", cols.stream().map(Ident::quote).toList()) + " FROM " + renamed.sql() + ";\n")
                .orElse("EXECUTE format('CREATE VIEW %s AS SELECT %s FROM %s', " + Ident.literal(old.sql()) + ",\n"
                        + "  (SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) FROM pg_attribute\n"
                        + "    WHERE attrelid = " + Ident.literal(renamed.sql()) + "::regclass AND attnum > 0 AND NOT attisdropped\n"
                        + "      AND attname !~ " + Ident.literal(INTERNAL_COLUMN_REGEX) + "),\n"
                        + "  " + Ident.literal(renamed.sql()) + ");\n");
        return create
                + "COMMENT ON VIEW " + old.sql() + " IS " + Ident.literal("tandem " + id + ": " + old.name()
                        + " during its rename to " + renamed.name() + "; dropped at contract") + ";\n"
                + "FOR r IN SELECT a.privilege_type, a.grantee, a.is_grantable\n"
                + "           FROM pg_class c CROSS JOIN LATERAL aclexplode(c.relacl) a\n"
                + "          WHERE c.oid = " + Ident.literal(renamed.sql()) + "::regclass AND a.grantee <> c.relowner LOOP\n"
                + "  EXECUTE format('GRANT %s ON %s TO %s%s', r.privilege_type, " + Ident.literal(old.sql()) + ",\n"
                + "    CASE WHEN r.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(r.grantee)) END,\n"
                + "    CASE WHEN r.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END);\n"
                + "END LOOP;";
    }

    private static void refuse(RenameTable intent, QualifiedName old, QualifiedName renamed, CatalogSnapshot c) {
        Table table = c.table(old).orElseThrow(() -> RecipeContext.error(intent.position(), KIND, "unknown table " + old));
        if (!table.kind().equals("r") && !table.kind().equals("p")) {
            throw RecipeContext.error(intent.position(), KIND, old + " is not a table");
        }
        if (c.table(renamed).isPresent()) {
            throw RecipeContext.error(intent.position(), KIND, "table " + renamed + " already exists");
        }
        for (Table t : c.allTables()) {
            if (t.name().schema().equals(old.schema()) && t.indexes().stream().anyMatch(i -> i.name().equals(renamed.name()))) {
                throw RecipeContext.error(intent.position(), KIND, "an index named " + renamed + " already exists (on " + t.name()
                        + "); tables and indexes share one namespace per schema");
            }
        }
    }

    @Override
    public CatalogSnapshot project(RenameTable intent, CatalogSnapshot before, PlanOptions options) {
        QualifiedName old = intent.table().resolve(options.defaultSchema());
        QualifiedName renamed = new QualifiedName(old.schema(), intent.to());
        if (before.table(old).isEmpty() || before.table(renamed).isPresent()) {
            return before;
        }
        Map<QualifiedName, Table> tables = new TreeMap<>();
        for (Table t : before.allTables()) {
            List<Constraint> constraints = new ArrayList<>();
            for (Constraint k : t.constraints()) {
                constraints.add(k.isForeignKey() && k.referencedTable().equals(old.toString())
                        ? new Constraint(k.name(), k.type(), k.definition(), k.validated(), k.columns(), renamed.toString(), k.referencedColumns())
                        : k);
            }
            QualifiedName name = t.name().equals(old) ? renamed : t.name();
            tables.put(name, t.withName(name).withConstraints(constraints));
        }
        // views over the table follow it (PostgreSQL binds them to its OID): they read the new name now
        Map<QualifiedName, dev.tandem.catalog.View> views = new TreeMap<>();
        for (dev.tandem.catalog.View v : before.views().values()) {
            views.put(v.name(), !v.readsFrom(old) ? v : new dev.tandem.catalog.View(v.name(), v.materialized(), v.definition(), v.columns(),
                    v.reads().stream().map(r -> r.table().equals(old) ? new dev.tandem.catalog.View.Read(renamed, r.column()) : r).toList(),
                    v.table().map(x -> x.equals(old) ? renamed : x), v.sources(), v.tandem()));
        }
        return new CatalogSnapshot(before.serverVersionNum(), tables, views, before.role());
    }
}
