package dev.tandem.plan.recipe;

import dev.tandem.catalog.CatalogSnapshot;
import dev.tandem.catalog.Index;
import dev.tandem.catalog.ReplicaIdentity;
import dev.tandem.catalog.Table;
import dev.tandem.intent.SetReplicaIdentity;
import dev.tandem.plan.LockLevel;
import dev.tandem.plan.Phase;
import dev.tandem.plan.PlanBuilder;
import dev.tandem.plan.PlanOptions;
import dev.tandem.plan.Recipe;
import dev.tandem.plan.RecipeContext;
import dev.tandem.plan.Step;
import dev.tandem.sql.QualifiedName;
import java.util.Optional;

/**
 * {@code set_replica_identity}: one metadata-only {@code ALTER TABLE … REPLICA IDENTITY
 * DEFAULT|FULL|NOTHING|USING INDEX i} at <b>expand</b>. It takes ACCESS EXCLUSIVE on the table
 * (brief: no scan, no rewrite; checked by a lock trace in {@code ReplicaIdentityLifecycleTest}),
 * so it runs under the short lock timeout with retries. Neither application version reads it; it
 * changes what logical replication writes to the WAL for an UPDATE or DELETE. The rollback restores
 * the identity the catalog had, exactly (the fingerprint compares it). Offline the previous
 * identity is unknown: the rollback shown is a placeholder and the plan warns.
 * <p>Refused (exit 2): unknown table, a view; for {@code index}: an unknown index of the table, or
 * one PostgreSQL would refuse (not unique, partial, on an expression, not valid, or over a nullable
 * column). Not handled: whether the table is in a publication — with {@code nothing}, a table
 * published for UPDATE or DELETE refuses those writes, so the plan warns.
 */
public final class SetReplicaIdentityRecipe implements Recipe<SetReplicaIdentity> {
    private static final String KIND = "set_replica_identity";

    @Override
    public void plan(SetReplicaIdentity intent, RecipeContext ctx, PlanBuilder out) {
        Lookups look = new Lookups(ctx, intent.position(), KIND);
        QualifiedName t = intent.table().resolve(ctx.options().defaultSchema());
        Optional<Table> table = look.table(t);
        table.filter(tb -> !tb.kind().equals("r") && !tb.kind().equals("p")).ifPresent(tb -> {
            throw look.error(t + " is not a table (relkind " + tb.kind() + ")");
        });
        ReplicaIdentity wanted = wanted(intent);
        intent.index().ifPresent(name -> table.ifPresent(tb -> checkIndex(look, tb, name)));
        out.touch(t + ".*replica identity");
        String previous = table.map(tb -> tb.replicaIdentity().sql()).orElse("<the identity of " + t + ", read at apply>");
        out.add(Phase.EXPAND, Step.ddl("set the replica identity of " + t + " to " + wanted.describe() + " (metadata only, no scan)",
                alter(t, wanted.sql()), alter(t, previous), LockLevel.ACCESS_EXCLUSIVE, t.toString()));
        if (wanted.mode().equals("n")) {
            out.warn(KIND + ": with replica identity nothing, UPDATE and DELETE fail on " + t
                    + " if it is in a publication that publishes them");
        }
        if (ctx.offline()) {
            out.warn("offline plan: the current replica identity of " + t + " is not known, so the rollback shown is a placeholder; pass --url");
        }
    }

    static ReplicaIdentity wanted(SetReplicaIdentity intent) {
        return switch (intent.identity()) {
            case "full" -> new ReplicaIdentity("f", Optional.empty());
            case "nothing" -> new ReplicaIdentity("n", Optional.empty());
            case "index" -> new ReplicaIdentity("i", intent.index());
            default -> ReplicaIdentity.DEFAULT;
        };
    }

    private static void checkIndex(Lookups look, Table tb, String name) {
        Index i = tb.indexes().stream().filter(x -> x.name().equals(name)).findFirst()
                .orElseThrow(() -> look.error("unknown index " + name + " on table " + tb.name()));
        String why = !i.unique() ? "is not unique" : i.hasExpressions() ? "is partial or has an expression key"
                : !i.valid() ? "is not valid" : null;
        if (why == null) {
            why = i.keys().stream().filter(k -> tb.column(k).map(c -> !c.notNull()).orElse(false)).findFirst()
                    .map(k -> "covers nullable column " + k + " (set_not_null it first)").orElse(null);
        }
        if (why != null) {
            throw look.error("index " + name + " cannot be the replica identity: it " + why);
        }
    }

    static String alter(QualifiedName t, String clause) {
        return "ALTER TABLE " + t.sql() + " REPLICA IDENTITY " + clause;
    }

    @Override
    public CatalogSnapshot project(SetReplicaIdentity intent, CatalogSnapshot before, PlanOptions options) {
        QualifiedName t = intent.table().resolve(options.defaultSchema());
        return before.table(t).map(tb -> before.with(tb.withReplicaIdentity(wanted(intent)))).orElse(before);
    }
}
