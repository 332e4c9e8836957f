package dev.tandem.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.catalog.Fingerprint;
import dev.tandem.execute.CrashPoints;
import dev.tandem.testing.ChildTandem;
import dev.tandem.testing.Cli;
import dev.tandem.testing.Db;
import dev.tandem.testing.TestDatabase;
import dev.tandem.util.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kill sweep over every phase, rollback and purge: each command of a lifecycle is stopped at a
 * random step boundary ({@link CrashPoints}: in-process, an Error at the n-th boundary; plus a few
 * child JVMs halted there, and a few killed with SIGKILL after a random delay), then
 * <ol>
 *   <li>the command {@code status} names as {@code next} must succeed (purge is only run when
 *       the interrupted command was purge);</li>
 *   <li>the interrupted command is finished, and the table holds exactly what the application
 *       committed (id → qty written between commands, through whichever column is current);</li>
 *   <li>at the end of each cycle a full rollback restores the catalog fingerprint of the start.</li>
 * </ol>
 * Prints killed / recovered / lost / mismatched.
 */
class KillSweepTest {
    static final String ID = "0001_widen_qty";
    static final int MIN_KILLS = 100;
    /** Wall-time budget of the in-process part; on a loaded machine the sweep stops here with fewer kills. */
    static final long BUDGET_MS = Long.getLong("tandem.sweep.budget.ms", 75_000);

    @TempDir
    Path tmp;

    private final Random random = new Random(Long.getLong("tandem.sweep.seed", System.nanoTime()));
    private final TreeMap<Integer, Long> expected = new TreeMap<>();
    private final Map<String, Integer> points = new java.util.HashMap<>();
    private int killed;
    private int recovered;
    private int lost;
    private int mismatched;
    private int nextId = 1;
    private TestDatabase db;
    private Path cl;
    private String stateSchema;

    record Target(String phase, String status) {}

    @Test
    void killAtRandomPointsAndRecover() throws Exception {
        db = TestDatabase.create("KillSweepTest");
        long t0 = System.currentTimeMillis();
        int cycle = 0;
        try (Connection c = db.connect()) {
            while ((killed < MIN_KILLS && System.currentTimeMillis() - t0 < BUDGET_MS) || cycle < 3) {
                cycle++;
                // each cycle: its own table, changelog and state schema, so a purged one never blocks the next
                String table = "items" + cycle;
                stateSchema = "tandem_sweep" + cycle;
                expected.clear();
                Db.exec(c, "CREATE TABLE " + table + " (id integer PRIMARY KEY, qty integer NOT NULL, note text)");
                Db.exec(c, "INSERT INTO " + table + " SELECT g, g, 'n' FROM generate_series(1, 300) g");
                for (int i = 1; i <= 300; i++) {
                    expected.put(i, (long) i);
                }
                nextId = 301;
                cl = Files.createDirectories(tmp.resolve("cl" + cycle));
                Files.writeString(cl.resolve(ID + ".yaml"), "description: widen qty\nchanges:\n"
                        + "  - change_column_type: {table: " + table + ", column: qty, type: bigint,"
                        + " up: \"qty::bigint\", down: \"qty::integer\"}\n");
                Fingerprint initial = Fingerprint.of(c, List.of("public"), false);
                boolean purgeCycle = cycle % 3 == 0;
                step(c, table, List.of("apply", cl.toString()), new Target("backfill", "in-progress"));
                step(c, table, List.of("switch-reads", ID), new Target("switch-reads", "in-progress"));
                step(c, table, List.of("contract", ID, "--yes"), new Target("contract", "contracted"));
                if (purgeCycle) {
                    step(c, table, List.of("purge", ID, "--yes"), new Target("contract", "purged"));
                    continue;
                }
                step(c, table, List.of("rollback", ID), new Target("switch-reads", "in-progress"));
                step(c, table, List.of("contract", ID, "--yes"), new Target("contract", "contracted"));
                step(c, table, List.of("rollback", ID, "--all"), new Target(null, "pending"));
                List<String> diff = initial.diff(Fingerprint.of(c, List.of("public"), false));
                if (!diff.isEmpty()) {
                    mismatched++;
                    System.out.println("[sweep] catalog after rollback --all differs: " + diff);
                }
            }
            // a few real process deaths: a child JVM halted at a boundary, and SIGKILL after a random delay
            childKills(c);
        }
        String counts = String.format("killed %d / recovered %d / lost %d / mismatched %d (%d cycles, %.1f s)",
                killed, recovered, lost, mismatched, cycle, (System.currentTimeMillis() - t0) / 1000.0);
        System.out.println("[sweep] " + counts);
        assertEquals(0, lost, counts);
        assertEquals(0, mismatched, counts);
        assertEquals(killed, recovered, counts);
        assertTrue(killed >= MIN_KILLS || System.currentTimeMillis() - t0 >= BUDGET_MS, counts);
    }

