package dev.tandem.baseline;

import dev.tandem.TandemException;
import dev.tandem.catalog.CatalogSnapshot;
import dev.tandem.intent.Migration;
import dev.tandem.lifecycle.Workspace;
import dev.tandem.plan.MigrationPlan;
import dev.tandem.plan.Phase;
import dev.tandem.plan.PlanCodec;
import dev.tandem.plan.Planner;
import dev.tandem.sql.QualifiedName;
import dev.tandem.state.MigrationRecord;
import dev.tandem.state.StateStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * {@code tandem baseline --to ID}: adopts Tandem on a database whose schema already contains the
 * changelog's migrations up to ID (restored, or migrated by another tool). It projects the catalog
 * those migrations produce — the planner's projection of each, in order, starting from a base
 * catalog (a {@code tandem snapshot} file of the schema before the first of them, or an empty
 * schema) — and compares it with the live catalog ({@link CatalogDiff}) over the tables the
 * projection and the base hold. Equal: each migration is recorded as done (status {@code purged},
 * its plan, and a {@code baseline} history entry with who). Different: nothing is recorded and the
 * differences are returned.
 * <p>It refuses (exit 2) an unknown ID and migrations up to ID that Tandem already knows. It does
 * not run any migration, and does not compare what {@link CatalogDiff} leaves out (data, views,
 * functions, defaults, privileges) nor the effect of a raw {@code sql} step beyond what its intent
 * declares.
 */
public final class BaselineCommand {
    /**
     * The outcome.
     *
     * @param to the last migration baselined
     * @param ids the migrations up to it, in order
     * @param differences the catalog differences (empty: they match)
     * @param recorded whether they were recorded as done (false on a difference or a dry run)
     */
    public record Result(String to, List<String> ids, List<String> differences, boolean recorded) {
        public boolean matched() {
            return differences.isEmpty();
        }
    }

    private final Planner planner;

    public BaselineCommand(Planner planner) {
        this.planner = planner;
    }

    /** The migrations up to {@code to}, in order; exit 2 when the changelog has no such id. */
    public static List<Migration> upTo(List<Migration> migrations, String to) {
        for (int i = 0; i < migrations.size(); i++) {
            if (migrations.get(i).id().equals(to)) {
                return migrations.subList(0, i + 1);
            }
        }
        throw TandemException.badInput("baseline --to " + to + ": the changelog has no migration " + to);
    }

    /** Exit 2 when Tandem already knows one of the migrations (baseline is for migrations it never ran). */
    public static void refuseKnown(List<Migration> migrations, Map<String, MigrationRecord> records) {
        List<String> known = new ArrayList<>();
        for (Migration m : migrations) {
            MigrationRecord r = records.get(m.id());
            if (r != null && !r.status().equals(MigrationRecord.Status.PENDING)) {
                known.add(m.id() + " (" + r.status() + ")");
            }
        }
        if (!known.isEmpty()) {
            throw TandemException.badInput("baseline refused: Tandem already knows " + String.join(", ", known)
                    + "; baseline records only migrations Tandem never ran (see `tandem status`)");
        }
    }

    /** The plans of the migrations and the catalog they produce from {@code base}. Pure. */
    public Projection project(List<Migration> migrations, CatalogSnapshot base) {
        CatalogSnapshot c = base;
        List<MigrationPlan> plans = new ArrayList<>();
        for (Migration m : migrations) {
            try {
                plans.add(planner.plan(m, Optional.of(c)));
            } catch (TandemException e) {
                throw new TandemException(e.exitCode(), e.getMessage() + " (baseline plans the changelog from --base-snapshot FILE,"
                        + " or from an empty schema without it: give the snapshot of the schema before " + migrations.get(0).id() + ")");
            }
            c = planner.project(m, c);
        }
        return new Projection(plans, c);
    }

    /** The projected plans and catalog. */
    public record Projection(List<MigrationPlan> plans, CatalogSnapshot catalog) {}

    /** Compares the projection with {@code live} over the projection's and the base's tables. Pure. */
    public static List<String> compare(Projection p, CatalogSnapshot base, CatalogSnapshot live) {
        TreeSet<QualifiedName> tables = new TreeSet<>(p.catalog().tables().keySet());
        tables.addAll(base.tables().keySet());
        return CatalogDiff.diff(p.catalog(), live, tables);
    }

    /**
     * Records the migrations as done in one transaction, under the workspace's advisory lock; checks
     * again that Tandem does not know them yet.
     */
    public static void record(Workspace ws, List<Migration> migrations, Projection p, String to) throws SQLException {
        Connection c = ws.connection();
        Planner offline = ws.planner();
        refuseKnown(migrations, ws.records());
        StateStore store = ws.store();
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            for (int i = 0; i < migrations.size(); i++) {
                Migration m = migrations.get(i);
                store.start(c, m.id(), m.checksum(), m.description(), PlanCodec.toJson(p.plans().get(i)));
                new dev.tandem.state.OfflinePlans(store.schema()).save(c, m.id(), offline.plan(m, Optional.empty()));
                store.setPhase(c, m.id(), Optional.of(Phase.CONTRACT), MigrationRecord.Status.PURGED);
                store.log(c, m.id(), null, null, "baseline", "recorded as done by `tandem baseline --to " + to
                        + "`: the live catalog matched the changelog's result; no statement was run");
            }
            c.commit();
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
    }
}
