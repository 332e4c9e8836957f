package dev.tandem.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.testing.Cli;
import dev.tandem.testing.Db;
import dev.tandem.testing.TestDatabase;
import dev.tandem.util.Json;
import java.sql.Connection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code tandem bench backfill --format json} prints the documented shape, one run per size, and cleans up. */
class CliBenchBackfillTest {
    @Test
    @SuppressWarnings("unchecked")
    void jsonHasOneRunPerSizeWithTheDocumentedKeys() throws Exception {
        TestDatabase db = TestDatabase.create("CliBenchBackfillTest");
        Map<String, String> env = new HashMap<>();
        env.put("TANDEM_USER", db.user());
        if (db.password() != null) {
            env.put("TANDEM_PASSWORD", db.password());
        }
        Cli.Result r = Cli.run(env, "bench", "backfill", "--rows", "2000,5000", "--url", db.jdbcUrl(), "--format", "json");
        assertEquals(0, r.code(), r.describe());
        List<Object> runs = (List<Object>) ((Map<String, Object>) Json.parse(r.out())).get("runs");
        assertEquals(2, runs.size(), r.out());
        for (int i = 0; i < 2; i++) {
            Map<String, Object> run = (Map<String, Object>) runs.get(i);
            assertEquals(List.of("rows", "update_rows_per_s", "backfill_rows_per_s", "ratio", "peak_heap_mb"), List.copyOf(run.keySet()));
            assertEquals(i == 0 ? 2000L : 5000L, ((Number) run.get("rows")).longValue());
            double u = ((Number) run.get("update_rows_per_s")).doubleValue();
            double b = ((Number) run.get("backfill_rows_per_s")).doubleValue();
            assertTrue(u > 0 && b > 0, run.toString());
            assertEquals(b / u, ((Number) run.get("ratio")).doubleValue(), 0.01 + 0.01 * b / u, run.toString());
            assertTrue(((Number) run.get("peak_heap_mb")).doubleValue() > 0, run.toString());
        }
        try (Connection c = db.connect()) {
            assertEquals(0L, Db.count(c, "SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'tandem_bench%'"), "bench schemas dropped");
        }
        Cli.Result bad = Cli.run(env, "bench", "backfill", "--rows", "0", "--url", db.jdbcUrl());
        assertEquals(2, bad.code(), bad.describe());
    }
}
