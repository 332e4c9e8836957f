package dev.tandem.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.testing.Cli;
import dev.tandem.testing.SampleSchema;
import dev.tandem.util.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code tandem verify} over the 32-migration changelog of {@code ChangelogSequenceTest}: every
 * intent kind, each migration exercised phase by phase (lock trace, app writes, exact rollback) on
 * top of the ones before it. Nothing may fail; the one expected warning is the rollback of an in-place
 * varchar widening, which narrows the column back and so rewrites the table.
 */
class VerifySequenceTest {
    @Test
    @SuppressWarnings("unchecked")
    void everyIntentKindPassesVerify() {
        String changelog = SampleSchema.repoRoot().resolve("src/test/resources/sequence").toString();
        Cli.Result r = Cli.run("verify", changelog, "--rows", "150", "--format", "json");
        assertEquals(0, r.code(), r.describe());
        Map<String, Object> root = (Map<String, Object>) Json.parse(r.out());
        List<Map<String, Object>> findings = (List<Map<String, Object>>) root.get("findings");
        assertTrue(findings.stream().allMatch(f -> f.get("severity").equals("warning")), r.out());
        assertTrue(findings.stream().allMatch(f -> ((String) f.get("file")).endsWith("0020_widen_nickname.yaml")),
                "only the widening's rollback rewrites: " + findings);
        assertEquals(32 * 7, ((List<?>) root.get("cases")).size());
    }
}
