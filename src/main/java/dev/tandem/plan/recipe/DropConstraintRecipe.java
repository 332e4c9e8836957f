package dev.tandem.plan.recipe;

import dev.tandem.catalog.CatalogSnapshot;
import dev.tandem.catalog.Constraint;
import dev.tandem.catalog.Index;
import dev.tandem.catalog.Table;
import dev.tandem.intent.DropConstraint;
import dev.tandem.plan.LockLevel;
import dev.tandem.plan.Phase;
import dev.tandem.plan.PlanBuilder;
import dev.tandem.plan.PlanOptions;
import dev.tandem.plan.Recipe;
import dev.tandem.plan.RecipeContext;
import dev.tandem.plan.Step;
import dev.tandem.plan.mechanics.ConcurrentIndexBuild;
import dev.tandem.plan.mechanics.UniqueViaIndex;
import dev.tandem.plan.mechanics.ValidatedConstraint;
import dev.tandem.sql.Ddl;
import dev.tandem.sql.QualifiedName;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code drop_constraint}: one {@code DROP CONSTRAINT} (brief ACCESS EXCLUSIVE; a foreign key's also
 * on the referenced table; no scan). The phase depends on what the old application may rely on:
 * <ul>
 *   <li>a CHECK, or a foreign key without referential actions (NO ACTION / RESTRICT): at
 *       <b>expand</b> — dropping it only relaxes, and the new application may need it gone
 *       before it writes rows the constraint would refuse;</li>
 *   <li>a foreign key with ON DELETE/UPDATE CASCADE, SET NULL or SET DEFAULT, a UNIQUE and an
 *       exclusion constraint: at <b>contract</b> — the old application relies on the cascade, or on the
 *       uniqueness (ON CONFLICT needs the index).</li>
 * </ul>
 * The undo re-creates it from the catalog definition: a check or foreign key NOT VALID, then
 * VALIDATE when it was validated ({@link ValidatedConstraint}); a unique constraint by rebuilding
 * its index CONCURRENTLY and attaching it ({@link UniqueViaIndex}); an exclusion constraint by
 * {@code ADD CONSTRAINT … EXCLUDE …} from its definition, which holds ACCESS EXCLUSIVE for the whole
 * index build (there is no other way to create one). The undo fails (VALIDATE, or the
 * unique build) when rows written since violate it. Offline the kind is unknown: the step is placed
 * at contract with a placeholder undo and a warning.
 * <p>Refused: unknown table or constraint, primary keys, NOT NULL constraints, a
 * unique constraint that a foreign key references.
 */
public final class DropConstraintRecipe implements Recipe<DropConstraint> {
    private static final String KIND = "drop_constraint";
    private static final Pattern ACTION = Pattern.compile("ON (DELETE|UPDATE) (CASCADE|SET NULL|SET DEFAULT)");

