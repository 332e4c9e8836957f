package dev.tandem.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.testing.ChildTandem;
import dev.tandem.testing.Cli;
import dev.tandem.testing.Db;
import dev.tandem.testing.SampleSchema;
import dev.tandem.testing.TestDatabase;
import dev.tandem.util.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tandem plan} through the command line: offline, against a live catalog, every format. */
class CliPlanTest {
    static final List<String> PHASES = List.of("expand", "dual-write", "backfill", "switch-reads", "contract");
    static final List<String> STEP_KEYS = List.of("sql", "rollback", "lock", "table", "rewrite", "scan", "transactional");

    @TempDir
    Path tmp;

    static Path changelogs() {
        return SampleSchema.repoRoot().resolve("changelogs");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        assertTrue(o instanceof Map, () -> "expected a JSON object, got " + o);
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object o) {
        assertTrue(o instanceof List, () -> "expected a JSON array, got " + o);
        return (List<Object>) o;
    }

    /** Checks the documented shape of one migration in plan JSON; returns the expand steps. */
    static List<Object> checkShape(Map<String, Object> migration) {
        List<Object> phases = list(migration.get("phases"));
        List<String> names = new ArrayList<>();
        for (Object p : phases) {
            names.add((String) map(p).get("name"));
        }
        assertEquals(PHASES, names, "five phases, exactly these names, in this order");
        for (Object p : phases) {
            List<Object> steps = list(map(p).get("steps"));
            for (Object s : steps) {
                Map<String, Object> step = map(s);
                for (String k : STEP_KEYS) {
                    assertTrue(step.containsKey(k), () -> "step of phase " + map(p).get("name") + " lacks key '" + k + "': " + step);
                }
                assertTrue(step.get("sql") instanceof String sql && !sql.isBlank(), () -> "sql: " + step);
                assertTrue(step.get("lock") instanceof String, () -> "lock: " + step);
                assertTrue(step.get("rewrite") instanceof Boolean, () -> "rewrite: " + step);
                assertTrue(step.get("scan") instanceof Boolean, () -> "scan: " + step);
                assertTrue(step.get("transactional") instanceof Boolean, () -> "transactional: " + step);
            }
        }
        return list(map(phases.get(0)).get("steps"));
    }

    @Test
    void offlineJsonHasTheDocumentedShape() {
        Cli.Result r = Cli.run("plan", changelogs().toString(), "--format", "json");
        assertEquals(0, r.code(), r.describe());
        Map<String, Object> doc = map(Json.parse(r.out()));
        List<Object> migrations = list(doc.get("migrations"));
        assertEquals(1, migrations.size(), r.out());
        Map<String, Object> m = map(migrations.get(0));
        assertEquals("0001_rename_full_name", m.get("id"));
        assertEquals(Boolean.TRUE, m.get("offline"));
        List<Object> expand = checkShape(m);
        assertFalse(expand.isEmpty(), "expand has the add-column step");
        String sql = (String) map(expand.get(0)).get("sql");
        assertTrue(sql.contains("\"display_name\""), sql);
        // every phase but switch-reads/contract of a rename has work; backfill is never empty
        List<Object> phases = list(m.get("phases"));
        assertFalse(list(map(phases.get(2)).get("steps")).isEmpty(), "backfill has a step");
    }

    @Test
    void withUrlJsonUsesTheRealTypeAndStdoutIsOnlyJson() throws Exception {
        TestDatabase db = TestDatabase.create("CliPlanTest_url");
        try (Connection c = db.connect()) {
            SampleSchema.load(c);
            Cli.Result r = Cli.run(Cli.withDb(db, "plan", changelogs().toString(), "--format", "json"));
            assertEquals(0, r.code(), r.describe());
            // the whole of stdout must be one JSON document (Json.parse refuses trailing text)
            Map<String, Object> doc = map(Json.parse(r.out()));
            Map<String, Object> m = map(list(doc.get("migrations")).get(0));
            assertEquals("0001_rename_full_name", m.get("id"));
            assertEquals(Boolean.FALSE, m.get("offline"));
            List<Object> expand = checkShape(m);
            String sql = (String) map(expand.get(0)).get("sql");
            assertTrue(sql.matches("(?s).*\"display_name\" text\\b.*"), "real type text in: " + sql);
            assertFalse(sql.contains("<type of"), sql);
            assertFalse(r.err().contains("{"), "no JSON on stderr: " + r.err());
            // planning is read-only: no state schema
            assertEquals(-1, Db.tandemMigrationRows(c));
            assertEquals(0L, Db.count(c, "SELECT count(*) FROM pg_namespace WHERE nspname = 'tandem'"));
        }
    }

    /** The real process: nothing but the JSON may reach file descriptor 1 (no library banners, no logs). */
    @Test
    void withUrlRealProcessStdoutIsOnlyJson() throws Exception {
        TestDatabase db = TestDatabase.create("CliPlanTest_proc");
        try (Connection c = db.connect()) {
            SampleSchema.load(c);
        }
        List<String> args = new ArrayList<>(List.of("plan", changelogs().toString(), "--format", "json"));
        args.addAll(Cli.dbArgs(db));
        try (ChildTandem child = ChildTandem.start(tmp, args)) {
            assertEquals(0, child.waitFor(120), child.describe());
            Map<String, Object> doc = map(Json.parse(child.stdout()));
            assertEquals("0001_rename_full_name", map(list(doc.get("migrations")).get(0)).get("id"));
        }
    }

    @Test
    void otherFormatsWorkAndUnknownFormatIsExit2() {
        for (String f : List.of("sql", "markdown", "text")) {
            Cli.Result r = Cli.run("plan", changelogs().toString(), "--format", f);
            assertEquals(0, r.code(), f + ": " + r.describe());
            assertFalse(r.out().isBlank(), f + ": empty output");
            assertTrue(r.out().contains("display_name"), f + ": " + r.out());
        }
        Cli.Result sql = Cli.run("plan", changelogs().toString(), "--format", "sql");
        assertTrue(sql.out().contains("ALTER TABLE"), sql.out());

        Cli.Result xml = Cli.run("plan", changelogs().toString(), "--format", "xml");
        assertEquals(2, xml.code(), xml.describe());
        assertTrue(xml.err().contains("xml"), xml.err());
        assertEquals("", xml.out(), "nothing on stdout for a usage error");
    }

    @Test
    void fiftyMigrationsOfflineTiming() throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("many"));
        for (int i = 1; i <= 50; i++) {
            Files.writeString(dir.resolve(String.format("%04d_rename_c%d.yaml", i, i)),
                    "description: rename c" + i + "\nchanges:\n  - rename_column:\n      table: t" + (i % 7)
                            + "\n      column: c" + i + "\n      to: d" + i + "\n");
        }
        for (String f : List.of("json", "text", "sql", "markdown")) {
            long t0 = System.nanoTime();
            Cli.Result r = Cli.run("plan", dir.toString(), "--format", f);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(0, r.code(), r.describe());
            System.out.printf("CliPlanTest: plan of 50 migrations offline, --format %s: %d ms, %d chars%n", f, ms, r.out().length());
            if (f.equals("json")) {
                List<Object> ms50 = list(map(Json.parse(r.out())).get("migrations"));
                assertEquals(50, ms50.size());
                assertEquals("0001_rename_c1", map(ms50.get(0)).get("id"));
                assertEquals("0050_rename_c50", map(ms50.get(49)).get("id"));
                for (Object m : ms50) {
                    assertNotNull(checkShape(map(m)));
                }
            }
        }
    }
}
