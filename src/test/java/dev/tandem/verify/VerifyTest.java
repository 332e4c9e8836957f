package dev.tandem.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.db.ConnectionConfig;
import dev.tandem.intent.ChangelogReader;
import dev.tandem.intent.Migration;
import dev.tandem.plan.LockLevel;
import dev.tandem.plan.Phase;
import dev.tandem.plan.PlanOptions;
import dev.tandem.plan.Step;
import dev.tandem.report.Case;
import dev.tandem.report.Finding;
import dev.tandem.report.Report;
import dev.tandem.report.ReportFormat;
import dev.tandem.testing.SampleSchema;
import dev.tandem.testing.TestDatabase;
import dev.tandem.util.Json;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.xml.XMLConstants;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.SchemaFactory;
import org.junit.jupiter.api.Test;

/**
 * {@code tandem verify} on a real PostgreSQL: the sample rename passes, and deliberately broken
 * plans (injected through {@link PlanSource}) are caught with the right rule and the right step.
 */
class VerifyTest {
    private static final String RENAME = "changelogs/0001_rename_full_name.yaml";
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());

    private VerifyOptions options(TestDatabase db) {
        return VerifyOptions.defaults(line -> {
            log.add(line);
            System.out.println("[verify] " + line);
        }).withScratch(ConnectionConfig.of(db.jdbcUrl(), db.user(), db.password(), Map.of()))
                .withBaseSchema(SampleSchema.repoRoot().resolve("samples/schema.sql")).withRows(300);
    }

    private static List<Migration> rename() {
        return ChangelogReader.readPath(SampleSchema.repoRoot().resolve(RENAME));
    }

    private static PlanSource planner() {
        return PlanSource.planner(PlanOptions.defaults());
    }

    private Report verify(PlanSource plans) {
        TestDatabase db = TestDatabase.create("verify");
        return new Verifier(options(db), plans).run(rename());
    }

    private static List<Finding> errors(Report r, String rule) {
        return r.findings().stream().filter(f -> f.isError() && f.rule().equals(rule)).toList();
    }

    private static Case caseNamed(Report r, String name) {
        return r.cases().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void sampleRenamePassesWithWellFormedJsonAndJunit() throws Exception {
        Report r = verify(planner());
        assertEquals(List.of(), r.findings().stream().filter(Finding::isError).toList(), "no errors");
        assertEquals(0, r.exitCode());
        assertEquals(List.of("prepare", "expand", "dual-write", "backfill", "switch-reads", "contract", "purge"),
                r.cases().stream().map(Case::name).toList());

        @SuppressWarnings("unchecked")
        Map<String, Object> json = (Map<String, Object>) Json.parse(ReportFormat.JSON.render(r));
        assertEquals(List.of(), json.get("findings"));
        @SuppressWarnings("unchecked")
        Map<String, Object> migration = ((List<Map<String, Object>>) json.get("migrations")).get(0);
        assertEquals("0001_rename_full_name", migration.get("id"));
        assertEquals(300L, ((Map<?, ?>) migration.get("seeded_rows")).get("public.users"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> phases = (List<Map<String, Object>>) migration.get("phases");
        assertEquals(6, phases.size());
        @SuppressWarnings("unchecked")
        Map<String, Object> addColumn = ((List<Map<String, Object>>) phases.get(0).get("steps")).get(0);
        Map<?, ?> trace = (Map<?, ?>) addColumn.get("trace");
        assertEquals("ACCESS EXCLUSIVE", ((Map<?, ?>) trace.get("locks")).get("public.users"), "the traced lock of ADD COLUMN");
        assertEquals(List.of(), trace.get("rewritten"));
        @SuppressWarnings("unchecked")
        Map<String, Object> backfillWorkload = (Map<String, Object>) phases.get(2).get("workload");
        assertEquals(List.of("old", "new"), backfillWorkload.get("applications"));
        assertTrue((Long) backfillWorkload.get("rows_written") > 0);
        assertEquals(2L, backfillWorkload.get("dual_write_checks"), "up for the old application, down for the new one");
        assertTrue(((Map<?, ?>) json.get("timings")).containsKey("total_seconds"));

        String xml = ReportFormat.JUNIT.render(r);
        var schema = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI)
                .newSchema(new StreamSource(VerifyTest.class.getResourceAsStream("/dev/tandem/report/junit.xsd")));
        schema.newValidator().validate(new StreamSource(new StringReader(xml)));
        assertTrue(xml.contains("<testcase classname=\"0001_rename_full_name\" name=\"contract\""), xml);
        assertTrue(log.stream().anyMatch(l -> l.matches("verify: 1 migration verified in [0-9.]+ s .*")), String.join("\n", log));
    }

    @Test
    void rollbackThatLeavesTheTriggerBehindIsCaughtAtItsStep() {
        // the trigger (and so its function, which it depends on) stays after the dual-write rollback
        PlanSource broken = PlanEdits.editSteps(PlanEdits.editSteps(planner(), Phase.DUAL_WRITE, "CREATE TRIGGER",
                s -> s.withRollback(List.of("SELECT 1"))), Phase.DUAL_WRITE, "CREATE OR REPLACE FUNCTION",
                s -> s.withRollback(List.of("SELECT 1")));
        Report r = verify(broken);
        assertEquals(4, r.exitCode());
        List<Finding> f = errors(r, Verdict.ROLLBACK_NOT_EXACT);
        assertEquals(1, f.size(), r.findings().toString());
        String msg = f.get(0).message();
        assertTrue(msg.contains("rollback of 0001_rename_full_name dual-write did not restore the database"), msg);
        assertTrue(msg.contains("0001_rename_full_name dual-write step 2/2 \"create the sync trigger"), msg);
        assertTrue(msg.contains("tandem_sync_0001_rename_full_name"), "the diff shows the trigger: " + msg);
        assertTrue(f.get(0).file().endsWith(RENAME), f.get(0).file());
        assertEquals(3, f.get(0).line());
        assertFalse(caseNamed(r, "dual-write").passed());
        assertTrue(caseNamed(r, "expand").passed());
    }

    @Test
    void rewriteUnderAccessExclusiveDeclaredAsBriefIsCaught() {
        Step retype = new Step("retype password_hash (declared brief)",
                "ALTER TABLE public.users ALTER COLUMN password_hash TYPE text USING password_hash || ''",
                List.of("SELECT 1"), LockLevel.SHARE_UPDATE_EXCLUSIVE, "public.users", false, false, true, Optional.empty());
        PlanSource broken = (m, c) -> PlanEdits.editPhase(planner().plan(m, c), Phase.EXPAND, steps -> {
            steps.add(retype);
            return steps;
        });
        Report r = verify(broken);
        assertEquals(4, r.exitCode());
        List<Finding> stronger = errors(r, Verdict.LOCK_STRONGER);
        assertEquals(1, stronger.size(), r.findings().toString());
        assertEquals("0001_rename_full_name expand step 2/2 \"retype password_hash (declared brief)\" took ACCESS EXCLUSIVE"
                + " on public.users but declares SHARE UPDATE EXCLUSIVE", stronger.get(0).message());
        List<Finding> rewrite = errors(r, Verdict.REWRITE_UNDER_LOCK);
        assertEquals(1, rewrite.size(), r.findings().toString());
        assertTrue(rewrite.get(0).message().startsWith("0001_rename_full_name expand step 2/2 \"retype password_hash"
                + " (declared brief)\" rewrote public.users"), rewrite.get(0).message());
        assertTrue(rewrite.get(0).message().contains("while holding ACCESS EXCLUSIVE on public.users"), rewrite.get(0).message());
        assertTrue(r.cases().stream().filter(c -> !c.name().equals("expand")).allMatch(Case::passed), "only expand fails");
    }

    @Test
    void syncTriggerThatDoesNotSyncIsCaughtByTheDualWriteCheck() {
        // neither direction is synced by the dual-write function (switch-reads replaces it with a correct one)
        Report r = verify(PlanEdits.editSteps(planner(), Phase.DUAL_WRITE, "CREATE OR REPLACE FUNCTION",
                s -> PlanEdits.withSql(s, s.sql().replace("NEW.\"display_name\" := NEW.\"full_name\";", "NULL;")
                        .replace("NEW.\"full_name\" := NEW.\"display_name\";", "NULL;"))));
        assertEquals(4, r.exitCode());
        List<Finding> dualWrite = caseNamed(r, "dual-write").findings();
        assertTrue(dualWrite.stream().anyMatch(f -> f.rule().equals(Verdict.DUAL_WRITE) && f.message().startsWith(
                "0001_rename_full_name dual-write: dual-write: ") && f.message().contains(
                "display_name = \"full_name\" does not hold (rows the old application inserted in this phase)")), dualWrite.toString());
        List<Finding> backfill = caseNamed(r, "backfill").findings();
        assertTrue(backfill.stream().anyMatch(f -> f.rule().equals(Verdict.DUAL_WRITE) && f.message().contains(
                "full_name = \"display_name\" does not hold (all rows, after the new application's writes)")), backfill.toString());
    }

    @Test
    void stepWithoutRollbackIsCaught() {
        Report r = verify(PlanEdits.editSteps(planner(), Phase.EXPAND, "ALTER TABLE", s -> s.withRollback(List.of())));
        assertEquals(4, r.exitCode());
        List<Finding> f = errors(r, Verdict.NO_ROLLBACK);
        assertEquals(1, f.size(), r.findings().toString());
        assertEquals("0001_rename_full_name expand step 1/1 \"add column display_name (text) beside full_name\" has no rollback",
                f.get(0).message());
        assertFalse(errors(r, Verdict.ROLLBACK_NOT_EXACT).isEmpty(), "the column left behind shows in the fingerprint too");
    }

    @Test
    void migrationOptionCarriesEarlierOnesThroughPurgeAndSeedFileReplacesSyntheticRows(@org.junit.jupiter.api.io.TempDir
            java.nio.file.Path dir) throws Exception {
        java.nio.file.Files.writeString(dir.resolve("0001_rename_full_name.yaml"), dev.tandem.testing.LifecycleDriver.RENAME_YAML);
        java.nio.file.Files.writeString(dir.resolve("0002_rename_email.yaml"), """
                description: Rename users.email to email_address
                changes:
                  - rename_column: {table: users, column: email, to: email_address}
                """);
        java.nio.file.Path seed = dir.resolve("seed.sql");
        java.nio.file.Files.writeString(seed, "INSERT INTO users (email, full_name, password_hash)"
                + " SELECT 'u' || g || '@example.com', 'User ' || g, 'x' FROM generate_series(1, 120) g;");
        TestDatabase db = TestDatabase.create("verify_two");
        VerifyOptions o = options(db).withMigration("0002_rename_email");
        o = new VerifyOptions(o.scratch(), o.allowExisting(), o.baseSchema(), Optional.of(seed), o.rows(), o.migration(),
                o.all(), o.plan(), o.log(), o.verbose());
        Report r = new Verifier(o, planner()).run(ChangelogReader.readPath(dir));
        assertEquals(List.of(), r.findings().stream().filter(Finding::isError).toList());
        assertTrue(r.cases().stream().allMatch(c -> c.suite().equals("0002_rename_email")), r.cases().toString());
        assertTrue(log.stream().anyMatch(l -> l.startsWith("verify: 0001_rename_full_name carried through purge")), log.toString());
        @SuppressWarnings("unchecked")
        Map<String, Object> json = (Map<String, Object>) Json.parse(ReportFormat.JSON.render(r));
        @SuppressWarnings("unchecked")
        Map<String, Object> migration = ((List<Map<String, Object>>) json.get("migrations")).get(0);
        assertEquals(Map.of(), migration.get("seeded_rows"), "--seed replaces the synthetic rows");
        String steps = Json.write(migration.get("phases"));
        assertTrue(steps.contains("CREATE UNIQUE INDEX CONCURRENTLY") && steps.contains("pg_locks sampled while running"),
                "the index copy runs outside a transaction: " + steps);
    }
}
