package dev.tandem.plan.recipe;

import dev.tandem.catalog.CatalogSnapshot;
import dev.tandem.catalog.Constraint;
import dev.tandem.catalog.Index;
import dev.tandem.catalog.Table;
import dev.tandem.intent.AddUnique;
import dev.tandem.plan.Phase;
import dev.tandem.plan.PlanBuilder;
import dev.tandem.plan.PlanOptions;
import dev.tandem.plan.Recipe;
import dev.tandem.plan.RecipeContext;
import dev.tandem.plan.mechanics.ConcurrentIndexBuild;
import dev.tandem.plan.mechanics.IndexStorage;
import dev.tandem.plan.mechanics.Precheck;
import dev.tandem.plan.mechanics.RowRepair;
import dev.tandem.plan.mechanics.UniqueViaIndex;
import dev.tandem.sql.Ident;
import dev.tandem.sql.QualifiedName;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * {@code add_unique}: at switch-reads (a valid unique index enforces uniqueness for every writer,
 * so it is built when the constraint is meant to hold): count duplicate keys (fails with the count
 * and the constraint's name before any DDL), then {@link UniqueViaIndex}: the unique index
 * CONCURRENTLY (writes continue), then ADD CONSTRAINT … USING INDEX (brief ACCESS EXCLUSIVE). A
 * duplicate written between the count and the build makes the build fail; the executor then drops
 * the INVALID index it left, so nothing stays behind.
 * <p>{@code include} columns go into the index as {@code INCLUDE (…)} and {@code with} as
 * {@code WITH (…)} (btree's {@code fillfactor}, {@code deduplicate_items}); PostgreSQL keeps both
 * when the index becomes the constraint, and the undo rebuilds the index with them.
 * <p>On a partitioned table see {@link dev.tandem.plan.mechanics.PartitionedUnique} (per leaf, then the
 * parent's constraint attaches the leaves'); {@code up} is refused there.
 * <p>Refused: unknown table or columns (keys or INCLUDE), a btree storage parameter it does not know, a name already taken by a constraint on the table or by a
 * relation (index, table) in the schema.
 */
public final class AddUniqueRecipe implements Recipe<AddUnique> {
    private static final String KIND = "add_unique";

    @Override
    public void plan(AddUnique intent, RecipeContext ctx, PlanBuilder out) {
        Lookups look = new Lookups(ctx, intent.position(), KIND);
        QualifiedName t = intent.table().resolve(ctx.options().defaultSchema());
        Optional<Table> table = look.table(t);
        look.columns(table, intent.columns());
        look.columns(table, intent.include());
        IndexStorage.refusal("btree", intent.with()).ifPresent(m -> {
            throw look.error(m);
        });
        look.nameFree(table, intent.name(), true);
        intent.columns().forEach(c -> out.touch(t, c));
        look.columns(table, new java.util.ArrayList<>(intent.up().keySet()));
        intent.up().keySet().forEach(c -> out.touch(t, c));
        // with up, the repair makes the keys unique by the end of backfill: the index is built there, so the
        // constraint holds for every writer from then on (old-application duplicates are de-duplicated first)
        Phase build = intent.up().isEmpty() ? Phase.SWITCH_READS : Phase.BACKFILL;
        if (!intent.up().isEmpty()) {
            // up keeps the row with the smallest primary key of each duplicate group: it needs one
            List<String> key = Lookups.batchKey(table);
            if (key.isEmpty()) {
                throw look.error(t + " has no primary key: add_unique's up keeps the row with the smallest key of each"
                        + " group of duplicates, so it needs one (de-duplicate the rows first, then add the constraint without up)");
            }
            List<String> watched = new java.util.ArrayList<>(intent.columns());
            intent.up().keySet().stream().filter(c -> !watched.contains(c)).forEach(watched::add);
            RowRepair repair = look.repair(t, key, intent.name(), q -> duplicate(t, intent.columns(), key, q), intent.up(),
                    table.isPresent() ? watched : List.of(), Optional.of(new RowRepair.Refusal("23505", intent.name(),
                            "duplicate key value violates unique constraint " + intent.name() + " (a write of the new application,"
                                    + " tandem.version = 'new': up de-duplicates only the old application's writes)")));
            repair.dualWrite().forEach(st -> out.add(Phase.DUAL_WRITE, st));
            repair.backfill().forEach(st -> out.add(Phase.BACKFILL, st));
            repair.contract().forEach(st -> out.add(Phase.CONTRACT, st));
            out.purge(repair.purge());
            out.note(Phase.DUAL_WRITE, "Rows of " + t + " the old application writes with a key another row has now get the values of `up`.");
        }
        out.add(build, Precheck.step("count duplicate keys for " + intent.name() + " (fails with the count before any DDL)", t,
                Precheck.countDuplicates(t, intent.columns()),
                KIND + ": %s key value(s) occur more than once in " + t + " (" + String.join(", ", intent.columns())
                        + "); unique constraint " + intent.name() + " cannot be added",
                intent.up().isEmpty() ? "remove or change the duplicate rows first" : "make 'up' give each duplicate a key of its own"));
        if (table.isPresent() && table.get().partitioned()) { // leaf by leaf, then the parent's constraint attaches them
            dev.tandem.plan.mechanics.PartitionedUnique.leafSteps(table.get(), intent.name(), usingRest(intent)).forEach(st -> out.add(build, st));
            dev.tandem.plan.mechanics.PartitionedUnique.attachSteps(table.get(), intent.name(), usingRest(intent).substring("btree ".length()))
                    .forEach(st -> out.add(Phase.SWITCH_READS, st));
            out.note(Phase.SWITCH_READS, "Unique constraint " + intent.name() + " on " + t + " and each of its partitions is enforced.");
            return;
        }
        UniqueViaIndex unique = new UniqueViaIndex(t, intent.name(),
                ConcurrentIndexBuild.create(t, intent.name(), true, usingRest(intent)), "");
        List<dev.tandem.plan.Step> steps = unique.steps();
        out.add(build, steps.get(0));
        steps.subList(1, steps.size()).forEach(st -> out.add(Phase.SWITCH_READS, st));
        out.note(Phase.SWITCH_READS, "Unique constraint " + intent.name() + " on " + t + " is enforced.");
        if (ctx.offline()) {
            out.warn("offline plan: whether " + t + " and its columns exist and the name " + intent.name() + " is free is not known; pass --url");
        }
    }

    /** "btree (keys) [INCLUDE (…)] [WITH (…)]". */
    static String usingRest(AddUnique intent) {
        return "btree (" + String.join(", ", quoted(intent.columns())) + ")"
                + (intent.include().isEmpty() ? "" : " INCLUDE (" + String.join(", ", quoted(intent.include())) + ")")
                + IndexStorage.clause(intent.with());
    }

    /**
     * The row (qualified by {@code q}) has a key another row already has. In the backfill (q is the
     * table) every row of a group but the one with the smallest primary key; in the trigger (q is the
     * row being written) only an INSERT or an UPDATE that changes the key, against any other row.
     */
    static String duplicate(QualifiedName t, List<String> columns, List<String> key, String q) {
        String other = Ident.quote("tandem_other");
        List<String> same = new java.util.ArrayList<>();
        List<String> set = new java.util.ArrayList<>();
        for (String c : columns) {
            same.add(other + "." + Ident.quote(c) + " = " + q + "." + Ident.quote(c));
            set.add(q + "." + Ident.quote(c) + " IS NOT NULL");
        }
        String otherKey = "(" + String.join(", ", key.stream().map(k -> other + "." + Ident.quote(k)).toList()) + ")";
        String rowKey = "(" + String.join(", ", key.stream().map(k -> q + "." + Ident.quote(k)).toList()) + ")";
        boolean backfill = q.equals(t.sql());
        String exists = "EXISTS (SELECT 1 FROM " + t.sql() + " AS " + other + " WHERE " + String.join(" AND ", same) + " AND "
                + otherKey + (backfill ? " < " : " IS DISTINCT FROM ") + rowKey + ")";
        String written = backfill ? "" : "(TG_OP = 'INSERT' OR " + String.join(" OR ", columns.stream()
                .map(c -> q + "." + Ident.quote(c) + " IS DISTINCT FROM OLD." + Ident.quote(c)).toList()) + ") AND ";
        return "(" + written + String.join(" AND ", set) + " AND " + exists + ")";
    }

    static List<String> quoted(List<String> names) {
        return names.stream().map(Ident::quote).toList();
    }

    @Override
    public CatalogSnapshot project(AddUnique intent, CatalogSnapshot before, PlanOptions options) {
        QualifiedName t = intent.table().resolve(options.defaultSchema());
        String cols = String.join(", ", quoted(intent.columns()));
        Constraint k = new Constraint(intent.name(), "u", "UNIQUE (" + cols + ")", true, intent.columns(), "", List.of());
        Index i = new Index(intent.name(), "CREATE UNIQUE INDEX " + Ident.quote(intent.name()) + " ON " + t.sql() + " USING " + usingRest(intent),
                "btree", true, false, true, intent.columns(), Collections.nCopies(intent.columns().size(), ""), intent.include(),
                Optional.empty(), Optional.of(intent.name()));
        return Projections.constraints(before, t, l -> Projections.plus(l, k), l -> Projections.plus(l, i));
    }
}
