package dev.tandem.plan.recipe;

import dev.tandem.catalog.CatalogSnapshot;
import dev.tandem.catalog.Constraint;
import dev.tandem.catalog.Index;
import dev.tandem.catalog.Table;
import dev.tandem.intent.AddExclusion;
import dev.tandem.plan.ExpressionCheck;
import dev.tandem.plan.LockLevel;
import dev.tandem.plan.Phase;
import dev.tandem.plan.PlanBuilder;
import dev.tandem.plan.PlanOptions;
import dev.tandem.plan.Recipe;
import dev.tandem.plan.RecipeContext;
import dev.tandem.plan.Step;
import dev.tandem.plan.mechanics.Precheck;
import dev.tandem.sql.Ddl;
import dev.tandem.sql.Ident;
import dev.tandem.sql.QualifiedName;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code add_exclusion}, at <b>switch-reads</b> (like a unique constraint, it binds every writer once
 * it exists): a read-only count of rows that conflict with another (fails with the count before any
 * lock is queued), then {@code ALTER TABLE … ADD CONSTRAINT … EXCLUDE USING m (e WITH op, …) [WHERE
 * (p)]}. The undo drops it (brief ACCESS EXCLUSIVE): exact.
 * <p><b>The lock, honestly:</b> PostgreSQL has no NOT VALID form and no {@code USING INDEX} form for
 * an exclusion constraint, and building an index CONCURRENTLY first does not help (the constraint
 * always builds its own index). So the step holds ACCESS EXCLUSIVE on the table for the whole index
 * build and check of every row: reads and writes of the table wait until it ends. The plan says so
 * and warns with the row estimate; {@code tandem check} reports it as an unsafe step. Suitable for
 * small or new tables, or a maintenance window.
 * <p>The conflict count compares every pair of rows (no index helps it): on a large table it is
 * slow, but it runs under ACCESS SHARE only.
 * <p>Refused (exit 2): unknown table or element column, a partitioned table, a name taken by a
 * constraint of the table or a relation of the schema (the constraint's index gets its name).
 */
public final class AddExclusionRecipe implements Recipe<AddExclusion> {
    private static final String KIND = "add_exclusion";

    @Override
    public void plan(AddExclusion intent, RecipeContext ctx, PlanBuilder out) {
        Lookups look = new Lookups(ctx, intent.position(), KIND);
        QualifiedName t = intent.table().resolve(ctx.options().defaultSchema());
        Optional<Table> table = look.table(t);
        table.filter(tb -> !tb.kind().equals("r")).ifPresent(tb -> {
            throw look.error(t + " is " + (tb.kind().equals("p") ? "a partitioned table" : "not a table (relkind " + tb.kind() + ")")
                    + "; exclusion constraints are supported on plain tables only");
        });
        intent.elements().forEach(e -> e.column().ifPresent(c -> {
            look.column(table, c);
            out.touch(t + "." + c);
        }));
        look.nameFree(table, intent.name(), true);
        out.touch(t + "." + intent.name());
        out.add(Phase.SWITCH_READS, Precheck.step("count rows that conflict with another under " + intent.name()
                        + " (fails with the count before any lock is queued)", t, conflicts(t, intent),
                KIND + ": %s row(s) of " + t + " conflict with another row; exclusion constraint " + intent.name() + " cannot be added",
                "change or remove the conflicting rows first"));
        out.add(Phase.SWITCH_READS, new Step("add exclusion constraint " + intent.name()
                        + " (ACCESS EXCLUSIVE for the whole index build: reads and writes of " + t + " wait; no NOT VALID form exists)",
                "ALTER TABLE " + t.sql() + " ADD CONSTRAINT " + Ident.quote(intent.name()) + " " + definition(intent),
                List.of(Ddl.dropConstraint(t, intent.name())), LockLevel.ACCESS_EXCLUSIVE, t.toString(), false, true, true, Optional.empty()));
        out.note(Phase.SWITCH_READS, "Exclusion constraint " + intent.name() + " on " + t + " is enforced.");
        String rows = table.map(tb -> tb.rowEstimate() >= 0 ? " (about " + tb.rowEstimate() + " rows)" : "").orElse("");
        out.warn(KIND + ": adding " + intent.name() + " holds ACCESS EXCLUSIVE on " + t + rows
                + " while it builds its index and checks every row; PostgreSQL has no NOT VALID or USING INDEX form for exclusion constraints");
        if (ctx.offline()) {
            out.warn("offline plan: whether " + t + ", its columns exist and the name " + intent.name() + " is free is not known; pass --url");
        }
    }

    static String element(AddExclusion.Element e) {
        return e.column().map(Ident::quote).orElseGet(() -> "(" + e.expression().orElseThrow() + ")");
    }

    /** {@code EXCLUDE USING m (e WITH op, …) [WHERE (p)]}. */
    static String definition(AddExclusion intent) {
        return "EXCLUDE USING " + Ident.quote(intent.using()) + " ("
                + String.join(", ", intent.elements().stream().map(e -> element(e) + " WITH " + e.operator()).toList()) + ")"
                + intent.where().map(w -> " WHERE (" + w + ")").orElse("");
    }

    /** Rows (by ctid) for which another row makes every element's operator true. */
    static String conflicts(QualifiedName t, AddExclusion intent) {
        List<String> cols = new ArrayList<>();
        List<String> on = new ArrayList<>();
        for (int i = 0; i < intent.elements().size(); i++) {
            AddExclusion.Element e = intent.elements().get(i);
            cols.add(element(e) + " AS e" + i);
            on.add("a.e" + i + " " + e.operator() + " b.e" + i);
        }
        return "WITH r AS (SELECT ctid AS k, " + String.join(", ", cols) + " FROM " + t.sql()
                + intent.where().map(w -> " WHERE (" + w + ")").orElse("") + ")"
                + " SELECT count(DISTINCT a.k) FROM r a JOIN r b ON a.k <> b.k AND " + String.join(" AND ", on);
    }

    @Override
    public CatalogSnapshot project(AddExclusion intent, CatalogSnapshot before, PlanOptions options) {
        QualifiedName t = intent.table().resolve(options.defaultSchema());
        List<String> cols = intent.elements().stream().map(e -> e.column().orElse(null)).toList();
        Constraint k = new Constraint(intent.name(), "x", definition(intent), true,
                cols.stream().filter(java.util.Objects::nonNull).toList(), "", List.of());
        Index i = new Index(intent.name(), "CREATE INDEX " + Ident.quote(intent.name()) + " ON " + t.sql() + " USING "
                + Ident.quote(intent.using()) + " (...)", intent.using(), false, false, true, new ArrayList<>(cols),
                cols.stream().map(c -> "").toList(), List.of(), intent.where(), Optional.of(intent.name()));
        return Projections.constraints(before, t, l -> Projections.plus(l, k), l -> Projections.plus(l, i));
    }

    @Override
    public List<ExpressionCheck> expressions(AddExclusion intent, CatalogSnapshot catalog, PlanOptions options) {
        QualifiedName t = intent.table().resolve(options.defaultSchema());
        List<ExpressionCheck> out = new ArrayList<>();
        intent.elements().forEach(e -> e.expression().ifPresent(x ->
                out.add(ExpressionCheck.overRow(intent.position(), intent.kind(), "elements.expression", t, x, Optional.empty()))));
        intent.where().ifPresent(w -> out.add(ExpressionCheck.overRow(intent.position(), intent.kind(), "where", t, w, Optional.of("boolean"))));
        return out;
    }
}
