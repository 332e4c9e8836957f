package dev.tandem.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.testing.Cli;
import dev.tandem.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Drift is checked the same way by every command that reads both a changelog and the state: the
 * commands are enumerated from {@link Main}'s picocli spec (a changelog PATH and a database URL), so
 * a new one must be classified here.
 */
class CliDriftSweepTest {
    static final String ID = CliLifecycleTest.ID;

    /** Commands that take a changelog and a database but do not read Tandem's state of it, or act on drift on purpose. */
    static final Map<String, String> NOT_REFUSING = Map.of(
            "verify", "runs on a scratch database, never the state of --url",
            "status", "reports drift (CHECKSUM CHANGED, checksum_ok false) instead of refusing",
            "repair", "is the command that resolves drift");

    @TempDir
    Path tmp;

    static Set<String> changelogAndDatabaseCommands() {
        Set<String> out = new TreeSet<>();
        for (Map.Entry<String, CommandLine> e : new CommandLine(new Main()).getSubcommands().entrySet()) {
            CommandSpec s = e.getValue().getCommandSpec();
            boolean path = s.positionalParameters().stream().anyMatch(p -> p.type() == Path.class);
            if (path && s.findOption("--url") != null) {
                out.add(e.getKey());
            }
        }
        return out;
    }

    @Test
    void everyCommandReadingTheChangelogAndTheStateRefusesADriftedFile() throws Exception {
        Set<String> commands = changelogAndDatabaseCommands();
        assertTrue(commands.containsAll(List.of("plan", "apply", "status", "baseline", "repair")), commands.toString());
        TestDatabase db = CliLifecycleTest.sampleDb("CliDriftSweepTest", 20);
        Path cl = Files.createDirectories(tmp.resolve("cl"));
        Path file = cl.resolve(ID + ".yaml");
        Files.writeString(file, CliLifecycleTest.rename("users", "full_name", "display_name"));
        assertEquals(0, Cli.run(Cli.withDb(db, "apply", cl.toString(), "--to", "expand")).code());
        Files.writeString(file, CliLifecycleTest.rename("users", "full_name", "display_name") + "# edited\n");

        Map<String, List<String[]>> runs = Map.of(
                "plan", List.of(new String[] {"plan", cl.toString()}, new String[] {"plan", cl.toString(), "--all"}),
                "apply", List.of(new String[] {"apply", cl.toString()}, new String[] {"apply", cl.toString(), "--dry-run"}),
                "baseline", List.<String[]>of(new String[] {"baseline", cl.toString(), "--to", ID, "--dry-run"}));
        Set<String> unclassified = new TreeSet<>(commands);
        unclassified.removeAll(runs.keySet());
        unclassified.removeAll(NOT_REFUSING.keySet());
        assertEquals(Set.of(), unclassified, "classify the new command: does it refuse drift with DriftCheck?");
        String message = null;
        for (List<String[]> list : runs.values()) {
            for (String[] args : list) {
                for (boolean json : List.of(false, true)) {
                    String[] a = json ? concat(args, "--format", "json") : args;
                    Cli.Result r = Cli.run(Cli.withDb(db, a));
                    assertEquals(2, r.code(), String.join(" ", a) + "\n" + r.describe());
                    String line = r.err().lines().filter(l -> l.contains("checksum drift")).findFirst()
                            .orElseThrow(() -> new AssertionError("no drift message: " + r.describe()));
                    assertTrue(line.contains(file.toString()), line);
                    if (message == null) {
                        message = line;
                    }
                    assertEquals(message, line, "the same check, the same message: " + String.join(" ", a));
                }
            }
        }
        Cli.Result status = Cli.run(Cli.withDb(db, "status", cl.toString(), "--format", "json"));
        assertEquals(0, status.code(), status.describe());
        assertTrue(status.out().contains("\"checksum_ok\": false"), status.describe());
    }

    static String[] concat(String[] a, String... more) {
        String[] out = java.util.Arrays.copyOf(a, a.length + more.length);
        System.arraycopy(more, 0, out, a.length, more.length);
        return out;
    }
}