    /** Runs one command, crashed at a random boundary; recovers; checks state and data. */
    private void step(Connection c, String table, List<String> command, Target target) throws Exception {
        write(c, table);
        String kind = command.get(0) + (command.contains("--all") ? "-all" : "");
        int estimate = points.getOrDefault(kind, 8);
        int at = 1 + random.nextInt(estimate + 1); // sometimes past the end: the command completes
        CrashPoints.arm(at);
        boolean crashed;
        try {
            Cli.Result r = run(command);
            crashed = false;
            CrashPoints.arm(0);
            assertEquals(0, r.code(), () -> command + "\n" + r.describe());
            points.merge(kind, Math.max(1, CrashPoints.reached()), Math::max);
        } catch (CrashPoints.Crash crash) {
            crashed = true;
        } finally {
            CrashPoints.arm(0);
        }
        if (crashed) {
            killed++;
            recover(command, 1);
        }
        reach(command, target);
        check(c, table);
    }

    /**
     * Runs the command status names next; half of the time it is itself killed at a random boundary,
     * and recovery starts again. The chain of {@code pending} kills counts as recovered once a
     * {@code next} command runs to the end with exit 0.
     */
    private void recover(List<String> interrupted, int pending) {
        String next = next();
        if (next.equals("none") || (next.startsWith("tandem purge") && !interrupted.get(0).equals("purge"))) {
            recovered += pending; // nothing to run (purge is never run in place of another command)
            return;
        }
        List<String> args = new ArrayList<>(List.of(next.substring("tandem ".length()).split(" ")));
        if (args.get(0).equals("apply")) {
            args.add(cl.toString());
        } else if (args.get(0).equals("contract") || args.get(0).equals("purge")) {
            args.add("--yes");
        }
        boolean again = pending < 4 && random.nextBoolean();
        CrashPoints.arm(again ? 1 + random.nextInt(points.getOrDefault(args.get(0), 8)) : 0);
        Cli.Result r;
        try {
            r = run(args);
        } catch (CrashPoints.Crash crash) {
            killed++;
            recover(interrupted, pending + 1);
            return;
        } finally {
            CrashPoints.arm(0);
        }
        if (r.code() == 0) {
            recovered += pending;
        } else {
            System.out.println("[sweep] `" + next + "` after a crash in " + interrupted + " failed: " + r.describe());
        }
    }

    /** Finishes the interrupted command when recovery did not already reach its target. */
    private void reach(List<String> command, Target target) {
        if (!state().equals(target)) {
            Cli.Result r = run(command);
            assertEquals(0, r.code(), () -> "re-running " + command + "\n" + r.describe());
        }
        assertEquals(target, state(), () -> "after " + command);
    }

