package dev.tandem.intent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.TandemException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading {@code change_column_type} entries: fields, defaults, and errors at file:line:column. */
class ChangeColumnTypeReaderTest {
    @TempDir
    Path dir;

    private Migration read(String yaml) throws IOException {
        Path p = dir.resolve("0001_retype.yaml");
        Files.writeString(p, yaml);
        return ChangelogReader.readFile(p);
    }

    private String fails(String yaml) {
        TandemException e = assertThrows(TandemException.class, () -> read(yaml));
        assertEquals(TandemException.BAD_INPUT, e.exitCode());
        return e.getMessage();
    }

    @Test
    void readsAllFieldsAndDefaults() throws IOException {
        Migration m = read("""
                changes:
                  - change_column_type: {table: billing.invoices, column: amount, type: "numeric(14,2)", up: "amount * 1.0", down: "round(amount)"}
                  - change_column_type:
                      table: comments
                      column: id
                      type: bigint
                """);
        ChangeColumnType a = (ChangeColumnType) m.changes().get(0);
        assertEquals(Optional.of("billing"), a.table().schema());
        assertEquals("numeric(14,2)", a.type());
        assertEquals(Optional.of("amount * 1.0"), a.up());
        assertEquals(Optional.of("round(amount)"), a.down());
        ChangeColumnType b = (ChangeColumnType) m.changes().get(1);
        assertEquals("change_column_type", b.kind());
        assertEquals(Optional.empty(), b.up());
        assertEquals(Optional.empty(), b.down());
        assertEquals(3, b.position().line());
    }

    @Test
    void errorsPointAtTheField() {
        String msg = fails("changes:\n  - change_column_type: {table: t, column: c}\n");
        assertTrue(msg.contains("0001_retype.yaml:2:5: change_column_type: missing required field 'type'"), msg);
        msg = fails("changes:\n  - change_column_type: {table: t, column: c, type: bigint, using: x}\n");
        assertTrue(msg.contains("using"), msg);
        msg = fails("changes:\n  - change_column_type: {table: t, column: c, type: bigint, up: \"c::bigint; DROP TABLE t\"}\n");
        assertTrue(msg.contains("field 'up': must be one SQL expression"), msg);
        msg = fails("changes:\n  - change_column_type: {table: t, column: c, type: \"bigint; x\"}\n");
        assertTrue(msg.contains("field 'type'"), msg);
    }

    @Test
    void aSemicolonInsideAStringIsFine() throws IOException {
        Migration m = read("changes:\n  - change_column_type: {table: t, column: c, type: text, up: \"replace(c, ';', ',')\"}\n");
        assertEquals(Optional.of("replace(c, ';', ',')"), ((ChangeColumnType) m.changes().get(0)).up());
    }
}
