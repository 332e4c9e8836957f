package dev.tandem.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.intent.ChangelogReader;
import dev.tandem.intent.Migration;
import dev.tandem.lint.LintOptions;
import dev.tandem.lint.Linter;
import dev.tandem.plan.BackfillSpec;
import dev.tandem.plan.LockLevel;
import dev.tandem.plan.MigrationPlan;
import dev.tandem.plan.Phase;
import dev.tandem.plan.PhasePlan;
import dev.tandem.plan.Step;
import dev.tandem.report.Finding;
import dev.tandem.testing.Cli;
import dev.tandem.util.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** tandem check without a database: parse errors, conflicts, step checks, raw SQL, formats and exit codes. */
class CheckCommandTest {
    @TempDir
    Path dir;

    Path write(String name, String yaml) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, yaml);
        return p;
    }

    static String rename(String table, String from, String to) {
        return "  - rename_column: {table: " + table + ", column: " + from + ", to: " + to + "}\n";
    }

    @Test
    void aCleanChangelogPasses() throws Exception {
        write("0001_a.yaml", "changes:\n" + rename("users", "full_name", "display_name"));
        Cli.Result r = Cli.run("check", dir.toString());
        assertEquals(0, r.code(), r.describe());
        assertTrue(r.out().contains("0 errors"), r.out());
    }

    @Test
    void parseErrorsAreFindingsAndTheOtherFilesAreStillChecked() throws Exception {
        write("0001_bad.yaml", "changes:\n  - rename_column: {table: users, colum: x, to: y}\n");
        write("0002_bad_too.yaml", "changes: [\n");
        write("0003_ok.yaml", "changes:\n" + rename("users", "a", "b"));
        Cli.Result r = Cli.run("check", dir.toString(), "--format", "json");
        assertEquals(4, r.code(), r.describe());
        List<Map<String, Object>> findings = findings(r.out());
        assertEquals(2, findings.size(), r.out());
        Map<String, Object> first = findings.get(0);
        assertEquals("check/parse", first.get("rule"));
        assertEquals(dir.resolve("0001_bad.yaml").toString(), first.get("file"));
        assertEquals(2L, first.get("line"));
        assertTrue(((Long) first.get("column")) > 1, first.toString());
        assertTrue(first.get("message").toString().contains("colum"), first.toString());
        assertEquals(dir.resolve("0002_bad_too.yaml").toString(), findings.get(1).get("file"));
        @SuppressWarnings("unchecked")
        Map<String, Object> summary = (Map<String, Object>) ((Map<String, Object>) Json.parse(r.out())).get("summary");
        assertEquals(3L, summary.get("cases"));
        assertEquals(1L, summary.get("passed"));
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> findings(String json) {
        return (List<Map<String, Object>>) ((Map<String, Object>) Json.parse(json)).get("findings");
    }

    @Test
    void aColumnRenamedByAnEarlierMigrationIsAConflict() throws Exception {
        write("0001_rename.yaml", "changes:\n" + rename("users", "full_name", "display_name"));
        write("0002_again.yaml", "description: x\nchanges:\n" + rename("users", "full_name", "nick"));
        Cli.Result r = Cli.run("check", dir.toString(), "--format", "json");
        assertEquals(4, r.code(), r.describe());
        List<Map<String, Object>> fs = findings(r.out());
        assertEquals(1, fs.size(), r.out());
        assertEquals("check/conflict", fs.get(0).get("rule"));
        assertEquals(dir.resolve("0002_again.yaml").toString(), fs.get(0).get("file"));
        assertEquals(3L, fs.get(0).get("line"));
        assertTrue(fs.get(0).get("message").toString().contains("public.users.full_name"), fs.toString());
        assertTrue(fs.get(0).get("message").toString().contains("0001_rename"), fs.toString());
    }

    @Test
    void twoChangesOfOneColumnInOneMigrationConflict() throws Exception {
        write("0001_both.yaml", "changes:\n" + rename("users", "full_name", "display_name") + rename("users", "full_name", "nick"));
        List<Finding> fs = check(Optional.empty());
        assertEquals(Set.of("check/conflict"), rules(fs));
        assertEquals(3, fs.get(0).line());
    }

    @Test
    void chainedRenamesAcrossMigrationsOnlyWarn() throws Exception {
        write("0001_a.yaml", "changes:\n" + rename("users", "full_name", "display_name"));
        write("0002_b.yaml", "changes:\n" + rename("users", "display_name", "name"));
        assertEquals(List.of(), check(Optional.empty()), "no overlap warnings unless asked for");
        List<Finding> fs = new CheckCommand(dev.tandem.plan.PlanOptions.defaults(), LintOptions.defaults()).withOverlaps(true)
                .run(dir, Optional.empty()).findings();
        assertEquals(Set.of("check/overlap"), rules(fs));
        assertTrue(fs.stream().noneMatch(Finding::isError));
        assertEquals(0, Cli.run("check", dir.toString(), "--overlaps").code());
    }

    /** The same rule as apply: a table rename waits for an unpurged column change of that table. */
    @Test
    void renameTableAfterAColumnChangeOfItsTableReportsTheWait() throws Exception {
        write("0001_a.yaml", "changes:\n" + rename("t", "v", "w"));
        write("0002_b.yaml", "changes:\n  - rename_table: {table: t, to: t2}\n");
        write("0003_c.yaml", "changes:\n" + rename("u", "v", "w"));
        List<Finding> fs = new CheckCommand(dev.tandem.plan.PlanOptions.defaults(), LintOptions.defaults()).withOverlaps(true)
                .run(dir, Optional.empty()).findings();
        assertEquals(1, fs.size(), fs.toString());
        assertEquals("check/overlap", fs.get(0).rule());
        assertTrue(fs.get(0).file().endsWith("0002_b.yaml"), fs.toString());
        assertTrue(fs.get(0).message().contains("waits for 0001_a") && fs.get(0).message().contains("public.t.v"), fs.get(0).message());
    }

    List<Finding> check(Optional<dev.tandem.catalog.CatalogSnapshot> snapshot) {
        return new CheckCommand(dev.tandem.plan.PlanOptions.defaults(), LintOptions.defaults()).run(dir, snapshot).findings();
    }

    static Set<String> rules(List<Finding> fs) {
        return fs.stream().map(Finding::rule).collect(java.util.stream.Collectors.toSet());
    }

    @Test
    void stepsWithoutRollbackUnlessIrreversibleAndUnsafeSteps() throws Exception {
        Migration m = ChangelogReader.readFile(write("0001_a.yaml", "changes:\n" + rename("users", "a", "b")));
        List<PhasePlan> phases = new ArrayList<>();
        for (Phase p : Phase.values()) {
            List<Step> steps = new ArrayList<>();
            if (p == Phase.EXPAND) {
                steps.add(Step.ddl("add column b", "ALTER TABLE users ADD COLUMN b text", null, LockLevel.ACCESS_EXCLUSIVE, "public.users"));
                steps.add(Step.ddl("ok step", "SELECT 1", "SELECT 2", LockLevel.NONE, null));
            }
            if (p == Phase.BACKFILL) {
                steps.add(new Step("copy", "UPDATE users SET b = a", List.of(), LockLevel.ROW_EXCLUSIVE, "public.users", false, true,
                        true, Optional.of(new BackfillSpec(new dev.tandem.sql.QualifiedName("public", "users"), List.of("id"),
                                List.of(new BackfillSpec.Assignment("b", "a"))))));
            }
            if (p == Phase.SWITCH_READS) {
                steps.add(new Step("set not null", "ALTER TABLE users ALTER b SET NOT NULL", List.of("ALTER TABLE users ALTER b DROP NOT NULL"),
                        LockLevel.ACCESS_EXCLUSIVE, "public.users", false, true, true, Optional.empty()));
            }
            phases.add(new PhasePlan(p, steps, ""));
        }
        MigrationPlan plan = new MigrationPlan("0001_a", "", "x", true, phases, List.of(), Set.of(), List.of());
        List<Finding> fs = CheckCommand.stepFindings(m, m.changes().get(0), plan, false);
        assertEquals(List.of("check/missing-rollback", "check/unsafe-step"), fs.stream().map(Finding::rule).toList(), fs.toString());
        assertTrue(fs.get(0).message().contains("add column b"), fs.get(0).message());
        assertTrue(fs.get(1).message().contains("scans public.users while holding ACCESS EXCLUSIVE"), fs.get(1).message());
        assertEquals(2, fs.get(0).line());
        assertEquals(List.of("check/unsafe-step"), rules(CheckCommand.stepFindings(m, m.changes().get(0), plan, true)).stream().toList());
    }

    @Test
    void rawSqlIsLintedWithChangelogPositions() {
        Linter linter = new Linter(new LintOptions(14, false, true));
        List<Finding> fs = CheckCommand.lintRawSql(linter, "ALTER TABLE users ADD COLUMN x int;\nCREATE INDEX i ON users (x)", "c.yaml", 9, 11);
        assertEquals(1, fs.size(), fs.toString());
        assertEquals("create-index-not-concurrent", fs.get(0).rule());
        assertEquals("c.yaml:10:1", fs.get(0).location());
    }

    @Test
    void rawSqlIntentsAreLintedAndAnIrreversibleOneNeedsNoRollback() throws Exception {
        write("0001_sql.yaml", "changes:\n"
                + "  - sql: {phase: expand, up: \"CREATE INDEX tasks_title_idx ON tasks (title)\", down: \"DROP INDEX tasks_title_idx\"}\n"
                + "  - sql: {phase: contract, up: \"COMMENT ON TABLE tasks IS 'x'\", irreversible: true}\n");
        Cli.Result r = Cli.run("check", dir.toString(), "--format", "json");
        assertEquals(4, r.code(), r.describe());
        List<Map<String, Object>> findings = findings(r.out());
        List<String> rules = findings.stream().map(f -> (String) f.get("rule")).toList();
        assertTrue(rules.contains("create-index-not-concurrent"), r.out());
        assertTrue(rules.contains("drop-index-not-concurrent"), r.out());
        assertTrue(!rules.contains("check/missing-rollback"), "an irreversible raw SQL step is not a missing rollback: " + r.out());
        Map<String, Object> first = findings.stream().filter(f -> "create-index-not-concurrent".equals(f.get("rule"))).findFirst().orElseThrow();
        assertEquals(2L, ((Number) first.get("line")).longValue(), "points into the changelog: " + first);
    }

    @Test
    void readOnlyPrechecksAreNotMissingRollbacks() throws Exception {
        write("0001_unique.yaml", "changes:\n  - add_unique: {table: users, name: users_email_key2, columns: [email]}\n");
        Cli.Result r = Cli.run("check", dir.toString());
        assertEquals(0, r.code(), r.describe());
    }

    @Test
    void formatsAndBadInput() throws Exception {
        write("0001_bad.yaml", "changes: 3\n");
        Cli.Result junit = Cli.run("check", dir.toString(), "--format", "junit");
        assertEquals(4, junit.code());
        assertTrue(junit.out().startsWith("<?xml") && junit.out().contains("<failure type=\"check/parse\""), junit.out());
        Cli.Result github = Cli.run("check", dir.toString(), "--format", "github");
        assertTrue(github.out().startsWith("::error file="), github.out());
        assertEquals(2, Cli.run("check", dir.resolve("missing").toString()).code());
        assertEquals(2, Cli.run("check", dir.toString(), "--format", "yaml").code());
        Path notSnapshot = write("s.json", "{\"format\":\"x\"}");
        Cli.Result bad = Cli.run("check", dir.toString(), "--schema-snapshot", notSnapshot.toString());
        assertEquals(2, bad.code(), bad.describe());
        assertEquals("", bad.out(), "stdout carries only a report");
        assertEquals(2, Cli.run("check", dir.toString(), "--schema-snapshot", dir.resolve("none.json").toString()).code());
    }
}
