package dev.tandem.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.catalog.Fingerprint;
import dev.tandem.testing.Cli;
import dev.tandem.testing.Db;
import dev.tandem.testing.SampleSchema;
import dev.tandem.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input through the command line: every case exits 2, says what is wrong and where, and leaves
 * the database exactly as it was (no DDL, no started migration).
 */
class CliBadInputTest {
    static TestDatabase db;
    static Connection c;

    @TempDir
    Path tmp;

    @BeforeAll
    static void setUp() throws SQLException {
        db = TestDatabase.create("CliBadInputTest");
        c = db.connect();
        SampleSchema.load(c);
        SampleSchema.seed(c, 200);
    }

    @AfterAll
    static void tearDown() throws SQLException {
        if (c != null) {
            c.close();
        }
    }

    private Path write(String name, String content) throws IOException {
        Path p = tmp.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
        return p;
    }

    static String rename(String table, String column, String to) {
        return "description: test\nchanges:\n  - rename_column:\n      table: " + table + "\n      column: " + column
                + "\n      to: " + to + "\n";
    }

    /** Runs apply on the path; asserts exit 2, stderr matching, database unchanged; returns the result. */
    private Cli.Result applyFails(Path path, String... errContains) throws SQLException {
        Fingerprint before = Db.publicFingerprint(c);
        Cli.Result r = Cli.run(Cli.withDb(db, "apply", path.toString()));
        assertEquals(2, r.code(), r.describe());
        for (String s : errContains) {
            assertTrue(r.err().contains(s), () -> "stderr should contain '" + s + "':\n" + r.describe());
        }
        assertUnchanged(before);
        return r;
    }

    private static void assertUnchanged(Fingerprint before) throws SQLException {
        Fingerprint after = Db.publicFingerprint(c);
        assertEquals(List.of(), before.diff(after), "schema public changed");
        long rows = Db.tandemMigrationRows(c);
        assertTrue(rows <= 0, "tandem.migrations must be absent or empty, has " + rows + " rows");
    }

    /** stderr names the file with line and column: {@code <file>:<line>:<column>:}. */
    private static void namesPosition(Cli.Result r, Path file) {
        Pattern p = Pattern.compile(Pattern.quote(file.toString()) + ":\\d+:\\d+: ");
        assertTrue(p.matcher(r.err()).find(), () -> "stderr should name " + file + ":line:column:\n" + r.describe());
    }

    @Test
    void malformedYaml() throws Exception {
        Path f = write("a/0001_bad.yaml", "changes:\n  - rename_column:\n      table: users: x\n");
        Cli.Result r = applyFails(f, "invalid YAML");
        assertTrue(r.err().contains(f + ":3:19:"), r.describe());
    }

    @Test
    void unknownKey() throws Exception {
        Path f = write("b/0001_bad.yaml", "author: me\n" + rename("users", "full_name", "display_name"));
        Cli.Result r = applyFails(f, "unknown top-level key 'author'");
        assertTrue(r.err().contains(f + ":1:1:"), r.describe());
    }

    @Test
    void unknownIntent() throws Exception {
        Path f = write("c/0001_bad.yaml", "changes:\n  - drop_everything: {table: users}\n");
        Cli.Result r = applyFails(f, "unknown intent kind 'drop_everything'");
        assertTrue(r.err().contains(f + ":2:5:"), r.describe());
    }

    @Test
    void unknownTable() throws Exception {
        Path f = write("d/0001_bad.yaml", rename("no_such_table", "full_name", "display_name"));
        Cli.Result r = applyFails(f, "unknown table", "no_such_table");
        namesPosition(r, f);
    }

    @Test
    void unknownColumn() throws Exception {
        Path f = write("e/0001_bad.yaml", rename("users", "no_such_column", "display_name"));
        Cli.Result r = applyFails(f, "unknown column", "no_such_column");
        namesPosition(r, f);
    }

    @Test
    void targetColumnAlreadyExists() throws Exception {
        Path f = write("f/0001_bad.yaml", rename("users", "full_name", "email"));
        Cli.Result r = applyFails(f, "already exists", "email");
        namesPosition(r, f);
    }

    @Test
    void planWithUrlReportsUnknownColumnToo() throws Exception {
        Path f = write("g/0001_bad.yaml", rename("users", "no_such_column", "display_name"));
        Fingerprint before = Db.publicFingerprint(c);
        Cli.Result r = Cli.run(Cli.withDb(db, "plan", f.toString()));
        assertEquals(2, r.code(), r.describe());
        namesPosition(r, f);
        assertEquals("", r.out(), "no partial plan on stdout");
        assertUnchanged(before);
    }

    @Test
    void missingUrl() throws Exception {
        Fingerprint before = Db.publicFingerprint(c);
        Path cl = SampleSchema.repoRoot().resolve("changelogs");
        Cli.Result r = Cli.run("apply", cl.toString());
        assertEquals(2, r.code(), r.describe());
        assertTrue(r.err().contains("--url") || r.err().contains("TANDEM_URL"), r.describe());
        assertUnchanged(before);
        // the environment variable is honoured when set
        Cli.Result viaEnv = Cli.run(Map.of("TANDEM_URL", "mysql://localhost/x"), "status", cl.toString());
        assertEquals(2, viaEnv.code(), viaEnv.describe());
        assertTrue(viaEnv.err().contains("unsupported"), viaEnv.describe());
    }

