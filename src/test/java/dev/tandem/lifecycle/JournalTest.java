package dev.tandem.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.catalog.Fingerprint;
import dev.tandem.testing.Cli;
import dev.tandem.testing.Db;
import dev.tandem.testing.TestDatabase;
import dev.tandem.util.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The step journal in both directions, through the command line: a purge that fails part-way
 * resumes and blocks rollback; a rollback of contract that fails on a row names that row and the
 * commands that truly continue, and going forward again redoes exactly what it undid; the undo of
 * contract re-syncs only rows written after contract; {@code status} names the next command.
 */
class JournalTest {
    static final String ID = "0001_change";

    @TempDir
    Path tmp;

    static Cli.Result cli(TestDatabase db, String... args) {
        return Cli.run(Cli.withDb(db, args));
    }

    static Cli.Result ok(TestDatabase db, String... args) {
        Cli.Result r = cli(db, args);
        assertEquals(0, r.code(), () -> String.join(" ", args) + "\n" + r.describe());
        return r;
    }

    Path changelog(String yaml) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("changelogs"));
        Files.writeString(dir.resolve(ID + ".yaml"), yaml);
        return dir;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> status(TestDatabase db, Path cl) {
        Cli.Result r = ok(db, "status", cl.toString(), "--format", "json");
        Map<String, Object> doc = (Map<String, Object>) Json.parse(r.out());
        for (Object o : (List<Object>) doc.get("migrations")) {
            Map<String, Object> row = (Map<String, Object>) o;
            if (ID.equals(row.get("id"))) {
                return row;
            }
        }
        throw new AssertionError("no status row: " + r.out());
    }

    /** Runs the command {@code status} names next (with --yes where it asks) and returns its result. */
    static Cli.Result runNext(TestDatabase db, Path cl) {
        String next = (String) status(db, cl).get("next");
        assertTrue(next.startsWith("tandem "), next);
        String[] words = next.substring("tandem ".length()).split(" ");
        List<String> args = new java.util.ArrayList<>(List.of(words));
        if (words[0].equals("apply")) {
            args.add(cl.toString());
        } else if (words[0].equals("contract") || words[0].equals("purge")) {
            args.add("--yes");
        }
        return cli(db, args.toArray(String[]::new));
    }

    static String retired(Connection c, String table, String... known) throws SQLException {
        String list = String.join("','", known);
        return (String) Db.scalar(c, "SELECT attname FROM pg_attribute WHERE attrelid = 'public." + table + "'::regclass"
                + " AND attnum > 0 AND NOT attisdropped AND attname NOT IN ('" + list + "') ORDER BY attnum LIMIT 1");
    }

    /** Issue #10.2: a purge failing at step 2 is journaled: purging, rollback refused, the re-run resumes at step 2. */
    @Test
    void purgeIsJournaledAndResumes() throws Exception {
        TestDatabase db = TestDatabase.create("JournalTest_purge");
        Path cl = changelog("""
                description: widen two counters
                changes:
                  - change_column_type: {table: counters, column: a, type: bigint}
                  - change_column_type: {table: counters, column: b, type: bigint}
                """);
        try (Connection c = db.connect()) {
            Db.exec(c, "CREATE TABLE counters (id integer PRIMARY KEY, a integer, b integer)");
            Db.exec(c, "INSERT INTO counters SELECT g, g, g * 2 FROM generate_series(1, 50) g");
            ok(db, "apply", cl.toString());
            ok(db, "switch-reads", ID);
            ok(db, "contract", ID, "--yes");
            assertEquals("tandem purge " + ID, status(db, cl).get("next"));
            // a view on the second retired column makes the second purge step fail
            String retiredA = retired(c, "counters", "id", "a", "b");
            Db.exec(c, "ALTER TABLE counters RENAME COLUMN " + retiredA + " TO keep_a_for_now");
            String retiredB = retired(c, "counters", "id", "a", "b", "keep_a_for_now");
            Db.exec(c, "ALTER TABLE counters RENAME COLUMN keep_a_for_now TO " + retiredA);
            Db.exec(c, "CREATE VIEW old_b AS SELECT " + retiredB + " FROM counters");

            Cli.Result failed = cli(db, "purge", ID, "--yes");
            assertTrue(failed.code() != 0, failed.describe());
            assertFalse(Db.columnExists(c, "public", "counters", retiredA), "step 1 ran");
            assertTrue(Db.columnExists(c, "public", "counters", retiredB), "step 2 failed");
            Map<String, Object> row = status(db, cl);
            assertEquals("purging", row.get("status"), row.toString());
            assertEquals("tandem purge " + ID, row.get("next"), row.toString());

            Fingerprint before = Db.publicFingerprint(c);
            Cli.Result rollback = cli(db, "rollback", ID);
            assertEquals(2, rollback.code(), rollback.describe());
            assertTrue(rollback.err().contains("purge") && rollback.err().contains("irreversible"), rollback.describe());
            assertEquals(List.of(), before.diff(Db.publicFingerprint(c)), "a refused rollback changes nothing");
            assertEquals(0L, Db.count(c, "SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'tandem%'"));
            Cli.Result contract = cli(db, "contract", ID, "--yes");
            assertEquals(2, contract.code(), contract.describe());

            Db.exec(c, "DROP VIEW old_b");
            Cli.Result resumed = ok(db, "purge", ID, "--yes");
            assertTrue(resumed.err().contains("already applied"), resumed.describe());
            assertFalse(Db.columnExists(c, "public", "counters", retiredB));
            row = status(db, cl);
            assertEquals("purged", row.get("status"), row.toString());
            assertEquals("none", row.get("next"), row.toString());
        }
    }

    /**
     * Issue #10.3: after contract of int → bigint a value only bigint holds is written; rollback fails
     * naming that row's key and the commands that continue; contract again redoes exactly the undone
     * steps; once the row is gone, rollback finishes and restores the catalog and the data.
     */
    @Test
    void failedContractRollbackNamesTheRowAndGoesForwardAgain() throws Exception {
        TestDatabase db = TestDatabase.create("JournalTest_forward");
        Path cl = changelog("""
                description: widen qty
                changes:
                  - change_column_type: {table: items, column: qty, type: bigint, up: "qty::bigint", down: "qty::integer"}
                """);
        try (Connection c = db.connect()) {
            Db.exec(c, "CREATE TABLE items (id integer PRIMARY KEY, qty integer NOT NULL)");
            Db.exec(c, "INSERT INTO items SELECT g, g FROM generate_series(1, 500) g");
            Fingerprint initial = Db.publicFingerprint(c);
            ok(db, "apply", cl.toString());
            ok(db, "switch-reads", ID);
            Fingerprint switched = Db.publicFingerprint(c);
            ok(db, "contract", ID, "--yes");
            Db.exec(c, "UPDATE items SET qty = 3000000000 WHERE id = 377");

            Cli.Result failed = cli(db, "rollback", ID);
            assertTrue(failed.code() != 0, failed.describe());
            assertTrue(failed.err().contains("[377]"), "names the failing row's key: " + failed.describe());
            assertTrue(failed.err().contains("out of range"), failed.describe());
            assertTrue(failed.err().contains("tandem rollback " + ID) && failed.err().contains("tandem contract " + ID),
                    failed.describe());
            assertFalse(failed.err().contains("tandem backfill"), failed.describe());

            Cli.Result forward = ok(db, "contract", ID, "--yes");
            assertTrue(forward.err().contains("partly undone"), forward.describe());
            assertEquals("contracted", status(db, cl).get("status"));
            assertEquals(0L, Db.count(c, "SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'tandem%'"), "the trigger is dropped again");
            assertEquals(3000000000L, ((Number) Db.scalar(c, "SELECT qty FROM items WHERE id = 377")).longValue());

            Db.exec(c, "UPDATE items SET qty = 377 WHERE id = 377");
            ok(db, "rollback", ID);
            assertEquals(List.of(), switched.diff(Db.publicFingerprint(c)), "rollback of contract restores switch-reads");
            ok(db, "rollback", ID, "--all");
            assertEquals(List.of(), initial.diff(Db.publicFingerprint(c)), "a full rollback restores catalog and data");
        }
    }

    /** Issue #10.4: rolling back contract leaves rows nobody wrote alone, even where down(up(x)) ≠ x. */
    @Test
    void contractRollbackKeepsUntouchedRows() throws Exception {
        TestDatabase db = TestDatabase.create("JournalTest_untouched");
        Path cl = changelog("""
                description: country codes
                changes:
                  - change_column_type: {table: countries, column: code, type: "varchar(2)", up: "upper(left(trim(code), 2))", down: "code"}
                """);
        try (Connection c = db.connect()) {
            Db.exec(c, "CREATE TABLE countries (id integer PRIMARY KEY, code text, name text)");
            Db.exec(c, "INSERT INTO countries VALUES (1, 'de', 'Germany'), (2, 'deu', 'Germany'), (3, 'fr ', 'France'), (4, 'it', 'Italy')");
            Fingerprint initial = Db.publicFingerprint(c);
            ok(db, "apply", cl.toString());
            ok(db, "switch-reads", ID);
            ok(db, "contract", ID, "--yes");
            Db.exec(c, "UPDATE countries SET name = 'Deutschland' WHERE id = 1"); // not the column: untouched
            Db.exec(c, "UPDATE countries SET code = 'IT' WHERE id = 4");          // same as up(old): nothing to re-sync
            Db.exec(c, "INSERT INTO countries (id, code, name) VALUES (5, 'ES', 'Spain')"); // written by the new app

            Cli.Result r = ok(db, "rollback", ID);
            assertTrue(r.err().contains("1 rows re-synced"), r.describe());
            ok(db, "rollback", ID, "--all");
            assertEquals("de,deu,fr ,it,ES", Db.scalar(c, "SELECT string_agg(code, ',' ORDER BY id) FROM countries"));
            Db.exec(c, "UPDATE countries SET name = 'Germany' WHERE id = 1");
            Db.exec(c, "DELETE FROM countries WHERE id = 5");
            assertEquals(List.of(), initial.diff(Db.publicFingerprint(c)));
        }
    }

    /** {@code status} names a command that works at every step of the lifecycle, and `none` at the end. */
    @Test
    void statusNamesTheNextCommandThatWorks() throws Exception {
        TestDatabase db = TestDatabase.create("JournalTest_next");
        Path cl = changelog("""
                description: widen qty
                changes:
                  - change_column_type: {table: items, column: qty, type: bigint}
                """);
        try (Connection c = db.connect()) {
            Db.exec(c, "CREATE TABLE items (id integer PRIMARY KEY, qty integer)");
            Db.exec(c, "INSERT INTO items SELECT g, g FROM generate_series(1, 20) g");
        }
        List<String> seen = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Map<String, Object> row = status(db, cl);
            String next = (String) row.get("next");
            seen.add(next);
            if (next.equals("none")) {
                break;
            }
            Cli.Result r = runNext(db, cl);
            assertEquals(0, r.code(), next + "\n" + r.describe());
        }
        assertEquals(List.of("tandem apply", "tandem switch-reads " + ID, "tandem contract " + ID, "tandem purge " + ID, "none"), seen);
        Cli.Result text = ok(db, "status", cl.toString());
        assertTrue(text.out().contains("NEXT") && text.out().contains("none"), text.describe());
    }
}
