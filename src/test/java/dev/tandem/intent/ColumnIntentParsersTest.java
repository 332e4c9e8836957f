package dev.tandem.intent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.TandemException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The four column intents as DESIGN.md writes them, and their bad-input errors with positions. */
class ColumnIntentParsersTest {
    @TempDir
    Path dir;

    private List<Intent> read(String yaml) throws IOException {
        Path p = dir.resolve("0001_x.yaml");
        Files.writeString(p, yaml);
        return ChangelogReader.readFile(p).changes();
    }

    private String error(String yaml) throws IOException {
        Path p = dir.resolve("0001_x.yaml");
        Files.writeString(p, yaml);
        TandemException e = assertThrows(TandemException.class, () -> ChangelogReader.readFile(p));
        assertEquals(TandemException.BAD_INPUT, e.exitCode());
        assertTrue(e.getMessage().startsWith(p + ":"), e.getMessage());
        return e.getMessage();
    }

    @Test
    void designExamplesParse() throws IOException {
        List<Intent> intents = read("""
                changes:
                  - add_column:
                      table: users
                      column: {name: slug, type: text, nullable: false, default: null, unique: true}
                      up: lower(email)
                  - drop_column:   {table: tasks, column: legacy_code, down: "'n/a'"}
                  - split_column:
                      table: users
                      column: full_name
                      into:
                        - {name: first_name, type: text, up: "split_part(full_name, ' ', 1)"}
                        - {name: last_name,  type: text, up: "substr(full_name, length(split_part(full_name, ' ', 1)) + 2)"}
                      down: "concat_ws(' ', first_name, nullif(last_name, ''))"
                  - merge_columns:
                      table: users
                      columns: [first_name, last_name]
                      into: {name: full_name, type: text, up: "concat_ws(' ', first_name, last_name)"}
                      down: {first_name: "split_part(full_name, ' ', 1)", last_name: "substr(full_name, 2)"}
                  - add_column:
                      table: billing.invoices
                      column: {name: owner, type: uuid, references: {table: users, column: id, on_delete: set_null}, check: "owner IS NOT NULL"}
                """);
        AddColumn add = (AddColumn) intents.get(0);
        assertEquals("slug", add.column().name());
        assertFalse(add.column().nullable());
        assertTrue(add.column().unique());
        assertEquals(Optional.empty(), add.column().defaultExpr(), "default: null is no default");
        assertEquals(Optional.of("lower(email)"), add.up());
        assertEquals(new DropColumn(intents.get(1).position(),
                new TableRef(Optional.empty(), "tasks"), "legacy_code", Optional.of("'n/a'")), intents.get(1));
        SplitColumn split = (SplitColumn) intents.get(2);
        assertEquals(List.of("first_name", "last_name"), split.into().stream().map(DerivedColumn::name).toList());
        assertTrue(split.into().get(0).nullable(), "nullable unless it says nullable: false");
        MergeColumns merge = (MergeColumns) intents.get(3);
        assertEquals(List.of("first_name", "last_name"), merge.columns());
        assertEquals(Map.of("first_name", "split_part(full_name, ' ', 1)", "last_name", "substr(full_name, 2)"), merge.down());
        AddColumn fk = (AddColumn) intents.get(4);
        assertEquals(Optional.of("SET NULL"), fk.column().references().orElseThrow().onDelete());
        assertEquals(List.of(new TableRef(Optional.of("billing"), "invoices"), new TableRef(Optional.empty(), "users")), fk.tables());
    }

    @Test
    void errorsPointAtTheField() throws IOException {
        String m = error("""
                changes:
                  - add_column:
                      table: users
                      column: {name: slug, type: text, nulable: false}
                """);
        assertTrue(m.contains(":4:") && m.contains("unknown field 'nulable'"), m);
        m = error("""
                changes:
                  - add_column: {table: users, column: {name: slug}}
                """);
        assertTrue(m.contains("missing required field 'type'"), m);
        m = error("""
                changes:
                  - add_column: {table: users, column: {name: s, type: text, unique: maybe}}
                """);
        assertTrue(m.contains("column.unique': must be true or false"), m);
        m = error("""
                changes:
                  - add_column: {table: users, column: {name: s, type: uuid, references: {table: users, column: id, on_delete: explode}}}
                """);
        assertTrue(m.contains("column.references.on_delete': must be one of"), m);
        m = error("""
                changes:
                  - split_column: {table: users, column: full_name, into: [], down: x}
                """);
        assertTrue(m.contains("into") && m.contains("non-empty list"), m);
        m = error("""
                changes:
                  - split_column: {table: users, column: full_name, into: [{name: full_name, type: text, up: x}], down: x}
                """);
        assertTrue(m.contains("is the column being split"), m);
        m = error("""
                changes:
                  - merge_columns: {table: users, columns: [a, b], into: {name: c, type: text, up: "a || b"}, down: {a: c}}
                """);
        assertTrue(m.contains("has no expression for column 'b'"), m);
        m = error("""
                changes:
                  - merge_columns: {table: users, columns: [a, b], into: {name: c, type: text, up: "a || b"}, down: {a: c, b: c, z: c}}
                """);
        assertTrue(m.contains("down.z") && m.contains("not one of the merged columns"), m);
        m = error("""
                changes:
                  - merge_columns: {table: users, columns: [a], into: {name: c, type: text, up: a}, down: {a: c}}
                """);
        assertTrue(m.contains("at least two"), m);
        m = error("""
                changes:
                  - drop_column: {table: users}
                """);
        assertTrue(m.contains("missing required field 'column'"), m);
    }
}
