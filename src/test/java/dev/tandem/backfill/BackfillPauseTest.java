package dev.tandem.backfill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.testing.ChildTandem;
import dev.tandem.testing.Cli;
import dev.tandem.testing.Db;
import dev.tandem.testing.TestDatabase;
import dev.tandem.util.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tandem backfill ID --pause} from a second process stops a running backfill (in a child
 * process) within a second; {@code tandem status} shows it paused with the checkpoint's numbers;
 * {@code --resume} lets it finish. Also: {@code tandem backfill ID} refuses before dual-write.
 */
class BackfillPauseTest {
    static final String ID = "0001_rename_items_name";

    @TempDir
    Path tmp;

    private static long batches(Connection c) throws Exception {
        return Db.count(c, "SELECT coalesce(max(batches), -1) FROM tandem.backfill_checkpoints WHERE migration_id = '" + ID + "'");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> backfillStatus(TestDatabase db, Path dir) {
        Cli.Result s = Cli.run(Cli.withDb(db, "status", dir.toString(), "--format", "json"));
        assertEquals(0, s.code(), s.describe());
        Map<String, Object> row = (Map<String, Object>) ((List<Object>) ((Map<String, Object>) Json.parse(s.out())).get("migrations")).get(0);
        return (Map<String, Object>) row.get("backfill");
    }

    @Test
    @SuppressWarnings("unchecked")
    void pauseFromAnotherProcessStopsBatchesWithinASecondAndResumeFinishes() throws Exception {
        TestDatabase db = TestDatabase.create("BackfillPauseTest");
        Path dir = Files.createDirectories(tmp.resolve("changelogs"));
        Files.writeString(dir.resolve(ID + ".yaml"), """
                description: Rename items.name to title
                changes:
                  - rename_column: {table: items, column: name, to: title}
                """);
        try (Connection c = db.connect()) {
            Db.exec(c, "CREATE TABLE items (id bigint PRIMARY KEY, name text)");
            Db.exec(c, "INSERT INTO items SELECT g, 'item ' || g FROM generate_series(1, 40000) g");
            Db.exec(c, "ANALYZE items");
            // every batch takes at least 40 ms, so the backfill lasts long enough to pause it
            Db.exec(c, "CREATE FUNCTION items_slow() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(0.04); RETURN NULL; END $$");
            Db.exec(c, "CREATE TRIGGER items_slow AFTER UPDATE ON items FOR EACH STATEMENT EXECUTE FUNCTION items_slow()");
            Db.exec(c, "ALTER TABLE items ENABLE ALWAYS TRIGGER items_slow");

            Cli.Result early = Cli.run(Cli.withDb(db, "apply", dir.toString(), "--to", "expand"));
            assertEquals(0, early.code(), early.describe());
            Cli.Result refused = Cli.run(Cli.withDb(db, "backfill", ID));
            assertEquals(2, refused.code(), "no dual-write yet: " + refused.describe());

            List<String> args = new ArrayList<>(List.of("apply", dir.toString(), "--batch-size", "200", "--max-batch-size", "200"));
            args.addAll(Cli.dbArgs(db));
            try (ChildTandem child = ChildTandem.start(tmp, args)) {
                long deadline = System.nanoTime() + 120_000_000_000L;
                while (batches(c) < 5) {
                    assertTrue(child.process().isAlive(), () -> "child ended early\n" + child.describe());
                    assertTrue(System.nanoTime() < deadline, () -> "no progress\n" + child.describe());
                    Thread.sleep(10);
                }
                Cli.Result pause = Cli.run(Cli.withDb(db, "backfill", ID, "--pause"));
                assertEquals(0, pause.code(), pause.describe());
                assertTrue(pause.out().contains("paused"), pause.describe());
                Thread.sleep(1000);
                long atOneSecond = batches(c);
                long rowsAtOneSecond = Db.count(c, "SELECT count(*) FROM items WHERE title IS NOT NULL");
                Thread.sleep(2000);
                assertEquals(atOneSecond, batches(c), "no batch more than a second after the pause");
                assertEquals(rowsAtOneSecond, Db.count(c, "SELECT count(*) FROM items WHERE title IS NOT NULL"));
                assertTrue(child.process().isAlive(), "a paused backfill waits, it does not exit");
                assertTrue(rowsAtOneSecond < 40000, "paused before the end: " + rowsAtOneSecond);

                Map<String, Object> status = backfillStatus(db, dir);
                assertEquals(Boolean.TRUE, status.get("paused"), status.toString());
                assertTrue(String.valueOf(status.get("throttle")).startsWith("paused by"), status.toString());
                assertEquals("copy", status.get("pass"), status.toString());
                assertEquals(atOneSecond, ((Number) status.get("batches")).longValue(), status.toString());
                assertTrue(((Number) status.get("percent")).doubleValue() > 0, status.toString());
                Cli.Result text = Cli.run(Cli.withDb(db, "status", dir.toString()));
                assertTrue(text.out().contains("PAUSED") && text.out().contains("copy "), text.describe());
                // the phase is unfinished while another Tandem holds the advisory lock: shown as running, not interrupted
                Cli.Result json = Cli.run(Cli.withDb(db, "status", dir.toString(), "--format", "json"));
                Map<String, Object> row = (Map<String, Object>) ((List<Object>) ((Map<String, Object>) Json.parse(json.out())).get("migrations")).get(0);
                assertEquals("running", row.get("status"), json.out());
                assertTrue(String.valueOf(row.get("running_in")).startsWith("pid "), json.out()); // the backend of the child Tandem
                assertTrue(text.out().contains("running"), text.describe());

                Cli.Result resume = Cli.run(Cli.withDb(db, "backfill", ID, "--resume"));
                assertEquals(0, resume.code(), resume.describe());
                assertEquals(0, child.waitFor(120), child.describe());
                assertTrue(child.stderr().contains("waiting: paused by"), child.describe());
            }
            assertEquals(0, Db.count(c, "SELECT count(*) FROM items WHERE title IS DISTINCT FROM name"));
            Map<String, Object> done = backfillStatus(db, dir);
            assertEquals(Boolean.TRUE, done.get("finished"), done.toString());
            assertEquals(40000L, ((Number) done.get("rows_copied")).longValue(), done.toString());
            assertEquals(0L, ((Number) done.get("rows_repaired")).longValue(), done.toString());
            Cli.Result again = Cli.run(Cli.withDb(db, "backfill", ID));
            assertEquals(0, again.code(), again.describe());
            assertTrue(again.out().contains("already done"), again.describe());
        }
    }
}
