package dev.tandem.baseline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tandem.catalog.CatalogReader;
import dev.tandem.catalog.CatalogSnapshot;
import dev.tandem.intent.ChangelogReader;
import dev.tandem.intent.Migration;
import dev.tandem.plan.PlanOptions;
import dev.tandem.plan.Planner;
import dev.tandem.sql.QualifiedName;
import dev.tandem.testing.Cli;
import dev.tandem.testing.SampleSchema;
import dev.tandem.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * What baseline relies on: for every sample, the planner's projection of a migration onto the
 * catalog before it equals, fact for fact ({@link CatalogDiff}), the catalog Tandem leaves after
 * running it through purge.
 */
class BaselineProjectionTest {
    @Test
    void theProjectionOfEverySampleEqualsWhatRunningItThroughPurgeLeaves() throws Exception {
        Path samples = SampleSchema.repoRoot().resolve("samples");
        List<String> names = List.of("add-foreign-key", "add-not-null-column", "drop-column", "int-to-bigint", "rename-column",
                "rename-table", "split-full-name");
        StringBuilder failures = new StringBuilder();
        for (String name : names) {
            TestDatabase db = dev.tandem.cli.CliLifecycleTestAccess.sampleDb("BaselineProjectionTest_" + name.replace('-', '_'), 50);
            Path dir = samples.resolve(name);
            List<Migration> ms = ChangelogReader.readPath(dir);
            try (Connection c = db.connect()) {
                CatalogSnapshot before = CatalogReader.read(c, List.of("public"));
                CatalogSnapshot projected = before;
                Planner planner = new Planner(PlanOptions.defaults());
                for (Migration m : ms) {
                    projected = planner.project(m, projected);
                }
                run(db, "apply", dir.toString());
                for (Migration m : ms) {
                    run(db, "switch-reads", m.id());
                    run(db, "contract", m.id(), "--yes");
                    run(db, "purge", m.id(), "--yes");
                }
                CatalogSnapshot after = CatalogReader.read(c, List.of("public"));
                TreeSet<QualifiedName> tables = new TreeSet<>(projected.tables().keySet());
                tables.addAll(before.tables().keySet());
                tables.addAll(after.tables().keySet());
                List<String> d = CatalogDiff.diff(projected, after, tables);
                if (!d.isEmpty()) {
                    failures.append(name).append(":\n  ").append(String.join("\n  ", d)).append('\n');
                }
            }
        }
        assertEquals("", failures.toString());
    }

    private static void run(TestDatabase db, String... args) {
        Cli.Result r = Cli.run(Cli.withDb(db, args));
        assertEquals(0, r.code(), r.describe());
    }
}
