package dev.tandem.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.testing.Cli;
import dev.tandem.util.Json;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.SchemaFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** tandem lint through the command line: formats, exit codes, bad input. */
class CliLintTest {
    @TempDir
    Path dir;

    static final String UNSAFE = "SET lock_timeout = '1s';\nCREATE INDEX users_email_idx ON users (email);\n";
    static final String SAFE = "SET lock_timeout = '1s';\nCREATE INDEX CONCURRENTLY users_email_idx ON users (email);\n";

    Path write(String name, String sql) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, sql);
        return p;
    }

    @Test
    void exitCodesFollowTheFindings() throws Exception {
        Cli.Result safe = Cli.run("lint", write("safe.sql", SAFE).toString());
        assertEquals(0, safe.code(), safe.describe());
        Cli.Result unsafe = Cli.run("lint", write("unsafe.sql", UNSAFE).toString());
        assertEquals(4, unsafe.code(), unsafe.describe());
        assertTrue(unsafe.out().startsWith(dir.resolve("unsafe.sql") + ":2:1: error: create-index-not-concurrent: "), unsafe.out());
        assertEquals("", unsafe.err());
        // a warning alone does not fail the gate
        Cli.Result warning = Cli.run("lint", write("w.sql", "SET lock_timeout = '1s';\nALTER TABLE t ADD COLUMN x int DEFAULT f();\n").toString());
        assertEquals(0, warning.code(), warning.describe());
        assertTrue(warning.out().contains("warning: add-column-volatile-default"), warning.out());
    }

    @Test
    void jsonHasTheDocumentedShape() throws Exception {
        Cli.Result r = Cli.run("lint", "--format", "json", write("a.sql", UNSAFE).toString(), write("b.sql", SAFE).toString());
        assertEquals(4, r.code());
        @SuppressWarnings("unchecked")
        Map<String, Object> root = (Map<String, Object>) Json.parse(r.out());
        assertEquals("lint", root.get("tool"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> findings = (List<Map<String, Object>>) root.get("findings");
        assertEquals(1, findings.size());
        Map<String, Object> f = findings.get(0);
        assertEquals(dir.resolve("a.sql").toString(), f.get("file"));
        assertEquals(2L, f.get("line"));
        assertEquals("create-index-not-concurrent", f.get("rule"));
        assertEquals("error", f.get("severity"));
        assertTrue(f.get("message").toString().contains("users"));
        assertEquals(2, ((List<?>) root.get("cases")).size());
    }

    @Test
    void junitValidatesAndOtherFormats() throws Exception {
        Path a = write("a.sql", UNSAFE);
        Cli.Result junit = Cli.run("lint", "--format", "junit", a.toString(), write("b.sql", SAFE).toString());
        var schema = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI)
                .newSchema(new StreamSource(getClass().getResourceAsStream("/dev/tandem/report/junit.xsd")));
        schema.newValidator().validate(new StreamSource(new StringReader(junit.out())));
        assertTrue(junit.out().contains("<failure type=\"create-index-not-concurrent\""), junit.out());
        Cli.Result github = Cli.run("lint", "--format", "github", a.toString());
        assertTrue(github.out().startsWith("::error file=" + a + ",line=2,col=1,title=create-index-not-concurrent::"), github.out());
        Cli.Result md = Cli.run("lint", "--format", "markdown", a.toString());
        assertTrue(md.out().startsWith("### tandem lint: failed"), md.out());
    }

    @Test
    void foldersAndPgVersion() throws Exception {
        Path sub = Files.createDirectory(dir.resolve("migrations"));
        Files.writeString(sub.resolve("V2__b.sql"), "SET lock_timeout = '1s';\nALTER TABLE t ADD COLUMN a int NOT NULL DEFAULT 0;\n");
        Files.writeString(sub.resolve("V1__a.sql"), "SELECT 1;\n");
        Files.writeString(sub.resolve("notes.txt"), "DROP TABLE users;\n");
        Cli.Result pg14 = Cli.run("lint", sub.toString(), "--format", "json");
        assertEquals(0, pg14.code(), pg14.describe());
        Cli.Result pg10 = Cli.run("lint", sub.toString(), "--pg-version", "10");
        assertEquals(4, pg10.code(), pg10.describe());
        assertTrue(pg10.out().contains("V2__b.sql:2:") && pg10.out().contains("add-column-default-rewrite"), pg10.out());
        assertTrue(pg10.out().contains("in 2 cases"), "only the .sql files, in name order: " + pg10.out());
    }

    @Test
    void helpExitsZero() {
        for (String command : List.of("lint", "check", "snapshot")) {
            Cli.Result r = Cli.run(command, "--help");
            assertEquals(0, r.code(), r.describe());
            assertTrue(r.out().contains("Usage: tandem " + command), r.out());
        }
    }

    @Test
    void badInputExitsTwoWithNothingOnStdout() throws Exception {
        for (Cli.Result r : List.of(Cli.run("lint"), Cli.run("lint", dir.resolve("missing.sql").toString()),
                Cli.run("lint", "--format", "xml", write("a.sql", SAFE).toString()),
                Cli.run("lint", "--pg-version", "abc", write("b.sql", SAFE).toString()),
                Cli.run("lint", "--pg-version", "3", write("c.sql", SAFE).toString()))) {
            assertEquals(2, r.code(), r.describe());
            assertEquals("", r.out(), r.describe());
        }
        Path latin1 = dir.resolve("latin1.sql");
        Files.write(latin1, new byte[] {'S', 'E', 'L', 'E', 'C', 'T', ' ', '\'', (byte) 0xE9, '\'', ';'});
        Cli.Result r = Cli.run("lint", latin1.toString());
        assertEquals(2, r.code(), r.describe());
        assertTrue(r.err().contains("latin1.sql:1:1: file is not valid UTF-8"), r.err());
    }
}
