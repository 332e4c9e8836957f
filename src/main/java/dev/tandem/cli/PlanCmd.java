package dev.tandem.cli;

import dev.tandem.catalog.CatalogSnapshot;
import dev.tandem.estimate.EstimateModel;
import dev.tandem.estimate.Estimator;
import dev.tandem.estimate.MigrationEstimate;
import dev.tandem.lifecycle.Preflight;
import dev.tandem.cli.render.Format;
import dev.tandem.cli.render.PlanRenderers;
import dev.tandem.intent.Migration;
import dev.tandem.lifecycle.Workspace;
import dev.tandem.plan.MigrationPlan;
import dev.tandem.plan.Planner;
import dev.tandem.state.MigrationRecord;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tandem plan}: shows the five phases of each migration; offline from the files, or with --url from the live catalog. */
@Command(name = "plan", description = "Show each migration's five phases: every step, its lock, scan/rewrite, rollback.")
final class PlanCmd implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", defaultValue = "changelogs", description = SourceFlags.PATH_DESCRIPTION)
    Path path;

    @Option(names = "--format", defaultValue = "text", converter = FormatConverter.class, description = "text, json, sql or markdown (default: ${DEFAULT-VALUE}).")
    Format format;

    @Option(names = "--all", description = "With --url: also show migrations that have already started (default: pending ones only).")
    boolean all;

    @Mixin
    DatabaseOptions db;

    @Mixin
    SourceFlags source;

    @Override
    public Integer call() throws Exception {
        Format f = format;
        dev.tandem.source.ChangelogSource src = source.open(path);
        List<Migration> migrations = src.migrations();
        List<MigrationPlan> plans;
        List<MigrationEstimate> estimates = new ArrayList<>();
        Estimator estimator = new Estimator(EstimateModel.DEFAULT);
        if (!db.hasUrl(Main.environment)) {
            plans = new Planner(db.planOptions()).planAll(migrations, Optional.empty());
            plans.forEach(p -> estimates.add(estimator.estimate(p, CatalogSnapshot.empty())));
        } else {
            try (Workspace ws = Workspace.forReading(db.settings(Main.environment, spec.commandLine().getErr()::println))) {
                Map<String, MigrationRecord> records = ws.records();
                migrations = src.pending(ws.connection(), ws.settings().plan().stateSchema());
                dev.tandem.lifecycle.DriftCheck.refuse(migrations, records);
                CatalogSnapshot snapshot = ws.catalog(migrations);
                plans = new ArrayList<>();
                boolean live = true; // the snapshot is the live catalog until a pending migration is projected onto it
                for (Migration m : migrations) {
                    MigrationRecord r = records.get(m.id());
                    boolean pending = r == null || r.status().equals(MigrationRecord.Status.PENDING);
                    if (pending) {
                        MigrationPlan planned = ws.planner().plan(m, Optional.of(snapshot));
                        if (live) {
                            // the expressions compile against the database as it is (read-only, rolled back)
                            Preflight.check(ws.connection(), m, snapshot, ws.settings().plan());
                            // and down(up(x)) = x is tried on a bounded sample of the live rows
                            planned = dev.tandem.lifecycle.RoundTripProbe.withWarnings(planned, dev.tandem.lifecycle.RoundTripProbe
                                    .warnings(ws.connection(), m, snapshot, ws.settings().plan().defaultSchema()));
                            live = false;
                        }
                        plans.add(planned);
                        estimates.add(estimator.estimate(planned, snapshot));
                    } else if (all) {
                        plans.add(ws.storedPlan(r));
                        estimates.add(estimator.estimate(plans.get(plans.size() - 1), snapshot));
                    }
                    snapshot = ws.planner().project(m, snapshot);
                }
            }
        }
        spec.commandLine().getOut().print(PlanRenderers.forFormat(f).render(plans, estimates));
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
