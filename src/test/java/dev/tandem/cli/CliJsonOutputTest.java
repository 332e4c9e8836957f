package dev.tandem.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.testing.Cli;
import dev.tandem.testing.TestDatabase;
import dev.tandem.util.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every command accepts {@code --format json}; its result and its failures are parseable JSON on stdout. */
class CliJsonOutputTest {
    static final String ID = "0001_rename_full_name";

    @TempDir
    Path tmp;

    @SuppressWarnings("unchecked")
    static Map<String, Object> parse(Cli.Result r) {
        Object doc = Json.parse(r.out());
        assertTrue(doc instanceof Map, r.describe());
        return (Map<String, Object>) doc;
    }

    static Map<String, Object> error(int code, Cli.Result r) {
        assertEquals(code, r.code(), r.describe());
        Map<String, Object> e = parse(r);
        assertEquals(Boolean.TRUE, e.get("error"), r.describe());
        assertEquals((long) code, ((Number) e.get("exit_code")).longValue(), r.describe());
        assertNotNull(e.get("message"), r.describe());
        return e;
    }

    static Cli.Result run(TestDatabase db, String... args) {
        List<String> a = new ArrayList<>(List.of(args));
        a.addAll(Cli.dbArgs(db));
        a.add("--format");
        a.add("json");
        return Cli.run(a.toArray(String[]::new));
    }

    @Test
    void failuresOfEveryCommandAreJsonObjects() throws Exception {
        TestDatabase db = CliLifecycleTest.sampleDb("CliJsonOutputTest_errors", 20);
        Path bad = tmp.resolve("0001_bad.yaml");
        Files.writeString(bad, "description: x\nchanges:\n  - rename_column:\n      table: users\n      colum: full_name\n      to: y\n",
                StandardCharsets.UTF_8);
        for (Cli.Result r : List.of(run(db, "plan", bad.toString()), run(db, "apply", bad.toString()))) {
            Map<String, Object> e = error(2, r);
            String cmd = r.describe();
            assertEquals(bad.toString(), e.get("file"), cmd + ": " + e);
            assertTrue(((Number) e.get("line")).intValue() >= 3, cmd + ": " + e);
            assertTrue(e.get("column") instanceof Number, cmd + ": " + e);
        }
        for (String[] cmd : List.of(new String[] {"switch-reads", "0099_nope"}, new String[] {"contract", "0099_nope", "--yes"},
                new String[] {"purge", "0099_nope", "--yes"}, new String[] {"rollback", "0099_nope"},
                new String[] {"backfill", "0099_nope"})) {
            Map<String, Object> e = error(2, run(db, cmd));
            assertTrue(String.valueOf(e.get("message")).contains("0099_nope"), e.toString());
        }
        error(2, run(db, "switch-reads")); // usage error: the id is missing
        error(2, run(db, "snapshot", "--schema", ","));
        error(2, Cli.run("lint", tmp.resolve("missing.sql").toString(), "--format", "json"));
        error(4, run(db, "wait", "0099_nope", "--until", "backfill", "--timeout", "0s"));
        error(2, Cli.run("status", "--url", "mysql://x/y", "--format", "json"));
        // a password never shows, not even in a JSON error
        Cli.Result r = Cli.run("status", "--url", "postgresql://u:s3cretpw@127.0.0.1:1/db", "--format", "json");
        error(1, r);
        assertFalse(r.all().contains("s3cretpw"), r.describe());
    }

    @Test
    void resultsOfEveryCommandParse() throws Exception {
        TestDatabase db = CliLifecycleTest.sampleDb("CliJsonOutputTest_results", 50);
        Path dir = Files.createDirectories(tmp.resolve("cl"));
        Files.writeString(dir.resolve(ID + ".yaml"), CliLifecycleTest.rename("users", "full_name", "display_name"));
        assertTrue(parse(ok(run(db, "plan", dir.toString()))).containsKey("migrations"));
        parse(ok(run(db, "apply", dir.toString(), "--to", "dual-write")));
        assertEquals(ID, parse(ok(run(db, "backfill", ID))).get("id"));
        assertEquals(ID, parse(ok(run(db, "wait", ID, "--until", "backfill", "--timeout", "5s"))).get("id"));
        parse(ok(run(db, "status", dir.toString())));
        assertEquals("switch-reads", parse(ok(run(db, "switch-reads", ID))).get("action"));
        assertEquals("contract", parse(ok(run(db, "contract", ID, "--yes"))).get("action"));
        assertEquals(List.of("contract"), parse(ok(run(db, "rollback", ID))).get("rolled_back"));
        Map<String, Object> history = parse(ok(run(db, "history", ID)));
        List<?> entries = (List<?>) history.get("history");
        assertFalse(entries.isEmpty(), history.toString());
        parse(ok(run(db, "snapshot")));
        parse(ok(Cli.run("check", dir.toString(), "--format", "json")));
    }

    static Cli.Result ok(Cli.Result r) {
        assertEquals(0, r.code(), r.describe());
        return r;
    }
}
