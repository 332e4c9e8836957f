package dev.tandem.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

/** {@code tandem repair ID}: accepts a description/comment/layout edit of a started migration, refuses a semantic one with the differences. */
class CliRepairTest {
    static final String ID = CliLifecycleTest.ID;

    @TempDir
    Path tmp;

    private static String checksum(Connection c) throws Exception {
        return (String) Db.scalar(c, "SELECT checksum FROM tandem.migrations WHERE id = '" + ID + "'");
    }

    @Test
    void aDescriptionEditIsAcceptedAndASemanticOneRefused() throws Exception {
        TestDatabase db = CliLifecycleTest.sampleDb("CliRepairTest", 40);
        Path cl = Files.createDirectories(tmp.resolve("cl"));
        Path file = cl.resolve(ID + ".yaml");
        Files.writeString(file, CliLifecycleTest.rename("users", "full_name", "display_name"));
        assertEquals(0, Cli.run(Cli.withDb(db, "apply", cl.toString())).code());
        try (Connection c = db.connect()) {
            String original = checksum(c);
            // description, a comment and the layout change; the intent does not
            Files.writeString(file, "# reworded after review\ndescription: Show users by their display name\nchanges:\n"
                    + "  - rename_column: {table: users, column: full_name,   to: display_name}   # same change\n");
            Cli.Result drift = Cli.run(Cli.withDb(db, "apply", cl.toString()));
            assertEquals(2, drift.code(), drift.describe());
            assertTrue(drift.err().contains("checksum drift") && drift.err().contains("tandem repair"), drift.describe());

            Cli.Result dry = Cli.run(Cli.withDb(db, "repair", ID, cl.toString(), "--dry-run"));
            assertEquals(0, dry.code(), dry.describe());
            assertEquals(original, checksum(c), "a dry run stores nothing");

            Cli.Result ok = Cli.run(Cli.withDb(db, "repair", ID, cl.toString(), "--format", "json"));
            assertEquals(0, ok.code(), ok.describe());
            @SuppressWarnings("unchecked")
            Map<String, Object> doc = (Map<String, Object>) Json.parse(ok.out());
            assertEquals(Boolean.TRUE, doc.get("repaired"), doc.toString());
            assertFalse(original.equals(checksum(c)));
            assertEquals("Show users by their display name", Db.scalar(c, "SELECT description FROM tandem.migrations WHERE id = '" + ID + "'"));
            assertEquals(1L, Db.count(c, "SELECT count(*) FROM tandem.history WHERE migration_id = '" + ID + "' AND action = 'repair'"));
            Cli.Result status = Cli.run(Cli.withDb(db, "status", cl.toString(), "--format", "json"));
            assertFalse(status.out().contains("\"checksum_ok\": false"), status.describe());
            assertEquals(0, Cli.run(Cli.withDb(db, "switch-reads", ID)).code(), "the migration carries on");

            // a semantic edit: another target name
            String repaired = checksum(c);
            Files.writeString(file, CliLifecycleTest.rename("users", "full_name", "shown_name"));
            Cli.Result refused = Cli.run(Cli.withDb(db, "repair", ID, cl.toString(), "--format", "json"));
            assertEquals(4, refused.code(), refused.describe());
            @SuppressWarnings("unchecked")
            Map<String, Object> r = (Map<String, Object>) Json.parse(refused.out());
            assertEquals(Boolean.FALSE, r.get("accepted"));
            assertTrue(((List<?>) r.get("differences")).stream().anyMatch(d -> d.toString().contains("shown_name")), r.toString());
            assertEquals(repaired, checksum(c), "nothing stored");
            Cli.Result text = Cli.run(Cli.withDb(db, "repair", ID, cl.toString()));
            assertEquals(4, text.code());
            assertTrue(text.out().contains("refused") && text.out().contains("shown_name"), text.describe());

            // a migration started before offline plans were recorded: repair cannot tell, exit 2
            Files.writeString(file, "description: again reworded\nchanges:\n  - rename_column: {table: users, column: full_name, to: display_name}\n");
            Db.exec(c, "DELETE FROM tandem.offline_plans");
            Cli.Result unknown = Cli.run(Cli.withDb(db, "repair", ID, cl.toString()));
            assertEquals(2, unknown.code(), unknown.describe());
            assertTrue(unknown.err().contains("cannot tell"), unknown.describe());
            assertEquals(2, Cli.run(Cli.withDb(db, "repair", "0099_nope", cl.toString())).code());
        }
    }
}
