package dev.tandem.intent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.TandemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading the metadata intents: fields, null, and errors at {@code file:line:column}. */
class MetadataIntentsReaderTest {
    @TempDir
    Path dir;

    private Migration read(String yaml) throws Exception {
        Path p = dir.resolve("0001_m.yaml");
        Files.writeString(p, yaml);
        return ChangelogReader.readFile(p);
    }

    private String refused(String yaml) throws Exception {
        Files.writeString(dir.resolve("0001_m.yaml"), yaml);
        TandemException e = assertThrows(TandemException.class, () -> ChangelogReader.readFile(dir.resolve("0001_m.yaml")));
        assertEquals(TandemException.BAD_INPUT, e.exitCode());
        return e.getMessage();
    }

    @Test
    void setCommentOfATableAColumnAndNull() throws Exception {
        Migration m = read("""
                changes:
                  - set_comment: {table: billing.invoices, comment: "Issued invoices"}
                  - set_comment: {table: users, column: email, comment: null}
                """);
        SetComment t = (SetComment) m.changes().get(0);
        assertEquals(new TableRef(Optional.of("billing"), "invoices"), t.table());
        assertEquals(Optional.empty(), t.column());
        assertEquals(Optional.of("Issued invoices"), t.comment());
        SetComment c = (SetComment) m.changes().get(1);
        assertEquals(Optional.of("email"), c.column());
        assertEquals(Optional.empty(), c.comment(), "null clears");
    }

    @Test
    void setCommentErrorsPointAtTheField() throws Exception {
        String missing = refused("changes:\n  - set_comment: {table: users, column: email}\n");
        assertTrue(missing.contains("0001_m.yaml:2:") && missing.contains("set_comment") && missing.contains("'comment'"), missing);
        String unknown = refused("changes:\n  - set_comment: {table: users, coment: x, comment: y}\n");
        assertTrue(unknown.contains("0001_m.yaml:2:") && unknown.contains("coment"), unknown);
        String list = refused("changes:\n  - set_comment: {table: users, comment: [a, b]}\n");
        assertTrue(list.matches("(?s).*0001_m\\.yaml:2:\\d+: .*comment.*"), list);
    }

    @Test
    void renameConstraintNeedsANewName() throws Exception {
        Migration m = read("changes:\n  - rename_constraint: {table: users, name: users_email_key, to: users_email_unique}\n");
        RenameConstraint r = (RenameConstraint) m.changes().get(0);
        assertEquals("users_email_key", r.name());
        assertEquals("users_email_unique", r.to());
        String same = refused("changes:\n  - rename_constraint: {table: users, name: k, to: k}\n");
        assertTrue(same.contains("0001_m.yaml:2:") && same.contains("'to'"), same);
        String missing = refused("changes:\n  - rename_constraint: {table: users, name: k}\n");
        assertTrue(missing.contains("0001_m.yaml:2:") && missing.contains("'to'"), missing);
    }
}
