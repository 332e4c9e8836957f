package dev.tandem.intent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.TandemException;
import dev.tandem.intent.CreateTable.Action;
import dev.tandem.intent.CreateTable.ConstraintType;
import dev.tandem.intent.CreateTable.Identity;
import dev.tandem.plan.LockLevel;
import dev.tandem.plan.Phase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading create_table, drop_table, rename_table and sql entries: fields, defaults, and errors with positions. */
class TableIntentsReaderTest {
    @TempDir
    Path dir;

    private Migration read(String yaml) throws IOException {
        Path p = dir.resolve("0001_t.yaml");
        Files.writeString(p, yaml);
        return ChangelogReader.readFile(p);
    }

    /**
     * Asserts exit 2 and a message that starts with {@code 0001_t.yaml:LINE:COL: }, where LINE:COL is
     * where {@code token} first occurs on line {@code line}, and contains the parts.
     */
    private void fails(String yaml, int line, String token, String... parts) throws IOException {
        int column = yaml.lines().toList().get(line - 1).indexOf(token) + 1;
        assertTrue(column > 0, "token " + token + " on line " + line);
        String at = line + ":" + column;
        Path p = dir.resolve("0001_t.yaml");
        Files.writeString(p, yaml);
        TandemException e = assertThrows(TandemException.class, () -> ChangelogReader.readFile(p));
        assertEquals(TandemException.BAD_INPUT, e.exitCode());
        assertTrue(e.getMessage().startsWith(p + ":" + at + ": "), () -> "expected position " + at + " in: " + e.getMessage());
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), () -> "expected '" + part + "' in: " + e.getMessage());
        }
    }

    @Test
    void createTableReadsTheDesignExample() throws IOException {
        Migration m = read("""
                changes:
                  - create_table:
                      table: comments
                      columns:
                        - {name: id, type: integer, identity: true, primary_key: true}
                        - {name: task_id, type: uuid, nullable: false, references: {table: tasks, column: id, on_delete: cascade}}
                        - {name: body, type: text, nullable: false, check: "length(body) > 0"}
                        - {name: note, type: text, default: "'n/a'", unique: true}
                      constraints:
                        - {type: unique, name: comments_task_body_key, columns: [task_id, body]}
                        - {type: foreign_key, columns: [task_id], references: {table: billing.tasks, columns: [id], on_update: set null}}
                        - {type: check, check: "id > 0"}
                """);
        CreateTable t = (CreateTable) m.changes().get(0);
        assertEquals("comments", t.table().name());
        assertEquals(4, t.columns().size());
        var id = t.columns().get(0);
        assertEquals(Identity.BY_DEFAULT, id.identity());
        assertTrue(id.primaryKey());
        assertFalse(id.nullable(), "a primary key is NOT NULL");
        var taskId = t.columns().get(1);
        assertEquals(Action.CASCADE, taskId.references().orElseThrow().onDelete());
        assertEquals(Action.NO_ACTION, taskId.references().orElseThrow().onUpdate());
        assertEquals(List.of("id"), taskId.references().orElseThrow().columns());
        assertEquals(Optional.of("length(body) > 0"), t.columns().get(2).check());
        var note = t.columns().get(3);
        assertTrue(note.nullable(), "nullable unless it says nullable: false");
        assertEquals(Optional.of("'n/a'"), note.defaultExpr());
        assertTrue(note.unique());
        assertEquals(ConstraintType.FOREIGN_KEY, t.constraints().get(1).type());
        assertEquals(Optional.of("billing"), t.constraints().get(1).references().orElseThrow().table().schema());
        assertEquals(Action.SET_NULL, t.constraints().get(1).references().orElseThrow().onUpdate());
        assertEquals(List.of("comments", "tasks", "tasks"), t.tables().stream().map(TableRef::name).toList());
    }

    @Test
    void createTableErrorsPointAtTheField() throws IOException {
        fails("""
                changes:
                  - create_table:
                      table: t
                      columns:
                        - {name: a, type: int}
                        - {name: a, type: text}
                """, 6, "{name: a, type: text}", "duplicate column name 'a'", "first at line 5");
        fails("""
                changes:
                  - create_table: {table: t, columns: []}
                """, 2, "[]", "'columns' must not be empty");
        fails("""
                changes:
                  - create_table: {table: t}
                """, 2, "create_table", "missing required field 'columns'");
        fails("""
                changes:
                  - create_table:
                      table: t
                      columns:
                        - {name: a, type: int, size: 3}
                """, 5, "size", "unknown field 'size'");
        fails("""
                changes:
                  - create_table:
                      table: t
                      columns:
                        - {name: a, type: int, primary_key: true}
                        - {name: b, type: int, primary_key: true}
                """, 6, "{name: b", "a second primary key");
        fails("""
                changes:
                  - create_table:
                      table: t
                      columns: [{name: a, type: int}]
                      constraints:
                        - {type: unique, columns: [a, nope]}
                """, 6, "[a, nope]", "column 'nope' is not among the table's columns");
        fails("""
                changes:
                  - create_table:
                      table: t
                      columns: [{name: a, type: text, identity: true}]
                """, 4, "text", "identity column must be smallint, integer or bigint");
        fails("""
                changes:
                  - create_table:
                      table: t
                      columns: [{name: a, type: int, references: {table: u, on_delete: explode}}]
                """, 4, "explode", "unknown action 'explode'");
        fails("""
                changes:
                  - create_table:
                      table: t
                      columns: [{name: a, type: int, nullable: maybe}]
                """, 4, "maybe", "expected true or false");
        fails("""
                changes:
                  - create_table:
                      table: t
                      columns: [{name: a, type: int}]
                      constraints: [{type: exclusion, columns: [a]}]
                """, 5, "exclusion", "unknown constraint type 'exclusion'");
    }

    @Test
    void dropAndRenameTable() throws IOException {
        Migration m = read("""
                changes:
                  - drop_table: {table: legacy_imports}
                  - rename_table: {table: app.projects, to: workspaces}
                """);
        assertEquals("legacy_imports", ((DropTable) m.changes().get(0)).table().name());
        RenameTable r = (RenameTable) m.changes().get(1);
        assertEquals(Optional.of("app"), r.table().schema());
        assertEquals("workspaces", r.to());
        fails("""
                changes:
                  - rename_table: {table: projects, to: projects}
                """, 2, "projects}", "nothing to rename");
        fails("""
                changes:
                  - rename_table: {table: projects}
                """, 2, "rename_table", "missing required field 'to'");
    }

    @Test
    void sqlFieldsAndDefaults() throws IOException {
        Migration m = read("""
                changes:
                  - sql: {phase: expand, up: "CREATE EXTENSION IF NOT EXISTS pg_trgm", down: "DROP EXTENSION pg_trgm"}
                  - sql:
                      phase: switch-reads
                      up: CREATE INDEX CONCURRENTLY IF NOT EXISTS i ON t (a)
                      down: DROP INDEX CONCURRENTLY IF EXISTS i
                      lock: share update exclusive
                      transaction: false
                  - sql: {phase: contract, up: "DELETE FROM audit WHERE old", irreversible: true, lock: ROW_EXCLUSIVE}
                """);
        RawSql a = (RawSql) m.changes().get(0);
        assertEquals(Phase.EXPAND, a.phase());
        assertEquals(LockLevel.ACCESS_EXCLUSIVE, a.lock(), "the conservative default lock");
        assertTrue(a.transactional());
        assertFalse(a.irreversible());
        RawSql b = (RawSql) m.changes().get(1);
        assertEquals(Phase.SWITCH_READS, b.phase());
        assertEquals(LockLevel.SHARE_UPDATE_EXCLUSIVE, b.lock());
        assertFalse(b.transactional());
        RawSql c = (RawSql) m.changes().get(2);
        assertTrue(c.irreversible());
        assertEquals(LockLevel.ROW_EXCLUSIVE, c.lock());
    }

    @Test
    void sqlWithoutDownNeedsAnExplicitIrreversible() throws IOException {
        fails("""
                changes:
                  - sql: {phase: expand, up: "DROP TABLE x"}
                """, 2, "sql", "sql: field 'down'", "irreversible: true");
        fails("""
                changes:
                  - sql: {phase: expand, up: "DROP TABLE x", irreversible: false}
                """, 2, "false", "sql: field 'irreversible'", "cannot be rolled back");
        fails("""
                changes:
                  - sql: {phase: expand, up: "CREATE TABLE x ()", down: "DROP TABLE x", irreversible: true}
                """, 2, "true", "'down' is given");
        fails("""
                changes:
                  - sql: {phase: later, up: "SELECT 1", down: "SELECT 1"}
                """, 2, "later", "unknown phase 'later'", "expand, dual-write, backfill, switch-reads, contract");
        fails("""
                changes:
                  - sql: {phase: expand, up: "SELECT 1", down: "SELECT 1", lock: HUGE}
                """, 2, "HUGE", "unknown lock mode 'HUGE'");
        fails("""
                changes:
                  - sql: {phase: expand, up: "SELECT 1", down: "SELECT 1", transaction: sometimes}
                """, 2, "sometimes", "expected true or false");
    }
}
