package dev.tandem.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.testing.Cli;
import dev.tandem.testing.Db;
import dev.tandem.testing.SampleSchema;
import dev.tandem.testing.TestDatabase;
import dev.tandem.util.Json;
import java.io.StringReader;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.SchemaFactory;
import org.junit.jupiter.api.Test;

/**
 * {@code tandem verify} through the command line, on scratch databases given by URL: reports on
 * stdout only, the refusal of a database holding foreign tables, and the clean-up that lets the
 * same scratch database be used again.
 */
class CliVerifyTest {
    private static final String RENAME = SampleSchema.repoRoot().resolve("changelogs/0001_rename_full_name.yaml").toString();
    private static final String SCHEMA = SampleSchema.repoRoot().resolve("samples/schema.sql").toString();

    private static String[] verify(TestDatabase db, String... more) {
        List<String> a = new ArrayList<>(List.of("verify", RENAME, "--rows", "200"));
        a.addAll(List.of(more));
        a.addAll(Cli.dbArgs(db));
        return a.toArray(String[]::new);
    }

    /** The sample rename is correct: verify reports no error finding and exits 0. */
    private static void assertPasses(Cli.Result r, List<Map<String, Object>> findings) {
        List<Map<String, Object>> errors = findings.stream().filter(f -> f.get("severity").equals("error")).toList();
        assertEquals(List.of(), errors, r.describe());
        assertEquals(0, r.code(), r.describe());
    }

    @SuppressWarnings("unchecked")
    @Test
    void jsonAndJunitReportsOnStdoutAndTheScratchDatabaseIsCleanedUp(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        TestDatabase db = TestDatabase.create("cli_verify");
        // as pg_dump 17.6+ writes it: psql meta-commands around the SQL
        java.nio.file.Path dump = dir.resolve("schema.sql");
        java.nio.file.Files.writeString(dump, "\\restrict abc123\n" + SampleSchema.schemaSql() + "\n\\unrestrict abc123\n");
        Cli.Result json = Cli.run(verify(db, "--base-schema", dump.toString(), "--format", "json"));
        Map<String, Object> root = (Map<String, Object>) Json.parse(json.out());
        assertEquals("verify", root.get("tool"));
        assertPasses(json, (List<Map<String, Object>>) root.get("findings"));
        assertEquals(7, ((List<?>) root.get("cases")).size());
        assertTrue(json.err().contains("verify: 0001_rename_full_name"), json.err());
        try (Connection c = db.connect()) {
            assertEquals(0, Db.count(c, "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                    + " WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'"),
                    "verify dropped what it created: " + json.err());
            assertEquals(0, Db.count(c, "SELECT count(*) FROM pg_namespace WHERE nspname = 'tandem'"));
            assertEquals(0, Db.count(c, "SELECT count(*) FROM pg_type WHERE typname = 'task_status'"));
        }

        Cli.Result junit = Cli.run(verify(db, "--base-schema", SCHEMA, "--format", "junit"));
        assertEquals(0, junit.code(), junit.describe());
        var schema = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI)
                .newSchema(new StreamSource(CliVerifyTest.class.getResourceAsStream("/dev/tandem/report/junit.xsd")));
        schema.newValidator().validate(new StreamSource(new StringReader(junit.out())));
        assertTrue(junit.out().contains("name=\"switch-reads\""), junit.out());
        assertEquals(junit.code() == 0, !junit.out().contains("<failure"), junit.describe());
    }

    @Test
    void scratchDatabaseWithAForeignTableIsRefusedUnlessAllowed() throws Exception {
        TestDatabase db = TestDatabase.create("cli_verify_foreign");
        try (Connection c = db.connect()) {
            Db.exec(c, "CREATE TABLE public.legacy_orders (id integer PRIMARY KEY)");
        }
        Cli.Result refused = Cli.run(verify(db, "--base-schema", SCHEMA));
        assertEquals(2, refused.code(), refused.describe());
        assertTrue(refused.err().contains("holds table public.legacy_orders, which Tandem did not create"), refused.err());
        assertTrue(refused.err().contains("--allow-existing"), refused.err());
        assertEquals("", refused.out());
        try (Connection c = db.connect()) {
            assertEquals(0, Db.count(c, "SELECT count(*) FROM pg_namespace WHERE nspname = 'tandem'"), "nothing changed");
            assertEquals(0, Db.count(c, "SELECT count(*) FROM pg_class WHERE relname = 'users'"), "nothing changed");
            SampleSchema.load(c); // the schema is there already: no --base-schema below
        }

        Cli.Result allowed = Cli.run(verify(db, "--allow-existing", "--format", "json"));
        @SuppressWarnings("unchecked")
        Map<String, Object> root = (Map<String, Object>) Json.parse(allowed.out());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> findings = (List<Map<String, Object>>) root.get("findings");
        assertPasses(allowed, findings);
        try (Connection c = db.connect()) {
            assertEquals(1, Db.count(c, "SELECT count(*) FROM pg_class WHERE relname = 'legacy_orders'"), "left alone");
            assertTrue(Db.columnExists(c, "public", "users", "display_name"), "with --allow-existing nothing is cleaned up");
            assertFalse(Db.columnExists(c, "public", "users", "full_name"), "the migration was carried through purge");
        }
    }

    @Test
    void badInputIsExitTwo() {
        Cli.Result r = Cli.run("verify", RENAME, "--allow-existing");
        assertEquals(2, r.code(), r.describe());
        assertTrue(r.err().contains("need --url"), r.err());
        Cli.Result m = Cli.run("verify", RENAME, "--migration", "0002_nope", "--url", "jdbc:postgresql://localhost:1/x");
        assertTrue(m.code() == 2 || m.code() == 1, m.describe());
    }
}
