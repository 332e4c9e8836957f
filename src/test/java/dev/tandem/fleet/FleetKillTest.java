package dev.tandem.fleet;

import static dev.tandem.fleet.FleetFixture.fleet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.fleet.FleetFixture.Db1;
import dev.tandem.testing.ChildTandem;
import dev.tandem.testing.Cli;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fleet apply over 12 databases on two servers, run as a child JVM, is killed with SIGKILL in the
 * middle of its wave, the next one is stopped with SIGTERM (what Ctrl-C sends the JVM); the third
 * run finishes: every target ends at backfill with its rows intact and equal in both columns.
 */
class FleetKillTest {
    static final int ROWS = 2000;

    @TempDir
    Path tmp;

    @Test
    void killedMidWaveThenInterruptedThenResumed() throws Exception {
        List<Db1> dbs = FleetFixture.databases("fleet_kill", 6, 6, ROWS);
        Path file = FleetFixture.fleetFile(tmp, dbs, List.of());
        Path cl = FleetFixture.changelog(tmp);
        Db1 any = dbs.get(0);
        List<String> args = new ArrayList<>(List.of("fleet", "apply", cl.toString(), "--fleet", file.toString(), "--user", any.user(),
                "--parallel", "2", "--batch-size", "100", "--max-batch-size", "100", "--batch-pause-ms", "40"));
        Map<String, String> env = any.password() == null ? Map.of() : Map.of("PGPASSWORD", any.password());

        int[] killedAfter = new int[2];
        for (int round = 0; round < 2; round++) {
            try (ChildTandem child = ChildTandem.start(tmp, args, env)) {
                int done = waitForTargetsDone(child, round == 0 ? 2 : doneCount(dbs) + 2, 240);
                killedAfter[round] = done;
                if (round == 0) {
                    child.kill(); // SIGKILL
                } else {
                    child.process().destroy(); // SIGTERM, as Ctrl-C
                    child.process().waitFor();
                    assertTrue(child.stderr().contains("interrupted"), "the interrupt hint is printed: " + child.describe());
                }
            }
            long finished = doneCount(dbs);
            assertTrue(finished < dbs.size(), "round " + round + " stopped mid-wave: " + finished + " of " + dbs.size() + " done");
        }
        Cli.Result last = fleet(file, any, "apply", cl.toString(), "--parallel", "4");
        assertEquals(0, last.code(), last.describe());
        for (Db1 d : dbs) {
            assertEquals("backfill/in-progress", FleetFixture.phaseOf(d), d.name());
            assertEquals(ROWS, FleetFixture.rows(d), d.name());
            assertEquals(0, FleetFixture.mismatches(d), d.name());
        }
        Cli.Result status = fleet(file, any, "status", cl.toString(), "--format", "json");
        assertEquals(0, status.code(), status.describe());
        assertTrue(status.out().contains("\"backfill\": 12"), status.describe());
    }

    private static long doneCount(List<Db1> dbs) throws Exception {
        long n = 0;
        for (Db1 d : dbs) {
            if (FleetFixture.phaseOf(d).equals("backfill/in-progress")) {
                n++;
            }
        }
        return n;
    }

    /** Waits until the child's stderr reports {@code n} targets ok; returns how many it reported. */
    private static int waitForTargetsDone(ChildTandem child, long n, int seconds) throws Exception {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            int ok = child.stderr().split("apply ok in ", -1).length - 1;
            if (ok >= n) {
                return ok;
            }
            if (!child.process().isAlive()) {
                throw new AssertionError("the fleet finished before it could be killed mid-wave: " + child.describe());
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no progress in " + seconds + " s: " + child.describe());
    }
}
