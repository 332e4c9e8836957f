package dev.tandem.plan.recipe;

import dev.tandem.catalog.CatalogSnapshot;
import dev.tandem.catalog.Constraint;
import dev.tandem.catalog.Table;
import dev.tandem.intent.AddCheck;
import dev.tandem.plan.Phase;
import dev.tandem.plan.PlanBuilder;
import dev.tandem.plan.PlanOptions;
import dev.tandem.plan.Recipe;
import dev.tandem.plan.RecipeContext;
import dev.tandem.plan.mechanics.Precheck;
import dev.tandem.plan.mechanics.RowRepair;
import dev.tandem.plan.mechanics.ValidatedConstraint;
import dev.tandem.sql.QualifiedName;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code add_check}: a CHECK constraint, enforced at switch-reads.
 * <ul>
 *   <li>dual-write / backfill — with {@code up}: rows for which the check is false get the {@code up}
 *       values ({@link RowRepair}: trigger for old-application writes, saved originals + batches for
 *       existing rows);</li>
 *   <li>switch-reads — count the violating rows (fails with the count before any DDL), then
 *       {@link ValidatedConstraint}: ADD … NOT VALID (brief ACCESS EXCLUSIVE) → VALIDATE (SHARE UPDATE
 *       EXCLUSIVE);</li>
 *   <li>contract — drop the repair trigger.</li>
 * </ul>
 * Why not NOT VALID at expand: a NOT VALID check applies at once to every new row version, so an
 * old-application UPDATE of any column of a still-violating row would fail. It is added only after
 * the repair and the count proved no violating row is left.
 * <p>Refused: unknown table or column in {@code up}, a name already taken on the table. On a table
 * without a primary key the repair is cut by unique index or ctid pages (see {@link RowRepair}).
 */
public final class AddCheckRecipe implements Recipe<AddCheck> {
    private static final String KIND = "add_check";

    @Override
    public void plan(AddCheck intent, RecipeContext ctx, PlanBuilder out) {
        Lookups look = new Lookups(ctx, intent.position(), KIND);
        QualifiedName t = intent.table().resolve(ctx.options().defaultSchema());
        Optional<Table> table = look.table(t);
        look.columns(table, new ArrayList<>(intent.up().keySet()));
        look.nameFree(table, intent.name(), false);
        List<String> mentioned = Lookups.mentioned(table, intent.check());
        mentioned.forEach(c -> out.touch(t, c));
        intent.up().keySet().forEach(c -> out.touch(t, c));
        String violation = "(" + intent.check() + ") IS FALSE";

        if (!intent.up().isEmpty()) {
            List<String> key = Lookups.batchKey(table);
            List<String> watched = new ArrayList<>(mentioned);
            intent.up().keySet().stream().filter(c -> !watched.contains(c)).forEach(watched::add);
            RowRepair repair = look.repair(t, key, intent.name(), q -> violation, intent.up(),
                    table.isPresent() ? watched : List.of(), Optional.of(new RowRepair.Refusal("23514", intent.name(),
                            "new row for relation " + t.name() + " violates check constraint " + intent.name()
                                    + " (a write of the new application, tandem.version = 'new': up repairs only the old application's writes)")));
            repair.dualWrite().forEach(s -> out.add(Phase.DUAL_WRITE, s));
            repair.backfill().forEach(s -> out.add(Phase.BACKFILL, s));
            repair.contract().forEach(s -> out.add(Phase.CONTRACT, s));
            out.purge(repair.purge());
            out.note(Phase.DUAL_WRITE, "Rows of " + t + " written in violation of " + intent.name() + " now get the values of `up`.");
        }
        out.add(Phase.SWITCH_READS, Precheck.step("count rows violating " + intent.name() + " (fails with the count before any DDL)", t,
                Precheck.countWhere(t, violation), KIND + ": %s row(s) of " + t + " violate check " + intent.name(),
                "give the intent 'up' expressions that repair them, or update those rows first"));
        ValidatedConstraint check = new ValidatedConstraint(t, intent.name(), "CHECK (" + intent.check() + ")", false);
        dev.tandem.plan.mechanics.PartitionedValidation.enforce(check, table, "check " + intent.name())
                .forEach(s -> out.add(Phase.SWITCH_READS, s));
        out.note(Phase.SWITCH_READS, "Check " + intent.name() + " on " + t + " is enforced and validated.");
        if (ctx.offline()) {
            out.warn("offline plan: whether " + t + " exists and which columns " + intent.name() + " mentions is not known; pass --url");
        }
    }

    @Override
    public CatalogSnapshot project(AddCheck intent, CatalogSnapshot before, PlanOptions options) {
        QualifiedName t = intent.table().resolve(options.defaultSchema());
        List<String> cols = Lookups.mentioned(before.table(t), intent.check());
        Constraint k = new Constraint(intent.name(), "c", "CHECK (" + intent.check() + ")", true, cols, "", List.of());
        return Projections.constraints(before, t, l -> Projections.plus(l, k), l -> l);
    }

    @Override
    public java.util.List<dev.tandem.plan.ExpressionCheck> expressions(dev.tandem.intent.AddCheck intent, dev.tandem.catalog.CatalogSnapshot catalog,
                                                          dev.tandem.plan.PlanOptions options) {
        dev.tandem.sql.QualifiedName t = intent.table().resolve(options.defaultSchema());
        java.util.List<dev.tandem.plan.ExpressionCheck> out = new java.util.ArrayList<>();
        out.add(dev.tandem.plan.ExpressionCheck.overRow(intent.position(), intent.kind(), "check", t, intent.check(), java.util.Optional.of("boolean")));
        intent.up().forEach((col, expr) -> out.add(dev.tandem.plan.ExpressionCheck.overRow(intent.position(), intent.kind(), "up." + col, t, expr,
                dev.tandem.plan.ExpressionCheck.typeOf(catalog, t, col))));
        return out;
    }
}