    @Override
    public void plan(DropConstraint intent, RecipeContext ctx, PlanBuilder out) {
        Lookups look = new Lookups(ctx, intent.position(), KIND);
        QualifiedName t = intent.table().resolve(ctx.options().defaultSchema());
        Optional<Table> table = look.table(t);
        Optional<Constraint> k = look.constraint(table, intent.name());
        // it holds its name (as rename_constraint does) and the columns its rollback re-creates it on, the referenced
        // ones of a foreign key too (see Holdings); offline, with the definition unknown, the whole table
        out.touch(t, "*constraint " + intent.name());
        if (k.isEmpty()) {
            out.touchTable(t);
        } else if (k.get().columns().isEmpty()) {
            out.touchTable(t); // a check's columns are not listed: it may read any of them
        } else {
            k.get().columns().forEach(c -> out.touch(t, c));
        }
        k.filter(Constraint::isForeignKey).filter(fk -> fk.referencedTable() != null && !fk.referencedTable().isEmpty())
                .ifPresent(fk -> {
                    String rt = fk.referencedTable(); // "schema.table" as the catalog reader writes it
                    int dot = rt.indexOf('.');
                    QualifiedName ref = dot < 0 ? new QualifiedName(t.schema(), rt) : new QualifiedName(rt.substring(0, dot), rt.substring(dot + 1));
                    fk.referencedColumns().forEach(c -> out.touch(ref, c));
                });
        String drop = Ddl.dropConstraint(t, intent.name());
        if (k.isEmpty()) {
            out.add(Phase.CONTRACT, Step.ddl("drop constraint " + intent.name(), drop,
                    "<re-create " + intent.name() + " from its catalog definition, read at apply>", LockLevel.ACCESS_EXCLUSIVE, t.toString()));
            out.warn("offline plan: the kind and definition of constraint " + intent.name() + " on " + t
                    + " are not known, so its phase and rollback are placeholders; pass --url");
            return;
        }
        Constraint c = k.get();
        Table tb = table.orElseThrow();
        List<String> undo;
        Phase phase;
        switch (c.type()) {
            case "c" -> {
                undo = ValidatedConstraint.fromCatalog(t, c.name(), c.definition(), false).recreate(c.validated());
                phase = Phase.EXPAND;
            }
            case "f" -> {
                undo = ValidatedConstraint.fromCatalog(t, c.name(), c.definition(), true).recreate(c.validated());
                phase = ACTION.matcher(c.definition()).find() ? Phase.CONTRACT : Phase.EXPAND;
            }
            case "u" -> {
                for (Map.Entry<Table, Constraint> fk : ctx.catalog().orElseThrow().foreignKeysReferencing(t)) {
                    if (fk.getValue().referencedColumns().equals(c.columns())) {
                        throw look.error("unique constraint " + c.name() + " is referenced by foreign key " + fk.getValue().name()
                                + " on " + fk.getKey().name() + "; drop that first");
                    }
                }
                Index index = tb.indexes().stream().filter(i -> i.constraint().filter(c.name()::equals).isPresent()).findFirst()
                        .orElseThrow(() -> look.error("the index of unique constraint " + c.name() + " is not in the catalog"));
                String def = c.definition();
                String attributes = (def.contains(" DEFERRABLE") ? "DEFERRABLE" : "") + (def.contains("INITIALLY DEFERRED") ? " INITIALLY DEFERRED" : "");
                undo = new UniqueViaIndex(t, c.name(), ConcurrentIndexBuild.fromCatalog(index, t, c.name()), attributes.strip()).recreate();
                phase = Phase.CONTRACT;
            }
            case "x" -> {
                // no NOT VALID form: the undo re-adds it under ACCESS EXCLUSIVE for the whole index build
                undo = List.of("ALTER TABLE " + t.sql() + " ADD CONSTRAINT " + dev.tandem.sql.Ident.quote(c.name()) + " " + c.definition());
                phase = Phase.CONTRACT;
            }
            case "p" -> throw look.error(c.name() + " is the primary key of " + t + "; dropping it is not supported");
            case "n" -> throw look.error(c.name() + " is a NOT NULL constraint; use drop_not_null");
            default -> throw look.error(c.name() + " has constraint type " + c.type() + ", which drop_constraint does not handle");
        }
        String what = switch (c.type()) {
            case "c" -> "check";
            case "f" -> "foreign key";
            case "x" -> "exclusion constraint";
            default -> "unique constraint";
        };
        out.add(phase, new Step("drop " + what + " " + c.name() + " (no scan)" + (c.isForeignKey() ? "; also locks " + c.referencedTable() : ""),
                drop, undo, LockLevel.ACCESS_EXCLUSIVE, t.toString(), false, false, true, Optional.empty()));
        out.note(phase, "Constraint " + c.name() + " on " + t + " is gone" + (phase == Phase.EXPAND ? "; the new application may write rows it refused." : "."));
    }

    @Override
    public CatalogSnapshot project(DropConstraint intent, CatalogSnapshot before, PlanOptions options) {
        QualifiedName t = intent.table().resolve(options.defaultSchema());
        return Projections.constraints(before, t,
                l -> l.stream().filter(k -> !k.name().equals(intent.name())).toList(),
                l -> l.stream().filter(i -> !i.constraint().filter(intent.name()::equals).isPresent()).toList());
    }
}
