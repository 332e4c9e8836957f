package dev.tandem.plan.recipe;

import dev.tandem.catalog.CatalogSnapshot;
import dev.tandem.catalog.Table;
import dev.tandem.intent.DropTable;
import dev.tandem.plan.LockLevel;
import dev.tandem.plan.Phase;
import dev.tandem.plan.PlanBuilder;
import dev.tandem.plan.PlanOptions;
import dev.tandem.plan.Recipe;
import dev.tandem.plan.RecipeContext;
import dev.tandem.plan.Step;
import dev.tandem.sql.Ident;
import dev.tandem.sql.Names;
import dev.tandem.sql.QualifiedName;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code drop_table}: the old application may still use the table until contract, so nothing
 * happens before it.
 * <ul>
 *   <li>expand … switch-reads — no steps; roll out the version that no longer uses the table;</li>
 *   <li>contract — rename the table out of sight to {@code tandem_retired_<migration>_<table>}
 *       (ACCESS EXCLUSIVE, brief, no scan); rows, indexes, triggers, sequences and grants go with
 *       it. Rollback renames it back;</li>
 *   <li>purge — {@code DROP TABLE} of the retired table (no CASCADE: a view or other object that
 *       still depends on it makes the purge fail with PostgreSQL naming it, and nothing is dropped).</li>
 * </ul>
 * Refused (exit 2) with a catalog: an unknown table, and a table that other tables' foreign keys
 * reference (drop those constraints first), and a table that user views or materialized views
 * read, naming them, unless a {@code sql} step of the same migration drops or replaces them
 * (Tandem's own compatibility views do not count).
 */
public final class DropTableRecipe implements Recipe<DropTable> {
    private static final String KIND = "drop_table";

    @Override
    public void plan(DropTable intent, RecipeContext ctx, PlanBuilder out) {
        QualifiedName t = intent.table().resolve(ctx.options().defaultSchema());
        String id = ctx.migrationId();
        out.touchTable(t);
        ctx.catalog().ifPresent(c -> refuse(intent, t, c));
        ctx.catalog().ifPresent(c -> refuseViews(intent, t, c, ctx.viewsHandledBySql()));
        String retired = Names.bounded("tandem_retired", id, t.name());
        QualifiedName retiredName = new QualifiedName(t.schema(), retired);
        out.add(Phase.CONTRACT, Step.ddl("retire table " + t + " out of sight as " + retired,
                rename(t, retired), rename(retiredName, t.name()), LockLevel.ACCESS_EXCLUSIVE, t.toString()));
        out.purge(Step.ddl("drop the retired table " + retiredName, "DROP TABLE " + retiredName.sql(), null,
                LockLevel.ACCESS_EXCLUSIVE, retiredName.toString()));
        out.note(Phase.SWITCH_READS, "Roll out the application version that no longer uses " + t
                + "; when no old instance is left, run `tandem contract " + id + "`.");
        out.note(Phase.CONTRACT, t + " is retired as " + retiredName + "; `tandem rollback " + id
                + "` restores it, `tandem purge " + id + "` drops it for good.");
        if (ctx.offline()) {
            out.warn("offline plan: foreign keys that reference " + t + " are not checked; pass --url to check");
        }
        if (ctx.offline()) {
            out.warn("offline plan: views that read " + t + " are not checked; they would follow it when it is retired, and purge"
                    + " fails (dropping nothing) until they are dropped");
        }
    }

    /**
     * Refuses when a user view or materialized view reads a column of the table and no sql step of
     * the migration drops or replaces it (Tandem's own views are not counted). A view that reads
     * the table without naming any of its columns ({@code SELECT count(*) FROM t}) is not in the
     * snapshot's reads: purge still fails on it, dropping nothing.
     */
    private static void refuseViews(DropTable intent, QualifiedName t, CatalogSnapshot c, java.util.Set<QualifiedName> handled) {
        List<String> views = c.views().values().stream()
                .filter(v -> v.readsFrom(t) && !v.tandem() && !handled.contains(v.name()))
                .map(v -> (v.materialized() ? "materialized view " : "view ") + v.name())
                .toList();
        if (!views.isEmpty()) {
            throw RecipeContext.error(intent.position(), KIND, String.join(", ", views) + (views.size() > 1 ? " read " : " reads ") + t
                    + "; drop " + (views.size() > 1 ? "them" : "it") + " in a sql step of this migration (DROP VIEW …) or in an earlier"
                    + " migration, then drop the table");
        }
    }

    private static String rename(QualifiedName from, String to) {
        return "ALTER TABLE " + from.sql() + " RENAME TO " + Ident.quote(to);
    }

    private static void refuse(DropTable intent, QualifiedName t, CatalogSnapshot c) {
        if (c.table(t).isEmpty()) {
            throw RecipeContext.error(intent.position(), KIND, "unknown table " + t);
        }
        List<String> referencing = c.foreignKeysReferencing(t).stream()
                .filter(e -> !e.getKey().name().equals(t))
                .map(e -> e.getValue().name() + " on " + e.getKey().name())
                .toList();
        if (!referencing.isEmpty()) {
            throw RecipeContext.error(intent.position(), KIND, "table " + t + " is referenced by foreign key"
                    + (referencing.size() > 1 ? "s " : " ") + String.join(", ", referencing)
                    + "; drop " + (referencing.size() > 1 ? "them" : "it") + " first with drop_constraint (in an earlier migration)");
        }
    }

    @Override
    public CatalogSnapshot project(DropTable intent, CatalogSnapshot before, PlanOptions options) {
        QualifiedName t = intent.table().resolve(options.defaultSchema());
        if (before.table(t).isEmpty()) {
            return before;
        }
        Map<QualifiedName, Table> tables = new TreeMap<>(before.tables());
        tables.remove(t);
        return new CatalogSnapshot(before.serverVersionNum(), tables, before.views(), before.role());
    }
}
