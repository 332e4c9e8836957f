package dev.tandem.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.catalog.Fingerprint;
import dev.tandem.testing.Cli;
import dev.tandem.testing.TestDatabase;
import dev.tandem.util.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Sweeps of every command, enumerated from {@link Main}'s picocli spec so that a new command fails
 * here until it is covered: each takes {@code --format json} and prints parseable JSON on stdout
 * for a result and for a failure; each command with {@code --dry-run} leaves the fingerprint of the
 * database (application and state schemas, data included) unchanged.
 */
class CliCommandSweepTest {
    static final String ID = CliLifecycleTest.ID;
    /** Commands whose output is not a result document: picocli's usage text and the completion script. */
    static final Set<String> NOT_RESULTS = Set.of("help", "generate-completion");

    @TempDir
    Path tmp;

    /** Runnable commands as their words ("plan", "bench backfill"), leaves of the command tree. */
    static Map<String, CommandLine> commands() {
        Map<String, CommandLine> out = new LinkedHashMap<>();
        collect("", new CommandLine(new Main()), out);
        return out;
    }

    private static void collect(String prefix, CommandLine cl, Map<String, CommandLine> out) {
        for (Map.Entry<String, CommandLine> e : cl.getSubcommands().entrySet()) {
            String name = (prefix + " " + e.getKey()).strip();
            if (e.getValue().getSubcommands().isEmpty()) {
                out.put(name, e.getValue());
            } else {
                collect(name, e.getValue(), out);
            }
        }
    }

