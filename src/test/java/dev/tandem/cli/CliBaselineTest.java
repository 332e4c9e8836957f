package dev.tandem.cli;

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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tandem baseline --to ID}: a database migrated by hand (another tool) is adopted when it
 * matches what the changelog produces, and refused with the differences, nothing recorded, when not.
 */
class CliBaselineTest {
    static final String ID = CliLifecycleTest.ID;
    static final String NEXT = "0002_add_nickname";

    @TempDir
    Path tmp;

    private Path changelog() throws Exception {
        Path cl = Files.createDirectories(tmp.resolve("cl"));
        Files.writeString(cl.resolve(ID + ".yaml"), CliLifecycleTest.rename("users", "full_name", "display_name"));
        Files.writeString(cl.resolve(NEXT + ".yaml"), "description: add nickname\nchanges:\n  - add_column:\n      table: users\n"
                + "      column: {name: nickname, type: text}\n");
        return cl;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(Cli.Result r) {
        return (Map<String, Object>) Json.parse(r.out());
    }

    private static boolean stateSchemaExists(Connection c) throws Exception {
        return Db.count(c, "SELECT count(*) FROM pg_namespace WHERE nspname = 'tandem'") == 1;
    }

    @Test
    void aMatchingDatabaseIsRecordedAndADifferentOneIsRefusedWithTheDifferences() throws Exception {
        Path cl = changelog();
        TestDatabase db = CliLifecycleTest.sampleDb("CliBaselineTest_match", 30);
        Path base = tmp.resolve("base.json");
        Cli.Result snap = Cli.run(Cli.withDb(db, "snapshot", "-o", base.toString()));
        assertEquals(0, snap.code(), snap.describe());
        try (Connection c = db.connect()) {
            // another tool ran 0001: the column is renamed in place
            Db.exec(c, "ALTER TABLE users RENAME COLUMN full_name TO display_name");
            Fingerprint before = Fingerprint.of(c, List.of("public"), true);

            // different: --to 0002 expects nickname, which the database lacks; nothing recorded
            Cli.Result diff = Cli.run(Cli.withDb(db, "baseline", cl.toString(), "--to", NEXT, "--base-snapshot", base.toString(),
                    "--format", "json"));
            assertEquals(4, diff.code(), diff.describe());
            Map<String, Object> d = json(diff);
            assertEquals(Boolean.FALSE, d.get("matched"));
            assertEquals(Boolean.FALSE, d.get("recorded"));
            assertTrue(d.get("differences").toString().contains("public.users.nickname"), d.toString());
            assertFalse(stateSchemaExists(c), "nothing recorded, no state schema created");

            // a dry run of the matching --to records nothing
            Cli.Result dry = Cli.run(Cli.withDb(db, "baseline", cl.toString(), "--to", ID, "--base-snapshot", base.toString(), "--dry-run"));
            assertEquals(0, dry.code(), dry.describe());
            assertTrue(dry.out().contains("would record " + ID), dry.describe());
            assertFalse(stateSchemaExists(c));

            Cli.Result ok = Cli.run(Cli.withDb(db, "baseline", cl.toString(), "--to", ID, "--base-snapshot", base.toString()));
            assertEquals(0, ok.code(), ok.describe());
            assertTrue(ok.out().contains("recorded " + ID), ok.describe());
            assertEquals(before, Fingerprint.of(c, List.of("public"), true), "baseline changes nothing outside its state");
            assertEquals("purged", Db.scalar(c, "SELECT status FROM tandem.migrations WHERE id = '" + ID + "'"));
            assertEquals(1L, Db.count(c, "SELECT count(*) FROM tandem.history WHERE migration_id = '" + ID
                    + "' AND action = 'baseline' AND who <> ''"));
            Cli.Result history = Cli.run(Cli.withDb(db, "history", ID));
            assertTrue(history.out().contains("baseline"), history.describe());

            // now Tandem knows 0001: a second baseline is refused; apply carries on with 0002 only
            Cli.Result again = Cli.run(Cli.withDb(db, "baseline", cl.toString(), "--to", ID, "--base-snapshot", base.toString()));
            assertEquals(2, again.code(), again.describe());
            Cli.Result apply = Cli.run(Cli.withDb(db, "apply", cl.toString()));
            assertEquals(0, apply.code(), apply.describe());
            assertFalse(apply.err().contains("== " + ID), "0001 is done, nothing of it runs: " + apply.describe());
            assertTrue(Db.columnExists(c, "public", "users", "nickname"));
        }
    }

    @Test
    void withoutABaseSnapshotTheChangelogAloneBuildsTheSchema() throws Exception {
        Path cl = Files.createDirectories(tmp.resolve("fresh"));
        Files.writeString(cl.resolve("0001_create_tags.yaml"), "description: tags\nchanges:\n  - create_table:\n      table: tags\n"
                + "      columns:\n        - {name: id, type: bigint, primary_key: true}\n        - {name: label, type: text, nullable: false}\n");
        TestDatabase db = TestDatabase.create("CliBaselineTest_fresh");
        try (Connection c = db.connect()) {
            Db.exec(c, "CREATE TABLE tags (id bigint PRIMARY KEY, label text)");
            Cli.Result diff = Cli.run(Cli.withDb(db, "baseline", cl.toString(), "--to", "0001_create_tags"));
            assertEquals(4, diff.code(), diff.describe());
            assertTrue(diff.out().contains("public.tags.label text NOT NULL"), diff.describe());
            assertFalse(stateSchemaExists(c));
            Db.exec(c, "ALTER TABLE tags ALTER COLUMN label SET NOT NULL");
            Cli.Result ok = Cli.run(Cli.withDb(db, "baseline", cl.toString(), "--to", "0001_create_tags", "--format", "json"));
            assertEquals(0, ok.code(), ok.describe());
            assertEquals(Boolean.TRUE, json(ok).get("recorded"));
            Cli.Result unknown = Cli.run(Cli.withDb(db, "baseline", cl.toString(), "--to", "0099_nope"));
            assertEquals(2, unknown.code(), unknown.describe());
        }
    }
}
