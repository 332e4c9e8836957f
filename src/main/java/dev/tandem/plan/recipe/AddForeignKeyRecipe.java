package dev.tandem.plan.recipe;

import dev.tandem.catalog.CatalogSnapshot;
import dev.tandem.catalog.Constraint;
import dev.tandem.catalog.Table;
import dev.tandem.intent.AddForeignKey;
import dev.tandem.plan.Phase;
import dev.tandem.plan.PlanBuilder;
import dev.tandem.plan.PlanOptions;
import dev.tandem.plan.Recipe;
import dev.tandem.plan.RecipeContext;
import dev.tandem.plan.mechanics.Precheck;
import dev.tandem.plan.mechanics.RowRepair;
import dev.tandem.plan.mechanics.ValidatedConstraint;
import dev.tandem.sql.Ident;
import dev.tandem.sql.QualifiedName;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@code add_foreign_key}: a foreign key (MATCH SIMPLE: a row with a NULL in any key column is not
 * checked), enforced at switch-reads.
 * <ul>
 *   <li>dual-write / backfill — with {@code up}: orphan rows (no referenced row) get the {@code up}
 *       values, e.g. {@code {assigned_to: "NULL"}} ({@link RowRepair}; the trigger looks the
 *       referenced key up for rows the old application writes);</li>
 *   <li>switch-reads — count the orphans (fails with the count before any DDL), ADD … NOT VALID
 *       (brief SHARE ROW EXCLUSIVE on both tables), VALIDATE (SHARE UPDATE EXCLUSIVE on the table,
 *       ROW SHARE on the referenced one);</li>
 *   <li>contract — drop the repair trigger.</li>
 * </ul>
 * The {@code on_delete}/{@code on_update} actions start applying at switch-reads, for both
 * application versions.
 * <p>Refused: unknown tables or columns, a name already taken, referenced columns without a unique
 * or primary-key constraint (PostgreSQL needs one). On a table without a primary key the repair is
 * cut by unique index or ctid pages (see {@link dev.tandem.plan.mechanics.RowRepair}).
 * <p>From a partitioned table: NOT VALID then VALIDATE on each leaf partition, then ADD on the parent,
 * which attaches the validated leaf keys without a scan (PostgreSQL 17 refuses NOT VALID on the parent).
 */
public final class AddForeignKeyRecipe implements Recipe<AddForeignKey> {
    private static final String KIND = "add_foreign_key";
    private static final String REF = "tandem_ref";

    @Override
    public void plan(AddForeignKey intent, RecipeContext ctx, PlanBuilder out) {
        Lookups look = new Lookups(ctx, intent.position(), KIND);
        QualifiedName t = intent.table().resolve(ctx.options().defaultSchema());
        QualifiedName ref = intent.referencedTable().resolve(ctx.options().defaultSchema());
        Optional<Table> table = look.table(t);
        Optional<Table> refTable = look.table(ref);
        look.columns(table, intent.columns());
        look.columns(table, new ArrayList<>(intent.up().keySet()));
        look.columns(refTable, intent.referencedColumns());
        look.nameFree(table, intent.name(), false);
        refTable.ifPresent(rt -> {
            if (!hasUniqueKey(rt, intent.referencedColumns())) {
                throw look.error("no unique or primary-key constraint on " + ref + " (" + String.join(", ", intent.referencedColumns())
                        + "); a foreign key needs one");
            }
        });
        intent.columns().forEach(c -> out.touch(t, c));
        intent.up().keySet().forEach(c -> out.touch(t, c));
        Function<String, String> orphan = q -> orphanPredicate(intent, ref, q);

        if (!intent.up().isEmpty()) {
            List<String> key = Lookups.batchKey(table);
            List<String> watched = new ArrayList<>(intent.columns());
            intent.up().keySet().stream().filter(c -> !watched.contains(c)).forEach(watched::add);
            RowRepair repair = look.repair(t, key, intent.name(), orphan, intent.up(), watched, java.util.Optional.of(new RowRepair.Refusal(
                    "23503", intent.name(), "insert or update on table " + t.name() + " violates foreign key constraint " + intent.name()
                            + " (a write of the new application, tandem.version = 'new': up repairs only the old application's writes)")));
            repair.dualWrite().forEach(s -> out.add(Phase.DUAL_WRITE, s));
            repair.backfill().forEach(s -> out.add(Phase.BACKFILL, s));
            repair.contract().forEach(s -> out.add(Phase.CONTRACT, s));
            out.purge(repair.purge());
            out.note(Phase.DUAL_WRITE, "Rows of " + t + " written without a matching " + ref + " row now get the values of `up`.");
        }
        out.add(Phase.SWITCH_READS, Precheck.step("count rows of " + t + " without a matching " + ref + " row (fails with the count before any DDL)",
                t, Precheck.countWhere(t, orphan.apply(t.sql())),
                KIND + ": %s row(s) of " + t + " have no matching row in " + ref + " for foreign key " + intent.name(),
                "give the intent 'up' expressions that repair them (e.g. set the column to NULL), or fix those rows first"));
        if (table.isPresent() && table.get().partitioned()) { // NOT VALID + VALIDATE per leaf, then the parent's ADD attaches them
            String def = definition(intent, ref);
            for (dev.tandem.catalog.Partition leaf : table.get().partitioning().map(p -> p.leaves()).orElse(List.of())) {
                ValidatedConstraint lf = new ValidatedConstraint(leaf.name(), intent.name(), def, true);
                String drop = "ALTER TABLE " + leaf.name().sql() + " DROP CONSTRAINT IF EXISTS " + dev.tandem.sql.Ident.quote(intent.name());
                out.add(Phase.SWITCH_READS, dev.tandem.plan.Step.ddl("add foreign key " + intent.name() + " NOT VALID on partition "
                        + leaf.name() + " (brief SHARE ROW EXCLUSIVE, no scan)", lf.addNotValidSql(), drop, lf.addLock(), leaf.name().toString()));
                out.add(Phase.SWITCH_READS, dev.tandem.plan.Step.ddl("validate foreign key " + intent.name() + " on partition " + leaf.name()
                        + " (scans while writes continue)", lf.validateSql(), drop, dev.tandem.plan.LockLevel.SHARE_UPDATE_EXCLUSIVE, leaf.name().toString())
                        .withScan(true));
            }
            out.add(Phase.SWITCH_READS, dev.tandem.plan.Step.ddl("add foreign key " + intent.name() + " on " + t + ", attaching every"
                    + " partition's validated one (brief SHARE ROW EXCLUSIVE on " + t + ", its partitions and " + ref
                    + ", a brief ACCESS EXCLUSIVE on " + ref + " to drop the partitions' own action triggers; no scan)",
                    "ALTER TABLE " + t.sql() + " ADD CONSTRAINT " + dev.tandem.sql.Ident.quote(intent.name()) + " " + def,
                    dev.tandem.sql.Ddl.dropConstraint(t, intent.name()), dev.tandem.plan.LockLevel.SHARE_ROW_EXCLUSIVE, t.toString()));
            out.note(Phase.SWITCH_READS, "Foreign key " + intent.name() + " on " + t + " and each of its partitions is enforced and validated.");
            return;
        }
        ValidatedConstraint fk = new ValidatedConstraint(t, intent.name(), definition(intent, ref), true);
        out.add(Phase.SWITCH_READS, fk.addNotValid("add foreign key " + intent.name() + " NOT VALID (brief SHARE ROW EXCLUSIVE on "
                + t + " and " + ref + ", no scan)"));
        out.add(Phase.SWITCH_READS, fk.validate("validate foreign key " + intent.name() + " (scans while writes continue)"));
        out.note(Phase.SWITCH_READS, "Foreign key " + intent.name() + " on " + t + " is enforced and validated.");
        if (ctx.offline()) {
            out.warn("offline plan: whether " + t + " and " + ref + " and their columns exist is not known; pass --url");
        }
    }

