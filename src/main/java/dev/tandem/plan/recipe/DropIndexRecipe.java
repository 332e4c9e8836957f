package dev.tandem.plan.recipe;

import dev.tandem.catalog.CatalogSnapshot;
import dev.tandem.catalog.Index;
import dev.tandem.catalog.Table;
import dev.tandem.intent.DropIndex;
import dev.tandem.plan.Phase;
import dev.tandem.plan.PlanBuilder;
import dev.tandem.plan.PlanOptions;
import dev.tandem.plan.Recipe;
import dev.tandem.plan.RecipeContext;
import dev.tandem.plan.mechanics.ConcurrentIndexBuild;
import dev.tandem.sql.QualifiedName;
import java.util.Map;
import java.util.Optional;

/**
 * {@code drop_index}: {@code DROP INDEX CONCURRENTLY} at <b>contract</b> (the old application's
 * queries may still need it until then), outside a transaction, SHARE UPDATE EXCLUSIVE. The undo
 * builds it again CONCURRENTLY from its catalog definition. Offline the definition is unknown: the
 * undo is a placeholder and the plan warns.
 * <p>The index's schema is the one in {@code name}, else {@code table}'s, else the default schema.
 * Refused: unknown index, an index on another table than {@code table}, an index that backs a
 * primary-key, unique or exclusion constraint (use {@code drop_constraint}).
 */
public final class DropIndexRecipe implements Recipe<DropIndex> {
    private static final String KIND = "drop_index";

    static String schemaOf(DropIndex intent, String defaultSchema) {
        return intent.index().schema().orElse(intent.table().flatMap(t -> t.schema()).orElse(defaultSchema));
    }

    @Override
    public void plan(DropIndex intent, RecipeContext ctx, PlanBuilder out) {
        Lookups look = new Lookups(ctx, intent.position(), KIND);
        String schema = schemaOf(intent, ctx.options().defaultSchema());
        String name = intent.index().name();
        Optional<QualifiedName> named = intent.table().map(t -> t.resolve(ctx.options().defaultSchema()));
        named.ifPresent(look::table);
        // it holds its own name, and the columns its rollback re-creates it on (see Holdings): offline, the table it names
        out.touchRelation(new QualifiedName(schema, name));
        Optional<Map.Entry<Table, Index>> found = look.index(schema, name);
        if (found.isEmpty()) {
            named.ifPresent(out::touchTable);
            QualifiedName t = named.orElse(new QualifiedName(schema, "<table of " + name + ">"));
            out.add(Phase.CONTRACT, ConcurrentIndexBuild.dropStep("drop index " + name + " CONCURRENTLY", t, name,
                    "<CREATE INDEX CONCURRENTLY " + name + " from its catalog definition, read at apply>"));
            out.warn("offline plan: the definition of index " + schema + "." + name + " is not known, so its rollback is a placeholder; pass --url");
            return;
        }
        Table tb = found.get().getKey();
        Index index = found.get().getValue();
        if (index.keys().stream().anyMatch(java.util.Objects::isNull)) {
            out.touchTable(tb.name()); // an expression key may read any column
        } else {
            index.keys().forEach(k -> out.touch(tb.name(), k));
        }
        index.include().forEach(k -> out.touch(tb.name(), k));
        named.filter(n -> !n.equals(tb.name())).ifPresent(n -> {
            throw look.error("index " + schema + "." + name + " is on table " + tb.name() + ", not " + n);
        });
        if (index.primary() || index.constraint().isPresent()) {
            throw look.error("index " + schema + "." + name + " backs constraint " + index.constraint().orElse("(primary key)")
                    + " on " + tb.name() + "; use drop_constraint");
        }
        if (!index.valid()) {
            out.warn("index " + schema + "." + name + " is INVALID; its rollback builds it again as a valid index");
        }
        if (tb.partitioned()) { // no DROP INDEX CONCURRENTLY on a partitioned index: a plain drop, undone leaf by leaf
            if (tb.partitioning().map(p -> p.nested()).orElse(false)) {
                throw look.error("drop_index of " + schema + "." + name + " on " + tb.name() + " is not supported yet: it has"
                        + " sub-partitioned partitions (its undo would need an index ON ONLY per level); nothing was changed");
            }
            out.add(Phase.CONTRACT, partitionedDrop(tb, index, schema, name));
            out.note(Phase.SWITCH_READS, "Index " + schema + "." + name + " is dropped at contract; the new application must not need it.");
            return;
        }
        out.add(Phase.CONTRACT, ConcurrentIndexBuild.dropStep("drop index " + name + " CONCURRENTLY (writes continue)", tb.name(), name,
                ConcurrentIndexBuild.fromCatalog(index, tb.name(), name)));
        out.note(Phase.SWITCH_READS, "Index " + schema + "." + name + " is dropped at contract; the new application must not need it.");
    }

    /**
     * {@code DROP INDEX} of a partitioned index (PostgreSQL 17: "cannot drop partitioned index …
     * concurrently"): ACCESS EXCLUSIVE on the table, every partition and their indexes, brief, no
     * scan. Its undo builds the index again as {@code create_index} does: CONCURRENTLY per leaf
     * (named {@code <index>_<leaf>}), {@code ON ONLY} the parent, ATTACH per leaf.
     */
    static dev.tandem.plan.Step partitionedDrop(Table tb, Index index, String schema, String name) {
        String def = index.definition();
        int using = def.indexOf(" USING ");
        if (using < 0) {
            throw new IllegalStateException("index definition without USING: " + def);
        }
        java.util.List<String> undo = new java.util.ArrayList<>();
        for (dev.tandem.plan.Step st : dev.tandem.plan.mechanics.PartitionedIndexBuild.steps(tb, name, index.unique(),
                def.substring(using + " USING ".length()), "index " + name)) {
            undo.add(st.sql());
        }
        return new dev.tandem.plan.Step("drop partitioned index " + name + " with every partition's (brief ACCESS EXCLUSIVE on "
                + tb.name() + " and its partitions, no scan: PostgreSQL cannot drop it CONCURRENTLY)",
                "DROP INDEX " + dev.tandem.sql.Ident.quote(schema) + "." + dev.tandem.sql.Ident.quote(name), undo,
                dev.tandem.plan.LockLevel.ACCESS_EXCLUSIVE, tb.name().toString(), false, false, true, Optional.empty());
    }

    @Override
    public CatalogSnapshot project(DropIndex intent, CatalogSnapshot before, PlanOptions options) {
        String schema = schemaOf(intent, options.defaultSchema());
        for (Table tb : before.allTables()) {
            if (tb.name().schema().equals(schema) && tb.indexes().stream().anyMatch(i -> i.name().equals(intent.index().name()))) {
                return Projections.constraints(before, tb.name(), l -> l,
                        l -> l.stream().filter(i -> !i.name().equals(intent.index().name())).toList());
            }
        }
        return before;
    }
}
