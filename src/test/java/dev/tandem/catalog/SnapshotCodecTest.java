package dev.tandem.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.TandemException;
import dev.tandem.testing.Cli;
import dev.tandem.testing.SampleSchema;
import dev.tandem.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The snapshot JSON round-trips every field of a real catalog; tandem snapshot writes it. */
class SnapshotCodecTest {
    static TestDatabase db;
    static Connection c;

    @BeforeAll
    static void setUp() throws Exception {
        db = TestDatabase.create("SnapshotCodecTest");
        c = db.connect();
        SampleSchema.load(c);
        try (Statement s = c.createStatement()) {
            // things the sample lacks: an expression and partial index, a NOT VALID check, comments, odd names
            s.execute("CREATE INDEX users_lower_email_idx ON users (lower(email)) WHERE created_at > '2020-01-01'");
            s.execute("ALTER TABLE tasks ADD CONSTRAINT tasks_title_nn CHECK (title IS NOT NULL) NOT VALID");
            s.execute("COMMENT ON TABLE users IS 'people \"quoted\" – ünïcode'");
            s.execute("CREATE SCHEMA billing");
            s.execute("CREATE TABLE billing.\"Invoice Lines\" (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
                    + " amount numeric(12,2) NOT NULL DEFAULT 0, total numeric GENERATED ALWAYS AS (amount * 2) STORED)");
        }
    }

    @AfterAll
    static void tearDown() throws Exception {
        c.close();
    }

    @Test
    void roundTripsARealCatalog() {
        CatalogSnapshot snapshot = CatalogReader.read(c, List.of("public", "billing"));
        assertTrue(snapshot.allTables().size() >= 6, "sample tables read: " + snapshot.tables().keySet());
        String json = SnapshotCodec.encode(snapshot);
        CatalogSnapshot back = SnapshotCodec.decode(json, "s.json");
        assertEquals(snapshot, back);
        assertEquals(json, SnapshotCodec.encode(back));
        Table users = back.table(new dev.tandem.sql.QualifiedName("public", "users")).orElseThrow();
        Index expr = users.indexes().stream().filter(i -> i.name().equals("users_lower_email_idx")).findFirst().orElseThrow();
        assertEquals(java.util.Arrays.asList((String) null), expr.keys(), "expression keys stay null");
        assertTrue(expr.predicate().isPresent());
    }

    @Test
    void rejectsWhatIsNotASnapshot() {
        TandemException notJson = assertThrows(TandemException.class, () -> SnapshotCodec.decode("{", "x.json"));
        assertEquals(TandemException.BAD_INPUT, notJson.exitCode());
        assertTrue(notJson.getMessage().startsWith("x.json: "), notJson.getMessage());
        TandemException wrong = assertThrows(TandemException.class, () -> SnapshotCodec.decode("{\"format\":\"plan\"}", "x.json"));
        assertTrue(wrong.getMessage().contains("not a Tandem catalog snapshot"), wrong.getMessage());
        String missing = "{\"format\":\"tandem-catalog-snapshot\",\"version\":1,\"server_version_num\":1,"
                + "\"tables\":[{\"schema\":\"public\",\"name\":\"t\"}]}";
        TandemException m = assertThrows(TandemException.class, () -> SnapshotCodec.decode(missing, "x.json"));
        assertTrue(m.getMessage().contains("\"columns\" must be an array"), m.getMessage());
    }

    @Test
    void cliWritesTheSnapshotToAFileOrStdout(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("schema.json");
        Cli.Result r = Cli.run(Cli.withDb(db, "snapshot", "--schema", "public,billing", "-o", out.toString()));
        assertEquals(0, r.code(), r.describe());
        assertEquals("", r.out(), "with -o nothing goes to stdout");
        CatalogSnapshot fromFile = SnapshotCodec.decode(Files.readString(out), out.toString());
        assertEquals(CatalogReader.read(c, List.of("public", "billing")), fromFile);

        Cli.Result toStdout = Cli.run(Cli.withDb(db, "snapshot"));
        assertEquals(0, toStdout.code(), toStdout.describe());
        CatalogSnapshot publicOnly = SnapshotCodec.decode(toStdout.out(), "stdout");
        assertTrue(publicOnly.tables().keySet().stream().allMatch(n -> n.schema().equals("public")));

        Cli.Result noUrl = Cli.run("snapshot");
        assertEquals(2, noUrl.code(), noUrl.describe());
    }
}