    static boolean hasUniqueKey(Table rt, List<String> columns) {
        HashSet<String> want = new HashSet<>(columns);
        return rt.constraints().stream().anyMatch(k -> (k.isPrimaryKey() || k.isUnique()) && new HashSet<>(k.columns()).equals(want)
                && k.columns().size() == columns.size())
                || rt.indexes().stream().anyMatch(i -> i.unique() && i.valid() && i.predicate().isEmpty() && !i.hasExpressions()
                && i.keys().size() == columns.size() && new HashSet<>(i.keys()).equals(want));
    }

    static String definition(AddForeignKey intent, QualifiedName ref) {
        return "FOREIGN KEY (" + quoted(intent.columns()) + ") REFERENCES " + ref.sql() + "(" + quoted(intent.referencedColumns()) + ")"
                + intent.onUpdate().map(a -> " ON UPDATE " + a).orElse("")
                + intent.onDelete().map(a -> " ON DELETE " + a).orElse("");
    }

    /** The row (qualified by {@code q}) has every key column set and no referenced row matches. */
    static String orphanPredicate(AddForeignKey intent, QualifiedName ref, String q) {
        List<String> notNull = new ArrayList<>();
        List<String> match = new ArrayList<>();
        for (int i = 0; i < intent.columns().size(); i++) {
            String c = q + "." + Ident.quote(intent.columns().get(i));
            notNull.add(c + " IS NOT NULL");
            match.add(Ident.quote(REF) + "." + Ident.quote(intent.referencedColumns().get(i)) + " = " + c);
        }
        return "(" + String.join(" AND ", notNull) + " AND NOT EXISTS (SELECT 1 FROM " + ref.sql() + " AS " + Ident.quote(REF)
                + " WHERE " + String.join(" AND ", match) + "))";
    }

    private static String quoted(List<String> names) {
        return String.join(", ", names.stream().map(Ident::quote).toList());
    }

    @Override
    public CatalogSnapshot project(AddForeignKey intent, CatalogSnapshot before, PlanOptions options) {
        QualifiedName t = intent.table().resolve(options.defaultSchema());
        QualifiedName ref = intent.referencedTable().resolve(options.defaultSchema());
        Constraint k = new Constraint(intent.name(), "f", definition(intent, ref), true, intent.columns(), ref.toString(),
                intent.referencedColumns());
        return Projections.constraints(before, t, l -> Projections.plus(l, k), l -> l);
    }

    @Override
    public java.util.List<dev.tandem.plan.ExpressionCheck> expressions(dev.tandem.intent.AddForeignKey intent, dev.tandem.catalog.CatalogSnapshot catalog,
                                                          dev.tandem.plan.PlanOptions options) {
        dev.tandem.sql.QualifiedName t = intent.table().resolve(options.defaultSchema());
        java.util.List<dev.tandem.plan.ExpressionCheck> out = new java.util.ArrayList<>();
        intent.up().forEach((col, expr) -> out.add(dev.tandem.plan.ExpressionCheck.overRow(intent.position(), intent.kind(), "up." + col, t, expr,
                dev.tandem.plan.ExpressionCheck.typeOf(catalog, t, col))));
        return out;
    }
}
