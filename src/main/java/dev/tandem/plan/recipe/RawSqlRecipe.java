package dev.tandem.plan.recipe;

import dev.tandem.catalog.CatalogSnapshot;
import dev.tandem.intent.Migration;
import dev.tandem.intent.RawSql;
import dev.tandem.plan.MigrationPlan;
import dev.tandem.plan.PlanBuilder;
import dev.tandem.plan.PlanOptions;
import dev.tandem.plan.Recipe;
import dev.tandem.plan.RecipeContext;
import dev.tandem.plan.Step;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code sql}: the author's SQL as one step of the phase they name, with their {@code down} as its
 * undo and the lock they declare (default ACCESS EXCLUSIVE, so the executor uses a short
 * lock_timeout with retries). {@code transaction: false} runs {@code up} — and {@code down} on
 * rollback — outside a transaction block, without lock_timeout (for CREATE INDEX CONCURRENTLY and
 * the like); such a statement runs again if an interrupted apply resumes, so make it idempotent.
 * <p>Without {@code down} the step is irreversible: rolling back its phase once it was applied is
 * refused before anything changes. Tandem cannot see what the SQL does: it does not check the
 * declared lock, scans or rewrites, and its {@link #project} leaves the catalog unchanged, so
 * migrations planned after it carry a warning (see {@link #warnAfter}).
 */
public final class RawSqlRecipe implements Recipe<RawSql> {
    @Override
    public void plan(RawSql intent, RecipeContext ctx, PlanBuilder out) {
        String what = "raw sql (" + intent.position() + ")";
        Step step = new Step(what, intent.up().strip(), intent.down().map(d -> List.of(d.strip())).orElse(List.of()),
                intent.lock(), null, false, false, intent.transactional(), Optional.empty());
        out.add(intent.phase(), intent.irreversible() ? step.asIrreversible() : step);
        // it holds the tables its statements (up and down) name; when Tandem cannot tell, it waits for every
        // unpurged migration in flight (see conflict.Holdings)
        for (String sql : intent.down().isPresent() ? List.of(intent.up(), intent.down().get()) : List.of(intent.up())) {
            dev.tandem.conflict.SqlTargets.Targets targets = dev.tandem.conflict.SqlTargets.of(sql, ctx.options().defaultSchema());
            targets.relations().forEach(out::touchTable);
            if (targets.unknown().isPresent()) {
                out.touch(dev.tandem.conflict.HeldObject.EVERYTHING_TOUCH);
            }
        }
        out.warn("raw sql at " + intent.position() + " in " + intent.phase() + ": Tandem does not check what it locks, scans or"
                + " rewrites (declared lock: " + intent.lock() + (intent.transactional() ? "" : ", outside a transaction") + ")");
        if (intent.irreversible()) {
            out.warn("raw sql at " + intent.position() + " is irreversible: `tandem rollback` of " + intent.phase()
                    + " is refused once it has run");
        }
    }

    @Override
    public CatalogSnapshot project(RawSql intent, CatalogSnapshot before, PlanOptions options) {
        return before;
    }

    /**
     * Adds to {@code plan} a warning naming the earlier migrations (ids in {@code earlier}) that hold
     * raw sql steps, since the catalog it was planned on does not show what they changed.
     */
    public static MigrationPlan warnAfter(MigrationPlan plan, List<Migration> earlier) {
        List<String> ids = earlier.stream().filter(m -> m.changes().stream().anyMatch(i -> i instanceof RawSql))
                .map(Migration::id).toList();
        if (ids.isEmpty()) {
            return plan;
        }
        List<String> warnings = new ArrayList<>(plan.warnings());
        warnings.add("planned on the catalog as projected after " + String.join(", ", ids) + ", whose raw sql steps Tandem"
                + " cannot project: the real catalog may differ");
        return new MigrationPlan(plan.id(), plan.description(), plan.checksum(), plan.offline(), plan.phases(), plan.purge(),
                plan.touches(), warnings);
    }
}
