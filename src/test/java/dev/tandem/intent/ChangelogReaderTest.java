package dev.tandem.intent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.TandemException;
import dev.tandem.sql.Names;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChangelogReaderTest {
    @TempDir
    Path dir;

    private static final String VALID = """
            # rename a column
            description: Rename users.full_name to display_name
            changes:
              - rename_column:
                  table: users
                  column: full_name
                  to: display_name
              - rename_column: {table: billing.invoices, column: amt, to: amount}
            """;

    private Path write(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content, StandardCharsets.UTF_8);
        return p;
    }

    private TandemException fails(Path p) {
        TandemException e = assertThrows(TandemException.class, () -> ChangelogReader.readPath(p));
        assertEquals(TandemException.BAD_INPUT, e.exitCode(), e.getMessage());
        return e;
    }

    private void failsWith(Path p, String expectedPrefix, String... contains) {
        String msg = fails(p).getMessage();
        assertTrue(msg.startsWith(expectedPrefix), () -> "expected prefix '" + expectedPrefix + "' in: " + msg);
        for (String c : contains) {
            assertTrue(msg.contains(c), () -> "expected '" + c + "' in: " + msg);
        }
        assertTrue(!msg.contains("\n"), () -> "message should be one line: " + msg);
    }

    /** A one-intent migration with the given rename_column fields (already YAML-formatted). */
    private static String rename(String table, String column, String to) {
        return "changes:\n  - rename_column:\n      table: " + table + "\n      column: " + column
                + "\n      to: " + to + "\n";
    }

    private RenameColumn readRename(String yaml) throws IOException {
        Path p = write("0001_x.yaml", yaml);
        Migration m = ChangelogReader.readFile(p);
        assertEquals(1, m.changes().size());
        return (RenameColumn) m.changes().get(0);
    }

    // ------------------------------------------------------------------ valid input

    @Test
    void readsValidFile() throws IOException {
        Path p = write("0001_rename_full_name.yaml", VALID);
        Migration m = ChangelogReader.readFile(p);
        assertEquals("0001_rename_full_name", m.id());
        assertEquals(p.toString(), m.file());
        assertEquals("Rename users.full_name to display_name", m.description());
        assertEquals(Names.sha256Hex(VALID), m.checksum());
        assertEquals(2, m.changes().size());

        RenameColumn r = (RenameColumn) m.changes().get(0);
        assertEquals("rename_column", r.kind());
        assertEquals(new TableRef(Optional.empty(), "users"), r.table());
        assertEquals("full_name", r.column());
        assertEquals("display_name", r.to());
        assertEquals(new Position(p.toString(), 4, 5), r.position());

        RenameColumn r2 = (RenameColumn) m.changes().get(1);
        assertEquals(new TableRef(Optional.of("billing"), "invoices"), r2.table());
        assertEquals("amt", r2.column());
        assertEquals("amount", r2.to());
        assertEquals(new Position(p.toString(), 8, 5), r2.position());

        assertEquals(List.of(m), ChangelogReader.readPath(p));
    }

    @Test
    void checksumIgnoresLineEndingsButNotContent() throws IOException {
        Path lf = write("lf/0001_x.yaml", VALID);
        Path crlf = write("crlf/0001_x.yaml", VALID.replace("\n", "\r\n"));
        Path cr = write("cr/0001_x.yaml", VALID.replace("\n", "\r"));
        Path other = write("other/0001_x.yaml", VALID.replace("display_name", "display"));
        Migration a = ChangelogReader.readFile(lf);
        Migration b = ChangelogReader.readFile(crlf);
        Migration c = ChangelogReader.readFile(cr);
        assertEquals(a.checksum(), b.checksum());
        assertEquals(a.checksum(), c.checksum());
        assertEquals(a.checksum(), ChangelogReader.readFile(lf).checksum(), "stable across reads");
        assertNotEquals(a.checksum(), ChangelogReader.readFile(other).checksum());
        assertEquals(a.changes().size(), b.changes().size());
        // positions are the same whatever the line endings
        assertEquals(4, b.changes().get(0).position().line());
        assertEquals(8, c.changes().get(1).position().line());
    }

    @Test
    void descriptionIsOptional() throws IOException {
        Path p = write("0001_x.yaml", rename("t", "a", "b"));
        assertEquals("", ChangelogReader.readFile(p).description());
    }

    @Test
    void readsFolderInLexicalOrderIgnoringOtherFiles() throws IOException {
        Path folder = dir.resolve("changelogs");
        write("changelogs/0010_c.yaml", rename("t", "c1", "c2"));
        write("changelogs/0002_b.yml", rename("t", "b1", "b2"));
        write("changelogs/0001_a.yaml", rename("t", "a1", "a2"));
        write("changelogs/README.md", "not yaml");
        write("changelogs/notes.txt", "changes: oops");
        write("changelogs/0003_sub.yaml/0004_nested.yaml", rename("t", "x", "y")); // a folder named *.yaml
        write("changelogs/nested/0000_first.yaml", rename("t", "x", "y"));
        List<Migration> ms = ChangelogReader.readPath(folder);
        assertEquals(List.of("0001_a", "0002_b", "0010_c"), ms.stream().map(Migration::id).toList());
        assertEquals(folder.resolve("0002_b.yml").toString(), ms.get(1).file());
        assertEquals("b1", ((RenameColumn) ms.get(1).changes().get(0)).column());
    }

    @Test
    void emptyFolderIsEmptyList() throws IOException {
        Path folder = Files.createDirectory(dir.resolve("empty"));
        write("empty/readme.txt", "hi");
        assertEquals(List.of(), ChangelogReader.readPath(folder));
    }

    @Test
    void missingPathIsNamed() {
        Path p = dir.resolve("nope");
        TandemException e = fails(p);
        assertTrue(e.getMessage().contains(p.toString()), e.getMessage());
    }

    // ------------------------------------------------------------------ file names and ids

    @Test
    void badFileNamesAreRefused() throws IOException {
        for (String name : List.of("rename.yaml", "0001-x.yaml", "0001_.yaml", "0001_x y.yaml", "x_0001.yml",
                "0001_x.YAML")) {
            Path p = write(name, rename("t", "a", "b"));
            failsWith(p, p + ":1:1: bad migration file name '" + name + "'");
        }
    }

    @Test
    void badFileNameInFolderIsRefused() throws IOException {
        write("cl/0001_a.yaml", rename("t", "a", "b"));
        Path bad = write("cl/config.yml", "x: 1");
        failsWith(dir.resolve("cl"), bad + ":1:1: bad migration file name 'config.yml'");
    }

    @Test
    void duplicateIdsInFolderAreRefused() throws IOException {
        Path a = write("cl/0001_x.yaml", rename("t", "a", "b"));
        Path b = write("cl/0001_x.yml", rename("t", "a", "b"));
        failsWith(dir.resolve("cl"), b + ":1:1: migration id '0001_x' is also used by " + a);
    }

    @Test
    void idKeepsInnerDots() throws IOException {
        Path p = write("0007_v1.2-fix.yml", rename("t", "a", "b"));
        assertEquals("0007_v1.2-fix", ChangelogReader.readFile(p).id());
    }

    // ------------------------------------------------------------------ structural errors

    @Test
    void malformedYamlReportsPosition() throws IOException {
        Path p = write("0001_x.yaml", """
                changes:
                  - rename_column:
                      table: users: x
                """);
        failsWith(p, p + ":3:19: invalid YAML: mapping values are not allowed here");
    }

    @Test
    void unclosedFlowReportsPosition() throws IOException {
        Path p = write("0001_x.yaml", "changes:\n  - rename_column: {table: t, column: a, to: b\n");
        String msg = fails(p).getMessage();
        assertTrue(msg.startsWith(p + ":3:1: invalid YAML: "), msg);
        assertTrue(!msg.contains("\n"), msg);
    }

    @Test
    void emptyFileIsRefused() throws IOException {
        failsWith(write("0001_a.yaml", ""), dir.resolve("0001_a.yaml") + ":1:1: empty migration file");
        failsWith(write("0002_b.yaml", "# only a comment\n\n"), dir.resolve("0002_b.yaml") + ":1:1: empty migration file");
        failsWith(write("0003_c.yaml", "---\n"), dir.resolve("0003_c.yaml") + ":1:1: empty migration file");
    }

    @Test
    void topLevelMustBeMapping() throws IOException {
        Path p = write("0001_x.yaml", "- rename_column: {table: t, column: a, to: b}\n");
        failsWith(p, p + ":1:1: a migration file must be a mapping", "got a list");
    }

    @Test
    void multipleDocumentsAreRefused() throws IOException {
        Path p = write("0001_x.yaml", rename("t", "a", "b") + "---\n" + rename("t", "c", "d"));
        failsWith(p, p + ":6:1: invalid YAML: ", "but found another document");
    }

    @Test
    void unknownTopLevelKey() throws IOException {
        Path p = write("0001_x.yaml", "description: d\nauthor: me\n" + rename("t", "a", "b"));
        failsWith(p, p + ":2:1: unknown top-level key 'author' (allowed: description, changes)");
    }

    @Test
    void missingChanges() throws IOException {
        Path p = write("0001_x.yaml", "description: nothing to do\n");
        failsWith(p, p + ":1:1: missing required key 'changes'");
    }

    @Test
    void emptyChanges() throws IOException {
        Path p = write("0001_x.yaml", "description: d\nchanges: []\n");
        failsWith(p, p + ":2:10: 'changes' must not be empty");
        Path q = write("0002_x.yaml", "description: d\nchanges:\n");
        failsWith(q, q + ":2:1: 'changes' must not be empty");
    }

    @Test
    void changesMustBeList() throws IOException {
        Path p = write("0001_x.yaml", "changes:\n  rename_column: {table: t, column: a, to: b}\n");
        failsWith(p, p + ":2:3: 'changes' must be a list, got a mapping");
    }

    @Test
    void descriptionMustBeString() throws IOException {
        Path p = write("0001_x.yaml", "description: [a, b]\n" + rename("t", "a", "b"));
        failsWith(p, p + ":1:14: 'description' must be a string, got a list");
    }

    @Test
    void unknownIntentKind() throws IOException {
        Path p = write("0001_x.yaml", "changes:\n  - renam_column: {table: t, column: a, to: b}\n");
        // the list of known kinds grows with every intent; it is sorted and includes rename_column
        failsWith(p, p + ":2:5: unknown intent kind 'renam_column' (known: ", "rename_column");
    }

    @Test
    void entryWithSeveralKeysHintsAtIndentation() throws IOException {
        Path p = write("0001_x.yaml", """
                changes:
                  - rename_column:
                    table: t
                    column: a
                    to: b
                """);
        failsWith(p, p + ":2:5: each entry of 'changes' must be a mapping with one key",
                "got 4 keys (rename_column, table, column, to)", "indentation");
    }

    @Test
    void entryMustBeMapping() throws IOException {
        Path p = write("0001_x.yaml", "changes:\n  - rename_column\n");
        failsWith(p, p + ":2:5: each entry of 'changes' must be a mapping", "got a scalar 'rename_column'");
    }

    @Test
    void intentBodyMustBeMapping() throws IOException {
        Path p = write("0001_x.yaml", "changes:\n  - rename_column: [t, a, b]\n");
        failsWith(p, p + ":2:20: rename_column: expected a mapping of fields (table, column, to), got a list");
    }

    @Test
    void unknownField() throws IOException {
        Path p = write("0001_x.yaml", """
                changes:
                  - rename_column:
                      table: users
                      too: display_name
                      column: full_name
                """);
        failsWith(p, p + ":4:7: rename_column: unknown field 'too' (allowed: table, column, to)");
    }

    @Test
    void missingField() throws IOException {
        Path p = write("0001_x.yaml", """
                changes:
                  - rename_column:
                      table: users
                      column: full_name
                """);
        failsWith(p, p + ":2:5: rename_column: missing required field 'to'");
        Path q = write("0002_x.yaml", "changes:\n  - rename_column:\n");
        failsWith(q, q + ":2:5: rename_column: missing required field 'table'");
    }

    @Test
    void nullFieldValue() throws IOException {
        Path p = write("0001_x.yaml", rename("t", "~", "b"));
        failsWith(p, p + ":4:15: rename_column: field 'column' has no value");
    }

    @Test
    void wrongNodeType() throws IOException {
        Path p = write("0001_x.yaml", rename("[a, b]", "a", "b"));
        failsWith(p, p + ":3:14: rename_column: field 'table' must be a string, got a list");
        Path q = write("0002_x.yaml", rename("t", "{x: 1}", "b"));
        failsWith(q, q + ":4:15: rename_column: field 'column' must be a string, got a mapping");
    }

    @Test
    void scalarsOfAnyTagAreReadAsText() throws IOException {
        RenameColumn r = readRename(rename("2024", "1.50", "true"));
        assertEquals("2024", r.table().name());
        assertEquals("1.50", r.column());
        assertEquals("true", r.to());
    }

    @Test
    void duplicateKeyReportsSecondOccurrence() throws IOException {
        Path p = write("0001_x.yaml", """
                changes:
                  - rename_column:
                      table: users
                      column: a
                      column: b
                      to: c
                """);
        failsWith(p, p + ":5:7: rename_column: duplicate key 'column' (first at line 4, column 7)");
        Path q = write("0002_x.yaml", "description: a\ndescription: b\n" + rename("t", "a", "b"));
        failsWith(q, q + ":2:1: duplicate key 'description'");
    }

    @Test
    void mergeKeysAreRefused() throws IOException {
        Path p = write("0001_x.yaml", """
                base: &base {table: t}
                changes:
                  - rename_column:
                      <<: *base
                      column: a
                      to: b
                """);
        // the top-level 'base' key is reported first: anchors must live inside known fields
        failsWith(p, p + ":1:1: unknown top-level key 'base'");
        Path q = write("0002_x.yaml", """
                changes:
                  - rename_column:
                      <<: {table: t}
                      column: a
                      to: b
                """);
        failsWith(q, q + ":3:7: rename_column: YAML merge keys ('<<') are not supported");
    }

    @Test
    void sameColumnAndToIsRefused() throws IOException {
        Path p = write("0001_x.yaml", rename("users", "name", "name"));
        failsWith(p, p + ":5:11: rename_column: field 'to': is the same as 'column' ('name')");
    }

    @Test
    void invalidUtf8IsRefused() throws IOException {
        Path p = dir.resolve("0001_x.yaml");
        Files.write(p, new byte[] {'c', 'h', (byte) 0xC3, (byte) 0x28, ':', '\n'});
        failsWith(p, p + ":1:1: file is not valid UTF-8");
    }

    @Test
    void byteOrderMarkIsAccepted() throws IOException {
        RenameColumn r = readRename("\uFEFF" + rename("t", "a", "b"));
        assertEquals("a", r.column());
        assertEquals(2, r.position().line());
        assertEquals(5, r.position().column());
    }

    // ------------------------------------------------------------------ identifiers

    @Test
    void identifierLengthIsCountedInUtf8Bytes() throws IOException {
        String ascii63 = "a".repeat(63);
        String twoByte63 = "é".repeat(31) + "a"; // 62 + 1
        String threeByte63 = "€".repeat(21); // 63
        String fourByte63 = "😀".repeat(15) + "abc"; // 60 + 3
        for (String ok : List.of(ascii63, twoByte63, threeByte63, fourByte63)) {
            assertEquals(63, ok.getBytes(StandardCharsets.UTF_8).length);
            RenameColumn r = readRename(rename(ok + "." + ok, ok, "b"));
            assertEquals(ok, r.column());
            assertEquals(new TableRef(Optional.of(ok), ok), r.table());
        }
        String ascii64 = "a".repeat(64);
        String twoByte64 = "é".repeat(32);
        String fourByte64 = "😀".repeat(16);
        int n = 10;
        for (String bad : List.of(ascii64, twoByte64, fourByte64)) {
            assertEquals(64, bad.getBytes(StandardCharsets.UTF_8).length);
            Path p = write("00" + n++ + "_x.yaml", rename("t", bad, "b"));
            failsWith(p, p + ":4:15: rename_column: field 'column': identifier '" + bad + "' is 64 bytes");
            Path q = write("00" + n++ + "_x.yaml", rename("s." + bad, "a", "b"));
            failsWith(q, q + ":3:14: rename_column: field 'table': in 's." + bad + "': identifier '" + bad
                    + "' is 64 bytes");
        }
    }

    @Test
    void sixtyThreeByteIdentifierAccepted() throws IOException {
        String name = "é".repeat(31) + "a";
        RenameColumn r = readRename(rename("t", "a", name));
        assertEquals(name, r.to());
    }

    @Test
    void emptyBlankAndNulIdentifiersAreRefused() throws IOException {
        Path p = write("0001_x.yaml", rename("t", "''", "b"));
        failsWith(p, p + ":4:15: rename_column: field 'column': identifier is empty");
        Path q = write("0002_x.yaml", rename("t", "'   '", "b"));
        failsWith(q, q + ":4:15: rename_column: field 'column': identifier is blank");
        Path r = write("0003_x.yaml", rename("t", "a", "\"b\\0c\""));
        failsWith(r, r + ":5:11: rename_column: field 'to': identifier contains a NUL character");
        Path s = write("0004_x.yaml", rename("t", "a", "\"\\uD800\""));
        failsWith(s, s + ":5:11: rename_column: field 'to': ", "unpaired");
    }

    @Test
    void hostileButValidNamesAreTakenVerbatim() throws IOException {
        RenameColumn r = readRename(rename("\"a;b\"", "\"Robert'); DROP TABLE x;--\"", "täble_名前_😀"));
        assertEquals(new TableRef(Optional.empty(), "a;b"), r.table());
        assertEquals("Robert'); DROP TABLE x;--", r.column());
        assertEquals("täble_名前_😀", r.to());

        RenameColumn q = readRename(rename("Users", "'a\"b'", "\"x'y\""));
        assertEquals("Users", q.table().name(), "case preserved");
        assertEquals("a\"b", q.column(), "double quote inside a column name is verbatim");
        assertEquals("x'y", q.to());

        RenameColumn d = readRename(rename("t", "a.b", "\"c\""));
        assertEquals("a.b", d.column(), "columns are never split on dots");
    }

    @Test
    void schemaQualifiedAndQuotedTableNames() throws IOException {
        assertEquals(new TableRef(Optional.of("billing"), "invoices"),
                readRename(rename("billing.invoices", "a", "b")).table());
        assertEquals(new TableRef(Optional.empty(), "my.table"),
                readRename(rename("'\"my.table\"'", "a", "b")).table());
        assertEquals(new TableRef(Optional.of("my schema"), "my.table"),
                readRename(rename("'\"my schema\".\"my.table\"'", "a", "b")).table());
        assertEquals(new TableRef(Optional.of("billing"), "a.b"),
                readRename(rename("'billing.\"a.b\"'", "a", "b")).table());
        assertEquals(new TableRef(Optional.of("Sch.1"), "Invoices"),
                readRename(rename("'\"Sch.1\".Invoices'", "a", "b")).table());
        assertEquals(new TableRef(Optional.empty(), "say \"hi\".now"),
                readRename(rename("'\"say \"\"hi\"\".now\"'", "a", "b")).table());
        assertEquals("billing.invoices", readRename(rename("billing.invoices", "a", "b")).table().toString());
    }

    @Test
    void badTableNamesAreRefused() throws IOException {
        int n = 1;
        for (String[] c : new String[][] {
                {"a.b.c", "has 3 dot-separated parts"},
                {"billing.", "in 'billing.': identifier is empty"},
                {".users", "in '.users': identifier is empty"},
                {"'\"unterminated'", "unterminated quoted identifier"},
                {"'\"a\"b'", "unexpected text after quoted identifier"},
                {"'\"\"'", "identifier is empty"},
        }) {
            Path p = write("00" + n++ + "_x.yaml", rename(c[0], "a", "b"));
            failsWith(p, p + ":3:14: rename_column: field 'table': ", c[1]);
        }
    }

    // ------------------------------------------------------------------ hostile YAML

    @Test
    void billionLaughsFailsCleanly() throws IOException {
        StringBuilder y = new StringBuilder("changes:\n  - rename_column:\n      table: t\n      column: a\n      to: b\n");
        y.append("description: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        // keys after 'description' are unknown, but the composer has to expand them first
        String prev = "a";
        for (int i = 0; i < 9; i++) {
            String name = "b" + i;
            y.append("x").append(i).append(": &").append(name).append(" [");
            for (int j = 0; j < 9; j++) {
                y.append(j == 0 ? "" : ",").append('*').append(prev);
            }
            y.append("]\n");
            prev = name;
        }
        Path p = write("0001_lol.yaml", y.toString());
        TandemException e = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> fails(p));
        assertTrue(e.getMessage().startsWith(p + ":"), e.getMessage());
        assertTrue(e.getMessage().contains("aliases"), e.getMessage());
    }

    @Test
    void fewAliasesAreFine() throws IOException {
        Path p = write("0001_x.yaml", """
                changes:
                  - rename_column:
                      table: &t billing.users
                      column: a
                      to: b
                  - rename_column:
                      table: *t
                      column: c
                      to: d
                """);
        Migration m = ChangelogReader.readFile(p);
        assertEquals(m.changes().get(0) instanceof RenameColumn r0 ? r0.table() : null,
                m.changes().get(1) instanceof RenameColumn r1 ? r1.table() : null);
    }

    @Test
    void globalTagsAreRefusedAndLocalTagsReadAsText() throws IOException {
        Path p = write("0001_x.yaml", rename("!!python/object:os.system t", "a", "b"));
        failsWith(p, p + ":3:14: invalid YAML: Global tag is not allowed");
        Path q = write("0002_x.yaml", "description: !!java.net.URL [\"http://x\"]\n" + rename("t", "a", "b"));
        failsWith(q, q + ":1:14: invalid YAML: Global tag is not allowed");
        RenameColumn r = readRename(rename("!custom t", "!!str a", "!!int 7"));
        assertEquals("t", r.table().name());
        assertEquals("a", r.column());
        assertEquals("7", r.to());
    }

    @Test
    void deepNestingFailsCleanly() throws IOException {
        Path p = write("0001_x.yaml", "description: " + "[".repeat(5000) + "]".repeat(5000) + "\n" + rename("t", "a", "b"));
        failsWith(p, p + ":", "invalid YAML");
    }
}
