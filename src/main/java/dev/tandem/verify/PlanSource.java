package dev.tandem.verify;

import dev.tandem.catalog.CatalogSnapshot;
import dev.tandem.intent.Migration;
import dev.tandem.plan.MigrationPlan;
import dev.tandem.plan.PlanOptions;
import dev.tandem.plan.Planner;
import java.util.Optional;

/**
 * Where verify gets the plan of a migration from: normally the {@link Planner} on the scratch
 * database's live catalog. A seam so that tests (and future tools) can verify a plan other than
 * the planner's, e.g. one with a deliberately broken step.
 */
@FunctionalInterface
public interface PlanSource {
    /** The plan of {@code migration} on {@code catalog}; throws TandemException (exit 2) on bad input. */
    MigrationPlan plan(Migration migration, CatalogSnapshot catalog);

    /** The planner's plans. */
    static PlanSource planner(PlanOptions options) {
        Planner planner = new Planner(options);
        return (m, c) -> planner.plan(m, Optional.of(c));
    }
}