    private static Map<String, Object> parse(Cli.Result r, String what) {
        Object doc;
        try {
            doc = Json.parse(r.out());
        } catch (RuntimeException e) {
            throw new AssertionError(what + ": stdout is not JSON\n" + r.describe(), e);
        }
        assertTrue(doc instanceof Map, what + ": " + r.describe());
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) doc;
        return m;
    }

    private static String[] json(String... args) {
        List<String> a = new ArrayList<>(List.of(args));
        a.add("--format");
        a.add("json");
        return a.toArray(String[]::new);
    }

    @Test
    void everyCommandPrintsJsonForItsResultAndItsFailure() throws Exception {
        Map<String, CommandLine> commands = commands();
        for (Map.Entry<String, CommandLine> e : commands.entrySet()) {
            if (!NOT_RESULTS.contains(e.getKey())) {
                assertNotNull(e.getValue().getCommandSpec().findOption("--format"), e.getKey() + " has no --format");
            }
        }
        TestDatabase db = CliLifecycleTest.sampleDb("CliCommandSweepTest_json", 30);
        Path cl = Files.createDirectories(tmp.resolve("cl"));
        Files.writeString(cl.resolve(ID + ".yaml"), CliLifecycleTest.rename("users", "full_name", "display_name"));
        Path missing = tmp.resolve("missing");
        Path sql = tmp.resolve("ok.sql");
        Files.writeString(sql, "SELECT 1;\n");
        Path lb = tmp.resolve("lb.yaml");
        Files.writeString(lb, "databaseChangeLog:\n  - changeSet:\n      id: 1\n      author: a\n      changes:\n"
                + "        - renameColumn: {tableName: users, oldColumnName: full_name, newColumnName: display_name}\n");
        List<String> d = Cli.dbArgs(db);

        // a failure of every command: {"error": true, "exit_code", "message"}
        Map<String, Object[]> failures = new LinkedHashMap<>();
        failures.put("plan", new Object[] {2, new String[] {"plan", missing.toString()}});
        failures.put("apply", new Object[] {2, withDb(d, "apply", missing.toString())});
        failures.put("switch-reads", new Object[] {2, withDb(d, "switch-reads", "0099_nope")});
        failures.put("contract", new Object[] {2, withDb(d, "contract", "0099_nope", "--yes")});
        failures.put("purge", new Object[] {2, withDb(d, "purge", "0099_nope", "--yes")});
        failures.put("rollback", new Object[] {2, withDb(d, "rollback", "0099_nope")});
        failures.put("backfill", new Object[] {2, withDb(d, "backfill", "0099_nope")});
        failures.put("status", new Object[] {2, new String[] {"status", "--url", "mysql://x/y"}});
        failures.put("history", new Object[] {2, new String[] {"history", "--url", "mysql://x/y"}});
        failures.put("wait", new Object[] {4, withDb(d, "wait", "0099_nope", "--until", "backfill", "--timeout", "0s")});
        failures.put("snapshot", new Object[] {2, withDb(d, "snapshot", "--schema", ",")});
        failures.put("check", new Object[] {2, new String[] {"check", missing.toString()}});
        failures.put("lint", new Object[] {2, new String[] {"lint", missing.toString()}});
        failures.put("verify", new Object[] {2, new String[] {"verify", missing.toString()}});
        failures.put("import", new Object[] {2, new String[] {"import", missing.toString(), "-o", tmp.resolve("out0").toString()}});
        failures.put("demo", new Object[] {2, new String[] {"demo", "--scenario", "nope"}});
        failures.put("bench backfill", new Object[] {2, new String[] {"bench", "backfill", "--rows", "many"}});
        failures.put("baseline", new Object[] {2, withDb(d, "baseline", cl.toString(), "--to", "0099_nope")});
        failures.put("repair", new Object[] {2, withDb(d, "repair", "0099_nope", cl.toString())});
        String noFleet = tmp.resolve("no-fleet.yaml").toString(); // a fleet file that does not exist: exit 2
        failures.put("fleet plan", new Object[] {2, new String[] {"fleet", "plan", cl.toString(), "--fleet", noFleet}});
        failures.put("fleet apply", new Object[] {2, new String[] {"fleet", "apply", cl.toString(), "--fleet", noFleet}});
        failures.put("fleet switch-reads", new Object[] {2, new String[] {"fleet", "switch-reads", ID, "--fleet", noFleet}});
        failures.put("fleet contract", new Object[] {2, new String[] {"fleet", "contract", ID, "--yes", "--fleet", noFleet}});
        failures.put("fleet rollback", new Object[] {2, new String[] {"fleet", "rollback", ID, "--all", "--fleet", noFleet}});
        failures.put("fleet status", new Object[] {2, new String[] {"fleet", "status", cl.toString(), "--fleet", noFleet}});
        Set<String> uncovered = new TreeSet<>(commands.keySet());
        uncovered.removeAll(NOT_RESULTS);
        uncovered.removeAll(failures.keySet());
        assertEquals(Set.of(), uncovered, "add a failing --format json run for the new command");
        for (Map.Entry<String, Object[]> f : failures.entrySet()) {
            int code = (Integer) f.getValue()[0];
            Cli.Result r = Cli.run(json((String[]) f.getValue()[1]));
            assertEquals(code, r.code(), f.getKey() + ": " + r.describe());
            Map<String, Object> e = parse(r, f.getKey());
            assertEquals(Boolean.TRUE, e.get("error"), f.getKey() + ": " + e);
            assertEquals((long) code, ((Number) e.get("exit_code")).longValue(), f.getKey());
            assertTrue(e.get("message") instanceof String, f.getKey() + ": " + e);
        }

        // a result of every command (in lifecycle order); the slow ones are covered by their own tests
        Map<String, String> elsewhere = Map.of(
                "verify", "CliVerifyTest parses verify --format json (an embedded scratch server per run)",
                "demo", "DemoTest runs the demo (a server and live traffic)",
                "bench backfill", "CliBenchBackfillTest parses bench backfill --format json",
                "fleet plan", "FleetRolloutTest parses every fleet command's --format json (two servers, 12 databases)",
                "fleet apply", "FleetRolloutTest", "fleet switch-reads", "FleetRolloutTest", "fleet contract", "FleetRolloutTest",
                "fleet rollback", "FleetRolloutTest", "fleet status", "FleetRolloutTest and FleetKillTest");
        List<String[]> results = List.of(
                new String[] {"plan", cl.toString()}, withDb(d, "plan", cl.toString()),
                withDb(d, "apply", cl.toString(), "--to", "dual-write"), withDb(d, "backfill", ID),
                withDb(d, "wait", ID, "--until", "backfill", "--timeout", "5s"), withDb(d, "status", cl.toString()),
                withDb(d, "repair", ID, cl.toString()), withDb(d, "switch-reads", ID), withDb(d, "contract", ID, "--yes"),
                withDb(d, "rollback", ID), withDb(d, "contract", ID, "--yes"), withDb(d, "purge", ID, "--yes"),
                withDb(d, "history", ID), withDb(d, "snapshot"), new String[] {"check", cl.toString()},
                new String[] {"lint", sql.toString()}, new String[] {"import", lb.toString(), "-o", tmp.resolve("out").toString()},
                withDb(d, "baseline", cl.toString(), "--to", ID, "--dry-run"));
        Set<String> ran = new TreeSet<>();
        for (String[] args : results) {
            Cli.Result r = Cli.run(json(args));
            String what = String.join(" ", args);
            boolean refusedBaseline = args[0].equals("baseline"); // ID is known by now: a JSON error, exit 2
            assertEquals(refusedBaseline ? 2 : 0, r.code(), what + ": " + r.describe());
            parse(r, what);
            ran.add(args[0]);
        }
        List<String> other = Cli.dbArgs(CliLifecycleTest.sampleDb("CliCommandSweepTest_baseline", 5));
        Path base = tmp.resolve("base.json");
        ok(withDb(other, "snapshot", "-o", base.toString()));
        Cli.Result differs = Cli.run(json(withDb(other, "baseline", cl.toString(), "--to", ID, "--base-snapshot", base.toString())));
        assertEquals(4, differs.code(), differs.describe());
        assertEquals(Boolean.FALSE, parse(differs, "baseline").get("matched"));
        Set<String> missingResults = new TreeSet<>(commands.keySet());
        missingResults.removeAll(NOT_RESULTS);
        missingResults.removeAll(ran);
        missingResults.removeAll(elsewhere.keySet());
        assertEquals(Set.of(), missingResults, "add a successful --format json run for the new command");
    }

    @Test
    void everyDryRunLeavesTheFingerprintUnchanged() throws Exception {
        Set<String> withDryRun = new TreeSet<>();
        commands().forEach((name, c) -> {
            if (c.getCommandSpec().findOption("--dry-run") != null) {
                withDryRun.add(name);
            }
        });
        TestDatabase db = CliLifecycleTest.sampleDb("CliCommandSweepTest_dry", 40);
        Path cl = Files.createDirectories(tmp.resolve("dry"));
        Path file = cl.resolve(ID + ".yaml");
        Files.writeString(file, CliLifecycleTest.rename("users", "full_name", "display_name"));
        List<String> d = Cli.dbArgs(db);
        Set<String> swept = new TreeSet<>();
        try (Connection c = db.connect()) {
            // before anything: no state schema yet
            dry(c, swept, withDb(d, "apply", cl.toString(), "--dry-run"));
            Path base = tmp.resolve("dry-base.json");
            ok(withDb(d, "snapshot", "-o", base.toString()));
            dry(c, swept, withDb(d, "baseline", cl.toString(), "--to", ID, "--base-snapshot", base.toString(), "--dry-run"), 4);
            ok(withDb(d, "apply", cl.toString(), "--to", "dual-write"));
            dry(c, swept, withDb(d, "backfill", ID, "--dry-run"));
            ok(withDb(d, "backfill", ID));
            dry(c, swept, withDb(d, "switch-reads", ID, "--dry-run"));
            Files.writeString(file, "# a comment\n" + CliLifecycleTest.rename("users", "full_name", "display_name"));
            dry(c, swept, withDb(d, "repair", ID, cl.toString(), "--dry-run"));
            ok(withDb(d, "repair", ID, cl.toString()));
            ok(withDb(d, "switch-reads", ID));
            dry(c, swept, withDb(d, "contract", ID, "--dry-run"));
            dry(c, swept, withDb(d, "rollback", ID, "--dry-run"));
            ok(withDb(d, "contract", ID, "--yes"));
            dry(c, swept, withDb(d, "purge", ID, "--dry-run"));
        }
        assertEquals(withDryRun, swept, "every command with --dry-run is swept");
    }

    private static void dry(Connection c, Set<String> swept, String[] args) {
        dry(c, swept, args, 0);
    }

    private static void dry(Connection c, Set<String> swept, String[] args, int code) {
        for (boolean asJson : List.of(false, true)) {
            Fingerprint before = Fingerprint.of(c, List.of("public", "tandem"), true);
            Cli.Result r = Cli.run(asJson ? json(args) : args);
            assertEquals(code, r.code(), String.join(" ", args) + ": " + r.describe());
            if (asJson) {
                parse(r, String.join(" ", args));
            }
            assertEquals(List.of(), before.diff(Fingerprint.of(c, List.of("public", "tandem"), true)),
                    String.join(" ", args) + " changed the database");
        }
        swept.add(args[0]);
    }

    private static void ok(String[] args) {
        Cli.Result r = Cli.run(args);
        assertEquals(0, r.code(), String.join(" ", args) + ": " + r.describe());
    }

    private static String[] withDb(List<String> db, String... args) {
        List<String> a = new ArrayList<>(List.of(args));
        a.addAll(db);
        return a.toArray(String[]::new);
    }

}
