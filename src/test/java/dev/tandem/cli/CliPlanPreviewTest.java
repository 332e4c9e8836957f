package dev.tandem.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.estimate.EstimateModel;
import dev.tandem.testing.Cli;
import dev.tandem.testing.Db;
import dev.tandem.testing.SampleSchema;
import dev.tandem.testing.TestDatabase;
import dev.tandem.util.Json;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code tandem plan} opens with a per-phase preview (locks, rows, time, disk, deploys) and shows each sync function body once. */
class CliPlanPreviewTest {
    static Path sample(String name) {
        return SampleSchema.repoRoot().resolve("samples").resolve(name);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> phase(Map<String, Object> estimate, String name) {
        return ((List<Map<String, Object>>) estimate.get("phases")).stream().filter(p -> name.equals(p.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no phase " + name + " in " + estimate));
    }

    @Test
    @SuppressWarnings("unchecked")
    void withUrlTheRowsComeFromTheCatalogAndTheFiguresFollowTheModel() throws Exception {
        TestDatabase db = CliLifecycleTest.sampleDb("CliPlanPreviewTest_url", 3000);
        long reltuples;
        try (Connection c = db.connect()) {
            Db.exec(c, "ANALYZE users");
            reltuples = ((Number) Db.scalar(c, "SELECT reltuples::bigint FROM pg_class WHERE oid = 'public.users'::regclass")).longValue();
        }
        assertTrue(reltuples > 0, "analyzed");
        Cli.Result json = Cli.run(Cli.withDb(db, "plan", sample("split-full-name").toString(), "--format", "json"));
        assertEquals(0, json.code(), json.describe());
        Map<String, Object> m = ((List<Map<String, Object>>) ((Map<String, Object>) Json.parse(json.out())).get("migrations")).get(0);
        assertTrue(m.containsKey("phases") && m.containsKey("purge"), "the existing shape is kept");
        Map<String, Object> e = (Map<String, Object>) m.get("estimate");
        assertNotNull(e, json.out());
        Map<String, Object> backfill = phase(e, "backfill");
        assertEquals(reltuples, ((Number) backfill.get("rows_to_copy")).longValue(), backfill.toString());
        double expected = reltuples / (double) EstimateModel.DEFAULT.backfillRowsPerSecond();
        assertTrue(((Number) backfill.get("seconds")).doubleValue() >= expected, backfill.toString());
        assertTrue(((Number) backfill.get("extra_disk_bytes")).longValue() >= reltuples * EstimateModel.DEFAULT.tupleOverheadBytes(),
                backfill.toString());
        assertEquals(List.of("public.users"), backfill.get("tables"));
        Map<String, Object> expand = phase(e, "expand");
        assertEquals("ACCESS EXCLUSIVE", expand.get("strongest_lock"));
        assertEquals("brief", expand.get("lock_held"));
        assertEquals(Boolean.TRUE, expand.get("blocks_writes"));
        Map<String, Object> switchReads = phase(e, "switch-reads");
        assertNotNull(switchReads.get("seconds"), "validating a check scans a table whose rows are known: " + switchReads);
        assertTrue(String.valueOf(phase(e, "backfill").get("deploy_note")).contains("switch-reads"));
        assertEquals("purge", ((List<Map<String, Object>>) e.get("phases")).get(5).get("name"));

        Cli.Result text = Cli.run(Cli.withDb(db, "plan", sample("split-full-name").toString()));
        assertEquals(0, text.code(), text.describe());
        String out = text.out();
        assertTrue(out.startsWith("Summary"), out);
        int statements = out.indexOf("\nStatements\n");
        assertTrue(statements > 0, out);
        String summary = out.substring(0, statements);
        assertTrue(summary.contains(String.format(java.util.Locale.ROOT, "public.users (~%,d rows)", reltuples)), summary);
        assertTrue(summary.lines().anyMatch(l -> l.strip().startsWith("backfill") && l.contains(String.format(java.util.Locale.ROOT, "~%,d", reltuples))),
                summary);
        assertTrue(summary.contains("after switch-reads: "), summary);
        assertTrue(summary.lines().count() < 40, "one screen: " + summary);
        assertBodiesOnce(out.substring(statements));
    }

    @Test
    void offlineTheRowsAreUnknownAndEachBodyIsShownOnce() {
        for (String s : List.of("split-full-name", "int-to-bigint", "rename-column", "add-not-null-column")) {
            Cli.Result text = Cli.run("plan", sample(s).toString());
            assertEquals(0, text.code(), text.describe());
            assertTrue(text.out().contains("rows unknown"), text.out());
            assertBodiesOnce(text.out());
        }
        Cli.Result json = Cli.run("plan", sample("split-full-name").toString(), "--format", "json");
        @SuppressWarnings("unchecked")
        Map<String, Object> e = (Map<String, Object>) ((List<Map<String, Object>>) ((Map<String, Object>) Json.parse(json.out()))
                .get("migrations")).get(0).get("estimate");
        assertEquals(Boolean.TRUE, e.get("offline"));
        assertNull(phase(e, "backfill").get("rows_to_copy"), e.toString());
        assertNull(e.get("seconds"), e.toString());
    }

    /** Every function body (the text between its $tag$ delimiters) appears once; a repeated definition names where it was shown. */
    static void assertBodiesOnce(String out) {
        Matcher m = Pattern.compile("(?s)FUNCTION [^\\n]*? AS (\\$[a-z_]*\\$)\\n(.*?)\\1").matcher(out);
        java.util.Set<String> bodies = new java.util.HashSet<>();
        int n = 0;
        while (m.find()) {
            n++;
            assertTrue(bodies.add(m.group(2).replaceAll("(?m)^\\s+", "")), "a body is printed twice:\n" + m.group(2));
        }
        assertTrue(n > 0 || !out.contains("FUNCTION"), out);
    }
}
