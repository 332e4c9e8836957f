package dev.tandem.fleet;

import static dev.tandem.fleet.FleetFixture.ID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.fleet.FleetFixture.Db1;
import dev.tandem.testing.Cli;
import dev.tandem.testing.Db;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Databases of one server do not hold each other up: the backfill's wait for older transactions
 * ignores another database's open transaction (transaction ids are server-wide) but still waits
 * for one of its own; and a table held ACCESS EXCLUSIVE makes {@code tandem apply} exit 3 after
 * the lock timeout instead of hanging in the catalog read, with nothing changed.
 */
class ServerSharingTest {
    @TempDir
    Path tmp;

    private static Cli.Result apply(Db1 d, Path cl, String... more) {
        List<String> a = new ArrayList<>(List.of("apply", cl.toString(), "--url", d.url(), "--user", d.user()));
        if (d.password() != null) {
            a.addAll(List.of("--password", d.password()));
        }
        a.addAll(List.of(more));
        return Cli.run(a.toArray(String[]::new));
    }

    @Test
    void anotherDatabasesTransactionDoesNotStallTheBackfillItsOwnDoes() throws Exception {
        List<Db1> dbs = FleetFixture.databases("server_sharing", 3, 0, 100);
        Path cl = FleetFixture.changelog(tmp);
        Db1 a = dbs.get(0);
        Db1 b = dbs.get(1);
        try (Connection other = b.connect()) {
            other.setAutoCommit(false);
            Db.scalar(other, "SELECT pg_current_xact_id()"); // an open transaction with an id, in database b
            Cli.Result r = CompletableFuture.supplyAsync(() -> apply(a, cl)).get(120, TimeUnit.SECONDS);
            assertEquals(0, r.code(), r.describe());
            assertEquals("backfill/in-progress", FleetFixture.phaseOf(a));
            other.rollback();
        }
        try (Connection own = b.connect()) {
            own.setAutoCommit(false);
            Db.scalar(own, "SELECT pg_current_xact_id()"); // b's own transaction, older than its sync trigger
            CompletableFuture<Cli.Result> run = CompletableFuture.supplyAsync(() -> apply(b, cl));
            long deadline = System.nanoTime() + 60_000_000_000L;
            // while the backfill phase runs, the record says dual-write/interrupted (the phase after it is under way)
            while (!FleetFixture.phaseOf(b).startsWith("dual-write/") && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            Thread.sleep(1500);
            assertFalse(run.isDone(), "the backfill waits for its own database's older transaction");
            assertEquals("dual-write/interrupted", FleetFixture.phaseOf(b));
            own.rollback();
            Cli.Result r = run.get(120, TimeUnit.SECONDS);
            assertEquals(0, r.code(), r.describe());
            assertEquals(0, FleetFixture.mismatches(b));
        }
    }

    @Test
    void aLockedTableExitsThreeInsteadOfHanging() throws Exception {
        Db1 d = FleetFixture.databases("server_sharing_lock", 1, 0, 50).get(0);
        Path cl = FleetFixture.changelog(tmp);
        try (Connection locker = d.connect()) {
            locker.setAutoCommit(false);
            Db.exec(locker, "LOCK TABLE accounts IN ACCESS EXCLUSIVE MODE");
            Cli.Result r = CompletableFuture.supplyAsync(() -> apply(d, cl, "--lock-timeout", "200")).get(120, TimeUnit.SECONDS);
            assertEquals(3, r.code(), r.describe());
            assertTrue(r.err().contains("locked") || r.err().contains("lock"), r.describe());
            locker.rollback();
        }
        assertEquals(-1, FleetFixture.mismatches(d), "nothing changed");
        assertTrue(List.of("none", "-/pending").contains(FleetFixture.phaseOf(d)), FleetFixture.phaseOf(d));
    }
}
