package dev.tandem.plan.mechanics;

import dev.tandem.catalog.Partition;
import dev.tandem.catalog.Table;
import dev.tandem.plan.LockLevel;
import dev.tandem.plan.Step;
import dev.tandem.sql.Ddl;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@link ValidatedConstraint#enforce} for a CHECK constraint on a table that may be partitioned.
 * On PostgreSQL 17 {@code ADD CONSTRAINT … CHECK … NOT VALID} on a partitioned table adds the
 * NOT VALID constraint, under the same name, to every partition, and {@code VALIDATE CONSTRAINT}
 * on the parent validates every partition in one transaction, holding SHARE UPDATE EXCLUSIVE on
 * all of them until it ends; {@code ALTER TABLE ONLY parent VALIDATE} is refused while a partition
 * is not validated. So for a partitioned table the steps are: ADD NOT VALID on the parent, then
 * {@code VALIDATE} on each leaf partition, one step (one transaction, one scan) per leaf — a
 * violation names its partition, and a resumed phase does not scan the leaves already validated —
 * then {@code VALIDATE} on the parent, which finds every partition valid and only marks itself.
 * <p>A leaf's validation has no undo of its own: a partition's inherited constraint cannot be
 * dropped alone, and the undo of the parent's VALIDATE (drop and re-add NOT VALID on the parent)
 * or of the ADD (drop on the parent) undoes every partition's too.
 * <p>Not for foreign keys: PostgreSQL 17 refuses a NOT VALID foreign key on a partitioned table
 * ({@code PartitionGuard} refuses those plans up front).
 */
public final class PartitionedValidation {
    private PartitionedValidation() {}

    /** The steps that enforce {@code c} on {@code table}: add NOT VALID, per-leaf validations (partitioned only), validate. */
    public static List<Step> enforce(ValidatedConstraint c, Optional<Table> table, String what) {
        List<Step> base = c.enforce(what);
        List<Step> out = new ArrayList<>();
        out.add(base.get(0));
        List<Partition> leaves = table.flatMap(Table::partitioning).map(p -> p.leaves()).orElse(List.of());
        for (Partition leaf : leaves) {
            out.add(new Step("validate " + what + " on partition " + leaf.name() + " (scans it while writes continue)",
                    Ddl.validateConstraint(leaf.name(), c.name()), List.of(), LockLevel.SHARE_UPDATE_EXCLUSIVE, leaf.name().toString(),
                    false, true, true, Optional.empty()));
        }
        out.add(leaves.isEmpty() ? base.get(1)
                : c.validate("validate " + what + " on " + c.table() + " (every partition is valid by now: no scan)").withScan(false));
        return out;
    }
}
