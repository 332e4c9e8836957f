package dev.tandem.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.TandemException;
import dev.tandem.intent.Intent;
import dev.tandem.intent.Migration;
import dev.tandem.lint.LintOptions;
import dev.tandem.report.Finding;
import dev.tandem.testing.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Offline: a Liquibase changelog read by liquibase-core becomes Tandem migrations, in order, filtered by contexts. */
class LiquibaseTranslationTest {
    @TempDir
    Path dir;

    @Test
    void changeSetsBecomeMigrationsInLiquibaseOrder() throws Exception {
        Path master = LiquibaseChangelogFixture.write(dir);
        List<Migration> ms = SourceDetector.open(master, new SourceOptions(Optional.of("test"), Optional.empty())).migrations();
        assertEquals(LiquibaseChangelogFixture.RUN_WITH_TEST_CONTEXT, ms.size());
        assertEquals(List.of("tables.yaml::1::alice", "tables.yaml::2::alice", "tables.yaml::3::alice",
                "seed.sql::seed-users::bob", "seed.sql::seed-projects::bob", "changes.xml::6::carol"),
                ms.subList(0, 6).stream().map(Migration::id).toList());
        List<String> kinds = ms.stream().map(m -> m.changes().stream().map(Intent::kind).reduce((a, b) -> a + "+" + b).orElse("")).toList();
        assertEquals(List.of("create_table", "create_table", "add_column", "sql", "sql", "add_foreign_key", "create_index",
                "add_unique", "rename_column", "set_not_null", "add_column", "change_column_type", "create_index",
                "set_default", "create_table", "rename_table", "rename_column"), kinds); // changeSet 16's <sql> CREATE TABLE is translated
        assertTrue(ms.get(0).checksum().startsWith("9:"), ms.get(0).checksum());
        assertEquals(dir.resolve("changes.xml") + ":" + line(dir.resolve("changes.xml"), "id=\"9\""), ms.get(8).changes().get(0).position().file()
                + ":" + ms.get(8).changes().get(0).position().line());

        // the formatted-SQL changeSet's ALTER TABLE is translated, positioned at its own line
        assertEquals(dir.resolve("more.sql") + ":5:1", ms.get(16).changes().get(0).position().toString());
        // without a context every changeSet runs, the prod-only dropColumn included
        List<Migration> all = SourceDetector.open(master, SourceOptions.none()).migrations();
        assertEquals(LiquibaseChangelogFixture.RUN_WITH_TEST_CONTEXT + 1, all.size());
        assertTrue(all.stream().anyMatch(m -> m.id().equals("changes.xml::14::dave")));
        // the Liquibase checksum changes with the changeSet
        Files.writeString(dir.resolve("tables.yaml"), Files.readString(dir.resolve("tables.yaml")).replace("defaultValue: active", "defaultValue: idle"));
        assertNotEquals(ms.get(2).checksum(), SourceDetector.open(master, SourceOptions.none()).migrations().get(2).checksum());
    }

    @Test
    void unknownChangeTypeIsRefusedAtItsChangeSet() throws Exception {
        Path master = LiquibaseChangelogFixture.write(dir);
        Files.writeString(dir.resolve("changes.xml"), Files.readString(dir.resolve("changes.xml")).replace(
                "<addDefaultValue tableName=\"projects\" columnName=\"name\" defaultValue=\"untitled\"/>",
                "<createSequence sequenceName=\"s1\"/>"));
        TandemException e = assertThrows(TandemException.class, () -> SourceDetector.open(master, SourceOptions.none()).migrations());
        assertEquals(TandemException.BAD_INPUT, e.exitCode());
        assertTrue(e.getMessage().startsWith(dir.resolve("changes.xml") + ":" + line(dir.resolve("changes.xml"), "id=\"15\"") + ":1: changeSet '15'"),
                e.getMessage());
        assertTrue(e.getMessage().contains("createSequence"), e.getMessage());
        Cli.Result plan = Cli.run("plan", master.toString());
        assertEquals(2, plan.code(), plan.describe());
    }

    @Test
    void lintFindsTheBlockingIndexAtItsChangeSet() throws Exception {
        Path master = LiquibaseChangelogFixture.write(dir);
        List<Finding> findings = LiquibaseLint.lint(master, SourceOptions.none(), LintOptions.defaults());
        int line = line(dir.resolve("changes.xml"), "id=\"7\"");
        assertTrue(findings.stream().anyMatch(f -> f.isError() && f.line() == line && f.file().endsWith("changes.xml")
                && f.message().startsWith("changeSet '7' (carol): createIndex generates:")), findings.toString());
        Cli.Result r = Cli.run("lint", master.toString(), "--format", "json");
        assertNotEquals(0, r.code(), r.describe());
        assertTrue(r.out().contains("changeSet '7'"), r.describe());
    }

    static int line(Path file, String text) throws Exception {
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i + 1;
            }
        }
        throw new AssertionError(text + " not in " + file);
    }
}