    /** The application's writes between two commands: a few updates, an insert, a delete. */
    private void write(Connection c, String table) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (int i = 0; i < 3; i++) {
                int id = expected.isEmpty() ? 1 : new ArrayList<>(expected.keySet()).get(random.nextInt(expected.size()));
                long qty = random.nextInt(1_000_000);
                s.executeUpdate("UPDATE " + table + " SET qty = " + qty + " WHERE id = " + id);
                expected.put(id, qty);
            }
            int id = nextId++;
            long qty = random.nextInt(1_000_000);
            s.executeUpdate("INSERT INTO " + table + " (id, qty, note) VALUES (" + id + ", " + qty + ", 'app')");
            expected.put(id, qty);
            int gone = expected.firstKey();
            s.executeUpdate("DELETE FROM " + table + " WHERE id = " + gone);
            expected.remove(gone);
        }
    }

    private void check(Connection c, String table) throws SQLException {
        TreeMap<Integer, Long> actual = new TreeMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT id, qty FROM " + table)) {
            while (rs.next()) {
                actual.put(rs.getInt(1), rs.getLong(2));
            }
        }
        for (Map.Entry<Integer, Long> e : expected.entrySet()) {
            Long a = actual.get(e.getKey());
            if (a == null) {
                lost++;
                System.out.println("[sweep] row " + e.getKey() + " of " + table + " lost");
            } else if (!a.equals(e.getValue())) {
                mismatched++;
                System.out.println("[sweep] row " + e.getKey() + " of " + table + ": " + a + ", committed " + e.getValue());
            }
        }
        if (actual.size() != expected.size()) {
            mismatched++;
            System.out.println("[sweep] " + table + " has " + actual.size() + " rows, expected " + expected.size());
        }
    }

    private Cli.Result run(List<String> args) {
        List<String> a = new ArrayList<>(args);
        a.add("--state-schema");
        a.add(stateSchema);
        return Cli.run(Cli.withDb(db, a.toArray(String[]::new)));
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> statusRow() {
        Cli.Result r = run(List.of("status", cl.toString(), "--format", "json"));
        assertEquals(0, r.code(), r::describe);
        Map<String, Object> doc = (Map<String, Object>) Json.parse(r.out());
        return (Map<String, Object>) ((List<Object>) doc.get("migrations")).get(0);
    }

    private String next() {
        return (String) statusRow().get("next");
    }

    private Target state() {
        Map<String, Object> row = statusRow();
        return new Target((String) row.get("phase"), (String) row.get("status"));
    }

    /** Real process deaths on one more cycle: halted at a boundary, then SIGKILL after a random delay. */
    private void childKills(Connection c) throws Exception {
        String table = "items_child";
        stateSchema = "tandem_sweep_child";
        expected.clear();
        Db.exec(c, "CREATE TABLE " + table + " (id integer PRIMARY KEY, qty integer NOT NULL, note text)");
        Db.exec(c, "INSERT INTO " + table + " SELECT g, g, 'n' FROM generate_series(1, 2000) g");
        for (int i = 1; i <= 2000; i++) {
            expected.put(i, (long) i);
        }
        nextId = 2001;
        cl = Files.createDirectories(tmp.resolve("cl-child"));
        Files.writeString(cl.resolve(ID + ".yaml"), "description: widen qty\nchanges:\n"
                + "  - change_column_type: {table: " + table + ", column: qty, type: bigint}\n");
        Fingerprint initial = Fingerprint.of(c, List.of("public"), false);
        List<List<String>> commands = List.of(List.of("apply", cl.toString()), List.of("switch-reads", ID),
                List.of("contract", ID, "--yes"), List.of("rollback", ID, "--all"));
        List<Target> targets = List.of(new Target("backfill", "in-progress"), new Target("switch-reads", "in-progress"),
                new Target("contract", "contracted"), new Target(null, "pending"));
        for (int i = 0; i < commands.size(); i++) {
            write(c, table);
            List<String> args = new ArrayList<>(commands.get(i));
            args.add("--state-schema");
            args.add(stateSchema);
            args.addAll(Cli.dbArgs(db));
            if (i < 2) { // apply and switch-reads in-process, no kill
                assertEquals(0, run(commands.get(i)).code());
                reach(commands.get(i), targets.get(i));
                check(c, table);
                continue;
            }
            boolean byDelay = i == 3;
            Map<String, String> env = byDelay ? Map.of() : Map.of("TANDEM_TEST_CRASH_AT", String.valueOf(1 + random.nextInt(4)));
            try (ChildTandem child = ChildTandem.start(tmp, args, env)) {
                if (byDelay) {
                    Thread.sleep(300 + random.nextInt(1500));
                    if (child.process().isAlive()) {
                        child.kill();
                        killed++;
                        recover(commands.get(i), 1);
                    }
                } else {
                    int code = child.waitFor(120);
                    if (code == 137) {
                        killed++;
                        recover(commands.get(i), 1);
                    }
                }
            }
            reach(commands.get(i), targets.get(i));
            check(c, table);
        }
        List<String> diff = initial.diff(Fingerprint.of(c, List.of("public"), false));
        if (!diff.isEmpty()) {
            mismatched++;
            System.out.println("[sweep] catalog after rollback --all (child) differs: " + diff);
        }
    }
}
