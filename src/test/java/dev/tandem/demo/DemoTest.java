package dev.tandem.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.testing.Cli;
import dev.tandem.testing.TestDatabase;
import dev.tandem.util.Json;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code tandem demo} end to end on a real database: a short rename run under live traffic (small
 * scale, 0.8 s per phase) must have zero failed requests in every Tandem phase, a well-formed JSON
 * report on stdout, one live line per phase on stderr, and a naive run whose old-version requests
 * fail after the plain RENAME. Latency targets are not asserted here (they are benchmark figures).
 */
class DemoTest {
    private static TestDatabase db;

    @BeforeAll
    static void database() {
        db = TestDatabase.create("demo");
    }

    private static Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        if (db.password() != null) {
            env.put("TANDEM_PASSWORD", db.password());
        }
        return env;
    }

    @Test
    void renameUnderTrafficHasNoFailuresAndTheNaiveRenameBreaksOldClients() throws Exception {
        Cli.Result r = Cli.run(env(), "demo", "--url", db.jdbcUrl(), "--user", db.user(), "--schema", "demo_rename",
                "--scale", "small", "--duration", "0.8", "--rate", "100", "--pool", "4", "--format", "json");
        assertEquals(0, r.code(), r.describe());

        Map<?, ?> report = (Map<?, ?>) Json.parse(r.out());
        assertEquals("rename", report.get("scenario"));
        assertEquals(Boolean.TRUE, report.get("rollback_exact"), r.describe());
        List<?> modes = (List<?>) report.get("modes");
        assertEquals(2, modes.size());
        Map<?, ?> tandem = (Map<?, ?>) modes.get(0);
        Map<?, ?> naive = (Map<?, ?>) modes.get(1);
        assertEquals("tandem", tandem.get("mode"));
        assertEquals("naive", naive.get("mode"));

        List<Map<?, ?>> tandemPhases = phases(tandem);
        assertEquals(List.of("baseline", "expand", "dual-write", "backfill", "rollout", "switch-reads", "contract"),
                tandemPhases.stream().map(p -> p.get("phase")).toList());
        for (Map<?, ?> p : tandemPhases) {
            wellFormed(p);
            assertEquals(0L, p.get("failed"), "Tandem phase " + p.get("phase") + " had failed requests: " + p.get("errors"));
        }
        Map<?, ?> backfill = tandemPhases.get(3);
        assertTrue(((Number) backfill.get("backfill_rows_per_s")).doubleValue() > 0, "backfill rows/s: " + backfill);

        List<Map<?, ?>> naivePhases = phases(naive);
        assertEquals(List.of("baseline", "ddl", "rollout", "after"), naivePhases.stream().map(p -> p.get("phase")).toList());
        naivePhases.forEach(DemoTest::wellFormed);
        assertEquals(0L, naivePhases.get(0).get("failed"), "the naive baseline runs before the DDL");
        long naiveFailed = naivePhases.stream().mapToLong(p -> (Long) p.get("failed")).sum();
        assertTrue(naiveFailed > 0, "old-version requests must fail after a plain RENAME COLUMN: " + naivePhases);
        assertTrue(naivePhases.get(1).get("errors").toString().contains("full_name"), naivePhases.get(1).toString());
        assertEquals(0L, naivePhases.get(3).get("failed"), "new-version clients work after the rename");

        Map<?, ?> trigger = (Map<?, ?>) report.get("trigger_cost");
        assertTrue((Long) trigger.get("writes_per_s_without") > 0 && (Long) trigger.get("writes_per_s_with") > 0, trigger.toString());
        assertEquals(4, ((List<?>) report.get("targets")).size());

        for (String phase : List.of("baseline", "expand", "dual-write", "backfill", "rollout", "switch-reads", "contract")) {
            assertTrue(r.err().contains("tandem " + String.format("%-13s", phase)), "no live line for " + phase + ":\n" + r.err());
        }
        assertFalse(r.all().contains("liquibase") || r.all().contains("INFO"), "library noise in the output:\n" + r.all());

        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT string_agg(attname, ',' ORDER BY attnum) FROM pg_attribute"
                     + " WHERE attrelid = 'demo_rename.users'::regclass AND attnum > 0 AND NOT attisdropped")) {
            rs.next();
            List<String> columns = List.of(rs.getString(1).split(","));
            assertTrue(columns.contains("display_name") && !columns.contains("full_name"),
                    "the naive run renamed the column, the Tandem run left nothing behind: " + columns);
            assertFalse(columns.stream().anyMatch(col -> col.startsWith("tandem_")), columns.toString());
        }
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"bigint", "not-null"})
    void theOtherScenariosRunWithoutFailedRequestsAndRollBackExactly(String scenario) throws Exception {
        String schema = "demo_" + scenario.replace('-', '_');
        Cli.Result r = Cli.run(env(), "demo", "--url", db.jdbcUrl(), "--user", db.user(), "--schema", schema,
                "--scenario", scenario, "--scale", "small", "--duration", "0.8", "--rate", "100", "--pool", "4", "--format", "json");
        assertEquals(0, r.code(), r.describe());
        Map<?, ?> report = (Map<?, ?>) Json.parse(r.out());
        assertEquals(scenario, report.get("scenario"));
        assertEquals(Boolean.TRUE, report.get("rollback_exact"), r.describe());
        List<?> modes = (List<?>) report.get("modes");
        List<Map<?, ?>> tandemPhases = phases((Map<?, ?>) modes.get(0));
        assertEquals(7, tandemPhases.size());
        for (Map<?, ?> p : tandemPhases) {
            wellFormed(p);
            assertEquals(0L, p.get("failed"), scenario + ": Tandem phase " + p.get("phase") + " had failed requests: " + p.get("errors"));
        }
        assertTrue(((Number) tandemPhases.get(3).get("backfill_rows_per_s")).doubleValue() > 0, tandemPhases.get(3).toString());
        List<Map<?, ?>> naivePhases = phases((Map<?, ?>) modes.get(1));
        assertTrue(((Number) naivePhases.get(1).get("requests")).longValue() > 0, "the naive DDL ran under traffic: " + naivePhases);
    }

    @Test
    void badTrafficSettingsAreBadInput() {
        Cli.Result r = Cli.run(env(), "demo", "--rate", "0");
        assertEquals(2, r.code(), r.describe());
        assertTrue(r.err().contains("--rate"), r.describe());
    }

    private static List<Map<?, ?>> phases(Map<?, ?> mode) {
        List<Map<?, ?>> out = new ArrayList<>();
        for (Object o : (List<?>) mode.get("phases")) {
            out.add((Map<?, ?>) o);
        }
        return out;
    }

    private static void wellFormed(Map<?, ?> p) {
        String where = "phase " + p;
        assertTrue((Long) p.get("requests") > 0, where);
        assertTrue((Long) p.get("failed") >= 0 && (Long) p.get("failed") <= (Long) p.get("requests"), where);
        double p50 = ((Number) p.get("p50_ms")).doubleValue();
        double p99 = ((Number) p.get("p99_ms")).doubleValue();
        double max = ((Number) p.get("max_ms")).doubleValue();
        assertTrue(p50 > 0 && p50 <= p99 && p99 <= max, where);
        assertTrue((Long) p.get("max_lock_wait_ms") >= 0, where);
        assertTrue(((Number) p.get("seconds")).doubleValue() >= 0.8, where);
        assertTrue(p.get("errors") instanceof Map, where);
    }
}
