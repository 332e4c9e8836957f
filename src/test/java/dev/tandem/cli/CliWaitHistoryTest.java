package dev.tandem.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.testing.ChildTandem;
import dev.tandem.testing.Cli;
import dev.tandem.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The deploy gate {@code tandem wait} reaches, times out and fails; {@code tandem history} lists what ran. */
class CliWaitHistoryTest {
    static final String ID = CliLifecycleTest.ID;

    @TempDir
    Path tmp;

    private Path changelog() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("cl"));
        Files.writeString(dir.resolve(ID + ".yaml"), CliLifecycleTest.rename("users", "full_name", "display_name"));
        return dir;
    }

    @Test
    void waitReturnsOnceAnotherProcessHasAppliedTheBackfill() throws Exception {
        TestDatabase db = CliLifecycleTest.sampleDb("CliWaitHistoryTest_reach", 200);
        Path cl = changelog();
        CompletableFuture<Cli.Result> gate = CompletableFuture.supplyAsync(() ->
                Cli.run(Cli.withDb(db, "wait", ID, "--until", "backfill", "--timeout", "60s", "--interval", "200ms")));
        Thread.sleep(1000);
        assertTrue(!gate.isDone(), () -> "wait returned before anything ran: " + gate.join().describe());
        Cli.Result applied = Cli.run(Cli.withDb(db, "apply", cl.toString()));
        assertEquals(0, applied.code(), applied.describe());
        Cli.Result r = gate.get(30, TimeUnit.SECONDS);
        assertEquals(0, r.code(), r.describe());
        assertTrue(r.out().contains("backfill reached"), r.describe());
        assertTrue(r.err().contains("wait: " + ID + ": pending"), "progress on stderr: " + r.describe());

        Cli.Result history = Cli.run(Cli.withDb(db, "history", ID));
        assertEquals(0, history.code(), history.describe());
        for (String phase : new String[] {"expand", "dual-write", "backfill"}) {
            assertTrue(history.out().contains(ID + "  " + phase), phase + " in history: " + history.describe());
        }
    }

    @Test
    void waitTimesOutWithExit4AndFailsWithExit1OnAnInterruptedMigration() throws Exception {
        TestDatabase db = CliLifecycleTest.sampleDb("CliWaitHistoryTest_fail", 50);
        Path cl = changelog();
        assertEquals(0, Cli.run(Cli.withDb(db, "apply", cl.toString(), "--to", "expand")).code());
        Cli.Result timedOut = Cli.run(Cli.withDb(db, "wait", ID, "--until", "backfill", "--timeout", "1500ms", "--interval", "200ms"));
        assertEquals(4, timedOut.code(), timedOut.describe());
        assertTrue(timedOut.err().contains("timed out"), timedOut.describe());
        assertEquals(0, Cli.run(Cli.withDb(db, "wait", ID, "--until", "expand", "--timeout", "1s")).code());

        try (Connection blocker = db.connect()) {
            blocker.setAutoCommit(false);
            try (Statement s = blocker.createStatement()) {
                s.execute("LOCK TABLE users IN ROW EXCLUSIVE MODE"); // an open application transaction
            }
            Cli.Result blocked = Cli.run(Cli.withDb(db, "apply", cl.toString(), "--to", "dual-write", "--lock-timeout", "20"));
            assertEquals(3, blocked.code(), blocked.describe());
            blocker.rollback();
        }
        Cli.Result failed = Cli.run(Cli.withDb(db, "wait", ID, "--until", "backfill", "--timeout", "10s"));
        assertEquals(1, failed.code(), failed.describe());
        assertTrue(failed.err().contains("interrupted"), failed.describe());
    }

    @Test
    void anInterruptedProcessSaysHowToResumeAndVersionPrints() throws Exception {
        TestDatabase db = TestDatabase.create("CliWaitHistoryTest_sigterm");
        try (ChildTandem child = ChildTandem.start(tmp, java.util.Arrays.asList(
                Cli.withDb(db, "wait", ID, "--until", "backfill", "--timeout", "120s")))) {
            long until = System.currentTimeMillis() + 60_000;
            while (!child.stderr().contains("wait: " + ID) && System.currentTimeMillis() < until) {
                Thread.sleep(200);
            }
            assertTrue(child.stderr().contains("wait: " + ID + ": pending"), child.describe());
            child.process().destroy(); // SIGTERM, as Ctrl-C's SIGINT: the JVM runs its shutdown hooks
            child.waitFor(30);
            assertTrue(child.stderr().contains("interrupted") && child.stderr().contains("tandem status"), child.describe());
        }
        Cli.Result version = Cli.run("--version");
        assertEquals(0, version.code(), version.describe());
        assertTrue(version.out().startsWith("tandem "), version.describe());
        Cli.Result completion = Cli.run("generate-completion");
        assertEquals(0, completion.code(), completion.describe());
        assertTrue(completion.out().contains("wait") && completion.out().contains("history"), "completion knows the commands");
    }
}
