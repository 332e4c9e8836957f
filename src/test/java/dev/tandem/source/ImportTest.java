package dev.tandem.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.intent.ChangelogReader;
import dev.tandem.intent.Migration;
import dev.tandem.plan.PlanCodec;
import dev.tandem.plan.PlanOptions;
import dev.tandem.plan.Planner;
import dev.tandem.testing.Cli;
import dev.tandem.util.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tandem import}: the YAML it writes plans to exactly the steps of the Liquibase changelog read directly. */
class ImportTest {
    @TempDir
    Path dir;

    @Test
    void importedYamlPlansLikeTheDirectSource() throws Exception {
        Path master = LiquibaseChangelogFixture.write(dir);
        Path out = dir.resolve("imported");
        Cli.Result r = Cli.run("import", master.toString(), "-o", out.toString(), "--contexts", "test", "--format", "json");
        assertEquals(0, r.code(), r.describe());
        Map<?, ?> report = (Map<?, ?>) Json.parse(r.out());
        assertEquals(2L, ((Number) report.get("raw_sql")).longValue(), r.out()); // the two seed INSERTs; changeSet 16's CREATE TABLE is translated
        assertEquals((long) LiquibaseChangelogFixture.RUN_WITH_TEST_CONTEXT - 2, ((Number) report.get("translated")).longValue(), r.out());
        assertEquals(0L, ((Number) report.get("refused")).longValue(), r.out());

        List<Migration> direct = SourceDetector.open(master, new SourceOptions(Optional.of("test"), Optional.empty())).migrations();
        List<Migration> imported = ChangelogReader.readPath(out);
        assertEquals(direct.size(), imported.size());
        assertTrue(Files.readString(out.resolve(imported.get(8).id() + ".yaml")).startsWith("# imported from Liquibase changeSet changes.xml::9::dave\n"));
        // same id, description and checksum, the imported intents: the plans must be equal step for step
        List<Migration> rebuilt = new ArrayList<>();
        for (int i = 0; i < direct.size(); i++) {
            Migration d = direct.get(i);
            rebuilt.add(new Migration(d.id(), d.file(), d.description(), d.checksum(), imported.get(i).changes()));
        }
        Planner planner = new Planner(new PlanOptions("public", "tandem"));
        // raw sql steps name where they come from (the changelog, or the imported file): compare without that
        List<String> a = planner.planAll(direct, Optional.empty()).stream().map(PlanCodec::toJson).map(ImportTest::unplaced).toList();
        List<String> b = planner.planAll(rebuilt, Optional.empty()).stream().map(PlanCodec::toJson).map(ImportTest::unplaced).toList();
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.get(i), b.get(i), direct.get(i).id());
        }

        assertTrue(a.get(15).contains("rename_table") || a.get(15).contains("RENAME TO"), a.get(15));
        Cli.Result again = Cli.run("import", master.toString(), "-o", out.toString());
        assertEquals(2, again.code(), again.describe());
    }

    private static String unplaced(String planJson) {
        return planJson.replaceAll("[^ (\"]+\\.(sql|xml|yaml):[0-9]+:[0-9]+", "POS");
    }
}