    @Test
    void unsupportedUrlScheme() throws Exception {
        Fingerprint before = Db.publicFingerprint(c);
        Path cl = SampleSchema.repoRoot().resolve("changelogs");
        for (String url : List.of("mysql://root:hunter2@localhost/db", "jdbc:mysql://localhost/db", "localhost:5432/db")) {
            Cli.Result r = Cli.run("apply", cl.toString(), "--url", url);
            assertEquals(2, r.code(), url + ": " + r.describe());
            assertTrue(r.err().contains("unsupported"), url + ": " + r.describe());
            assertFalse(r.all().contains("hunter2"), "password echoed: " + r.describe());
        }
        assertUnchanged(before);
    }

    @Test
    void nonexistentPath() throws Exception {
        Fingerprint before = Db.publicFingerprint(c);
        Path missing = tmp.resolve("does/not/exist");
        for (String cmd : List.of("apply", "plan")) {
            Cli.Result r = Cli.run(Cli.withDb(db, cmd, missing.toString()));
            assertEquals(2, r.code(), cmd + ": " + r.describe());
            assertTrue(r.err().contains(missing.toString()), cmd + ": " + r.describe());
        }
        assertUnchanged(before);
    }

    /** Commands out of order or with impossible arguments: exit 2, state and schema unchanged. */
    @Test
    void lifecycleMisuseIsExit2() throws Exception {
        TestDatabase own = TestDatabase.create("CliBadInputTest_misuse");
        Path cl = SampleSchema.repoRoot().resolve("changelogs");
        String id = "0001_rename_full_name";
        try (Connection oc = own.connect()) {
            SampleSchema.load(oc);
            SampleSchema.seed(oc, 50);
            String[][] beforeStart = {
                {"switch-reads", id}, {"contract", id, "--yes"}, {"rollback", id}, {"purge", id, "--yes"},
                {"apply", cl.toString(), "--to", "switch-reads"}, {"apply", cl.toString(), "--to", "nonsense"},
                {"rollback", id, "--to", "expand", "--all"}, {"apply", cl.toString(), "--lock-timeout", "0"},
                {"apply", cl.toString(), "--batch-size", "0"}, {"frobnicate"},
            };
            for (String[] cmd : beforeStart) {
                Fingerprint before = Db.publicFingerprint(oc);
                Cli.Result r = Cli.run(Cli.withDb(own, cmd));
                assertEquals(2, r.code(), String.join(" ", cmd) + "\n" + r.describe());
                assertFalse(r.err().isBlank(), String.join(" ", cmd) + ": no message");
                assertEquals(List.of(), before.diff(Db.publicFingerprint(oc)), String.join(" ", cmd));
                assertTrue(Db.tandemMigrationRows(oc) <= 0, String.join(" ", cmd));
            }
            Cli.Result applied = Cli.run(Cli.withDb(own, "apply", cl.toString(), "--to", "dual-write"));
            assertEquals(0, applied.code(), applied.describe());
            String[][] afterDualWrite = {
                {"switch-reads", id}, {"contract", id, "--yes"}, {"purge", id, "--yes"},
                {"rollback", id, "--to", "dual-write"}, {"rollback", id, "--to", "contract"},
                {"rollback", "0999_unknown"},
            };
            for (String[] cmd : afterDualWrite) {
                Fingerprint before = Db.publicFingerprint(oc);
                Object state = Db.scalar(oc, "SELECT phase || status || updated_at FROM tandem.migrations");
                Cli.Result r = Cli.run(Cli.withDb(own, cmd));
                assertEquals(2, r.code(), String.join(" ", cmd) + "\n" + r.describe());
                assertEquals(List.of(), before.diff(Db.publicFingerprint(oc)), String.join(" ", cmd));
                assertEquals(state, Db.scalar(oc, "SELECT phase || status || updated_at FROM tandem.migrations"),
                        String.join(" ", cmd));
            }
        }
    }

    @Test
    void secondFileBadMeansFirstIsNotRun() throws Exception {
        write("h/0001_rename_full_name.yaml", rename("users", "full_name", "display_name"));
        Path second = write("h/0002_rename_title.yaml", rename("tasks", "no_such_column", "name"));
        Cli.Result r = applyFails(tmp.resolve("h"), "unknown column", "no_such_column");
        namesPosition(r, second);
        assertFalse(Db.columnExists(c, "public", "users", "display_name"), "the first migration must not have run");
        assertFalse(r.out().contains("0001_rename_full_name:"), r.describe());
    }

    /**
     * The second file depends on the first: it renames the column that the first creates. Planned on
     * the catalog as the first leaves it, this is valid; a bad third file must still stop both.
     */
    @Test
    void validationUsesTheProjectedCatalog() throws Exception {
        write("i/0001_rename_full_name.yaml", rename("users", "full_name", "display_name"));
        write("i/0002_rename_title.yaml", rename("tasks", "title", "name"));
        Path third = write("i/0003_bad.yaml", rename("users", "full_name", "nickname")); // gone after 0001
        Cli.Result r = applyFails(tmp.resolve("i"), "unknown column", "full_name");
        namesPosition(r, third);
        assertFalse(Db.columnExists(c, "public", "users", "display_name"));
        assertFalse(Db.columnExists(c, "public", "tasks", "name"));
    }
}
