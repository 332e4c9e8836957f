package dev.tandem.plan.mechanics;

import dev.tandem.catalog.Partition;
import dev.tandem.catalog.Table;
import dev.tandem.plan.LockLevel;
import dev.tandem.plan.Step;
import dev.tandem.sql.Ident;
import dev.tandem.sql.Names;
import dev.tandem.sql.QualifiedName;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An index on a partitioned table built without blocking writes. PostgreSQL cannot build one
 * {@code CONCURRENTLY} on a partitioned table, so:
 * <ol>
 *   <li>one step per leaf partition: {@code CREATE [UNIQUE] INDEX CONCURRENTLY "<index>_<leaf>" ON leaf …}
 *       (SHARE UPDATE EXCLUSIVE on that leaf, outside a transaction; an INVALID leftover of a
 *       failed or interrupted build is dropped and rebuilt when the phase resumes, see
 *       {@link ConcurrentIndexBuild}); undo: {@code DROP INDEX CONCURRENTLY IF EXISTS};</li>
 *   <li>{@code CREATE [UNIQUE] INDEX "<index>" ON ONLY parent …}: no build, the parent's index is
 *       INVALID until every partition's is attached (brief SHARE on the parent only); undo:
 *       {@code DROP INDEX} of the parent's index, which drops the attached partition indexes with it
 *       (a brief ACCESS EXCLUSIVE on the table and its partitions, no scan — an attached partition
 *       index cannot be detached or dropped alone);</li>
 *   <li>one step per leaf: {@code ALTER INDEX "<index>" ATTACH PARTITION "<index>_<leaf>"} (no
 *       scan); no undo of its own (the parent's drop undoes it). The parent's index turns valid with
 *       the last attach.</li>
 * </ol>
 * <p>Not handled: sub-partitioned partitions (their own {@code ON ONLY} level; refused up front by
 * {@code PartitionGuard}), foreign-table partitions, and a partition attached between plan and apply.
 */
public final class PartitionedIndexBuild {
    private PartitionedIndexBuild() {}

    /** The name of the index on one leaf partition. */
    public static String leafIndexName(String index, QualifiedName leaf) {
        return Names.bounded(index, leaf.name());
    }

    /** The steps, in order; {@code usingRest} is "method (keys) [INCLUDE …] [WHERE …]" as for {@link ConcurrentIndexBuild#create}. */
    public static List<Step> steps(Table table, String name, boolean unique, String usingRest, String what) {
        QualifiedName t = table.name();
        List<Partition> leaves = table.partitioning().map(p -> p.leaves()).orElse(List.of());
        List<Step> out = new ArrayList<>();
        for (Partition leaf : leaves) {
            String leafIndex = leafIndexName(name, leaf.name());
            out.add(ConcurrentIndexBuild.buildStep("build index " + leafIndex + " of " + what + " on partition " + leaf.name()
                    + " CONCURRENTLY (writes continue)", leaf.name(), leafIndex,
                    ConcurrentIndexBuild.create(leaf.name(), leafIndex, unique, usingRest)));
        }
        String parentIndex = Ident.quote(t.schema()) + "." + Ident.quote(name);
        out.add(new Step("create index " + name + " ON ONLY " + t + " (no build; valid once every partition's index is attached)",
                "CREATE " + (unique ? "UNIQUE " : "") + "INDEX " + Ident.quote(name) + " ON ONLY " + t.sql() + " USING " + usingRest,
                List.of("DROP INDEX IF EXISTS " + parentIndex), LockLevel.SHARE, t.toString(), false, false, true, Optional.empty()));
        for (Partition leaf : leaves) {
            String leafIndex = leafIndexName(name, leaf.name());
            out.add(new Step("attach index " + leafIndex + " of partition " + leaf.name() + " to " + name + " (no scan)",
                    "ALTER INDEX " + parentIndex + " ATTACH PARTITION " + Ident.quote(leaf.name().schema()) + "." + Ident.quote(leafIndex),
                    List.of(), LockLevel.SHARE_UPDATE_EXCLUSIVE, t.toString(), false, false, true, Optional.empty()));
        }
        return out;
    }
}
