package dev.tandem.plan.recipe;

import dev.tandem.catalog.CatalogSnapshot;
import dev.tandem.catalog.Constraint;
import dev.tandem.catalog.Index;
import dev.tandem.catalog.Table;
import dev.tandem.intent.RenameConstraint;
import dev.tandem.plan.LockLevel;
import dev.tandem.plan.Phase;
import dev.tandem.plan.PlanBuilder;
import dev.tandem.plan.PlanOptions;
import dev.tandem.plan.Recipe;
import dev.tandem.plan.RecipeContext;
import dev.tandem.plan.Step;
import dev.tandem.sql.Ident;
import dev.tandem.sql.QualifiedName;
import java.util.Optional;

/**
 * {@code rename_constraint}: one metadata-only {@code ALTER TABLE … RENAME CONSTRAINT a TO b} at
 * <b>contract</b> (brief ACCESS EXCLUSIVE, no scan; PostgreSQL renames the index behind a primary
 * key, unique or exclusion constraint with it). A constraint has one name, and an application that
 * names it ({@code ON CONFLICT ON CONSTRAINT a}, error handling by constraint name) breaks the
 * moment it changes, so it changes when no old instance is left; the new version must accept
 * either name until then. The rollback renames it back: exact.
 * <p>Refused (exit 2): unknown table or constraint; a new name already used by a constraint of the
 * table or, for an index-backed constraint, by a relation of the schema.
 */
public final class RenameConstraintRecipe implements Recipe<RenameConstraint> {
    private static final String KIND = "rename_constraint";

    @Override
    public void plan(RenameConstraint intent, RecipeContext ctx, PlanBuilder out) {
        Lookups look = new Lookups(ctx, intent.position(), KIND);
        QualifiedName t = intent.table().resolve(ctx.options().defaultSchema());
        Optional<Table> table = look.table(t);
        Optional<Constraint> k = look.constraint(table, intent.name());
        boolean indexBacked = k.map(x -> "pux".contains(x.type())).orElse(true);
        look.nameFree(table, intent.to(), indexBacked);
        out.touch(t, "*constraint " + intent.name());
        out.add(Phase.CONTRACT, Step.ddl("rename constraint " + intent.name() + " to " + intent.to() + " (metadata only"
                        + (indexBacked ? "; its index is renamed with it" : "") + ")",
                rename(t, intent.name(), intent.to()), rename(t, intent.to(), intent.name()), LockLevel.ACCESS_EXCLUSIVE, t.toString()));
        out.note(Phase.SWITCH_READS, "Constraint " + intent.name() + " of " + t + " is renamed to " + intent.to()
                + " at contract: until then the new application must accept the old name where it names the constraint.");
    }

    private static String rename(QualifiedName t, String from, String to) {
        return "ALTER TABLE " + t.sql() + " RENAME CONSTRAINT " + Ident.quote(from) + " TO " + Ident.quote(to);
    }

    @Override
    public CatalogSnapshot project(RenameConstraint intent, CatalogSnapshot before, PlanOptions options) {
        QualifiedName t = intent.table().resolve(options.defaultSchema());
        return Projections.constraints(before, t,
                list -> list.stream().map(k -> k.name().equals(intent.name()) ? new Constraint(intent.to(), k.type(), k.definition(),
                        k.validated(), k.columns(), k.referencedTable(), k.referencedColumns()) : k).toList(),
                list -> list.stream().map(i -> i.constraint().filter(intent.name()::equals).isPresent()
                        ? new Index(intent.to(), i.definition(), i.method(), i.unique(), i.primary(), i.valid(), i.keys(), i.keyOptions(),
                        i.include(), i.predicate(), Optional.of(intent.to())) : i).toList());
    }
}
