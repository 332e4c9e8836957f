package dev.tandem.cli.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.util.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The BACKFILL column of {@code tandem status}: a progress summary from the checkpoint's numbers. */
class StatusBackfillRenderTest {
    private static Map<String, Object> row(Map<String, Object> backfill) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", "0001_x");
        row.put("phase", "dual-write");
        row.put("status", "interrupted");
        row.put("checksum_ok", true);
        row.put("backfill", backfill);
        return row;
    }

    private static Map<String, Object> running(boolean paused, String throttle) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("pass", "copy");
        b.put("finished", false);
        b.put("percent", 45.2);
        b.put("rows_done", 452000L);
        b.put("rows_estimate", 1000000L);
        b.put("rows_copied", 451000L);
        b.put("rows_repaired", 0L);
        b.put("rows_per_s", 52000L);
        b.put("eta_s", 11L);
        b.put("throttle", throttle);
        b.put("paused", paused);
        return b;
    }

    @Test
    void runningBackfillShowsPercentRateEtaAndWhyItWaits() {
        String text = StatusRenderer.text(List.of(row(running(true, "paused by ops@host"))));
        assertTrue(text.contains("copy 45.2% 452000/1000000 rows, 52000 rows/s, ETA 11 s, PAUSED, waiting: paused by ops@host"), text);
        String plain = StatusRenderer.text(List.of(row(running(false, null))));
        assertTrue(plain.contains("52000 rows/s, ETA 11 s") && !plain.contains("PAUSED") && !plain.contains("waiting"), plain);
    }

    @Test
    @SuppressWarnings("unchecked")
    void finishedBackfillShowsCountsAndJsonKeepsEveryNumber() {
        Map<String, Object> done = running(false, null);
        done.put("finished", true);
        done.put("rows_repaired", 3L);
        String text = StatusRenderer.text(List.of(row(done)));
        assertTrue(text.contains("done: 451000 copied, 3 repaired"), text);
        Map<String, Object> doc = (Map<String, Object>) Json.parse(StatusRenderer.json(List.of(row(done))));
        Map<String, Object> b = (Map<String, Object>) ((Map<String, Object>) ((List<Object>) doc.get("migrations")).get(0)).get("backfill");
        assertEquals(45.2, ((Number) b.get("percent")).doubleValue());
        assertEquals(3L, ((Number) b.get("rows_repaired")).longValue());
    }
}
