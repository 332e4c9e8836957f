package dev.tandem.plan.mechanics;

import dev.tandem.catalog.Partition;
import dev.tandem.catalog.Table;
import dev.tandem.plan.LockLevel;
import dev.tandem.plan.Step;
import dev.tandem.sql.Ddl;
import dev.tandem.sql.QualifiedName;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A UNIQUE constraint on a partitioned table without building an index under a lock that blocks
 * writes. PostgreSQL 17 refuses {@code ADD CONSTRAINT … USING INDEX} on a partitioned table
 * ("ALTER TABLE / ADD CONSTRAINT USING INDEX is not supported on partitioned tables"), but
 * {@code ADD CONSTRAINT name UNIQUE (cols)} on the parent attaches, instead of building, a leaf's
 * existing unique <em>constraint</em> whose index matches (an index alone is not enough). So:
 * <ol>
 *   <li>per leaf partition: {@code CREATE UNIQUE INDEX CONCURRENTLY "<name>_<leaf>" ON leaf …}
 *       (SHARE UPDATE EXCLUSIVE on that leaf, writes continue); undo {@code DROP INDEX CONCURRENTLY IF EXISTS};</li>
 *   <li>per leaf: {@code ALTER TABLE leaf ADD CONSTRAINT "<name>_<leaf>" UNIQUE USING INDEX …} (brief
 *       ACCESS EXCLUSIVE on that leaf, no scan); undo {@code DROP CONSTRAINT IF EXISTS};</li>
 *   <li>{@code ALTER TABLE parent ADD CONSTRAINT name UNIQUE (cols)}: attaches every leaf's
 *       constraint and index (brief ACCESS EXCLUSIVE on the parent, SHARE on each leaf and its
 *       index, no build: measured 1.4 ms against 126 ms for a build of 200,000 rows); undo
 *       {@code DROP CONSTRAINT} on the parent, which drops every attached leaf constraint and
 *       index with it.</li>
 * </ol>
 * <p>Not handled: sub-partitioned partitions and foreign-table partitions (refused up front by
 * {@code PartitionGuard}); a partition attached between plan and apply would have no constraint
 * of its own, and the parent's ADD would build its index under SHARE (blocking writes to it).
 */
public final class PartitionedUnique {
    private PartitionedUnique() {}

    /** Steps that build and attach every leaf's index and constraint (for the build phase). */
    public static List<Step> leafSteps(Table table, String name, String usingRest) {
        List<Step> out = new ArrayList<>();
        for (Partition leaf : table.partitioning().map(p -> p.leaves()).orElse(List.of())) {
            String leafName = PartitionedIndexBuild.leafIndexName(name, leaf.name());
            out.add(ConcurrentIndexBuild.buildStep("build unique index " + leafName + " on partition " + leaf.name()
                    + " CONCURRENTLY (writes continue)", leaf.name(), leafName,
                    ConcurrentIndexBuild.create(leaf.name(), leafName, true, usingRest)));
        }
        return out;
    }

    /** Steps that make each leaf's index its unique constraint, then add the parent's constraint over them (for switch-reads). */
    public static List<Step> attachSteps(Table table, String name, String constraintRest) {
        QualifiedName t = table.name();
        List<Step> out = new ArrayList<>();
        for (Partition leaf : table.partitioning().map(p -> p.leaves()).orElse(List.of())) {
            String leafName = PartitionedIndexBuild.leafIndexName(name, leaf.name());
            out.add(new Step("make index " + leafName + " the unique constraint of partition " + leaf.name() + " (no scan)",
                    Ddl.addConstraintUsingIndex(leaf.name(), leafName, "UNIQUE", leafName),
                    List.of("ALTER TABLE " + leaf.name().sql() + " DROP CONSTRAINT IF EXISTS " + dev.tandem.sql.Ident.quote(leafName)),
                    LockLevel.ACCESS_EXCLUSIVE, leaf.name().toString(), false, false, true, Optional.empty()));
        }
        out.add(new Step("add unique constraint " + name + " on " + t + ", attaching every partition's (brief ACCESS EXCLUSIVE on "
                + t + ", SHARE on its partitions; no build)",
                "ALTER TABLE " + t.sql() + " ADD CONSTRAINT " + dev.tandem.sql.Ident.quote(name) + " UNIQUE " + constraintRest,
                List.of(Ddl.dropConstraint(t, name)), LockLevel.ACCESS_EXCLUSIVE, t.toString(), false, false, true, Optional.empty()));
        return out;
    }
}
