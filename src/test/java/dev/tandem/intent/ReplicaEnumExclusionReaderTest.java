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

/** Reading {@code set_replica_identity}, the enum intents and {@code add_exclusion}: fields and errors at {@code file:line:column}. */
class ReplicaEnumExclusionReaderTest {
    @TempDir
    Path dir;

    Migration read(String yaml) throws Exception {
        Path p = dir.resolve("0001_m.yaml");
        Files.writeString(p, yaml);
        return ChangelogReader.readFile(p);
    }

    String refused(String yaml) throws Exception {
        Files.writeString(dir.resolve("0001_m.yaml"), yaml);
        TandemException e = assertThrows(TandemException.class, () -> ChangelogReader.readFile(dir.resolve("0001_m.yaml")));
        assertEquals(TandemException.BAD_INPUT, e.exitCode());
        return e.getMessage();
    }

    @Test
    void replicaIdentity() throws Exception {
        Migration m = read("""
                changes:
                  - set_replica_identity: {table: tasks, identity: FULL}
                  - set_replica_identity: {table: users, identity: index, index: users_email_key}
                """);
        SetReplicaIdentity full = (SetReplicaIdentity) m.changes().get(0);
        assertEquals("full", full.identity());
        assertEquals(Optional.empty(), full.index());
        assertEquals(Optional.of("users_email_key"), ((SetReplicaIdentity) m.changes().get(1)).index());

        String unknown = refused("changes:\n  - set_replica_identity: {table: tasks, identity: partial}\n");
        assertTrue(unknown.contains("0001_m.yaml:2:52: set_replica_identity: field 'identity': unknown replica identity 'partial'"), unknown);
        String noIndex = refused("changes:\n  - set_replica_identity: {table: tasks, identity: index}\n");
        assertTrue(noIndex.contains("0001_m.yaml:2:") && noIndex.contains("needs 'index'"), noIndex);
        String extra = refused("changes:\n  - set_replica_identity: {table: tasks, identity: full, index: x}\n");
        assertTrue(extra.contains("field 'index': only identity: index takes an index"), extra);
    }

    @Test
    void addColumnCheckWithAName() throws Exception {
        Migration m = read("""
                changes:
                  - add_column: {table: tasks, column: {name: e, type: int, check: {name: tasks_e_positive, expression: "e > 0"}}}
                  - add_column: {table: tasks, column: {name: f, type: int, check: "f > 0"}}
                """);
        AddColumn.NewColumn named = ((AddColumn) m.changes().get(0)).column();
        assertEquals(Optional.of("tasks_e_positive"), named.checkName());
        assertEquals(Optional.of("e > 0"), named.check());
        AddColumn.NewColumn plain = ((AddColumn) m.changes().get(1)).column();
        assertEquals(Optional.empty(), plain.checkName());
        assertEquals(Optional.of("f > 0"), plain.check());

        String unknown = refused("changes:\n  - add_column: {table: t, column: {name: e, type: int, check: {nam: x, expression: \"e > 0\"}}}\n");
        assertTrue(unknown.contains("0001_m.yaml:2:") && unknown.contains("unknown field 'nam'"), unknown);
        String noExpr = refused("changes:\n  - add_column: {table: t, column: {name: e, type: int, check: {name: x}}}\n");
        assertTrue(noExpr.contains("0001_m.yaml:2:") && noExpr.contains("'expression'"), noExpr);
    }

    @Test
    void indexStorageParametersAndUniqueInclude() throws Exception {
        Migration m = read("""
                changes:
                  - create_index: {table: tasks, name: i, columns: [title], with: {fillfactor: 70}}
                  - add_unique: {table: users, name: u, columns: [email], include: [full_name], with: {deduplicate_items: "off"}}
                """);
        assertEquals(java.util.Map.of("fillfactor", "70"), ((CreateIndex) m.changes().get(0)).with());
        AddUnique u = (AddUnique) m.changes().get(1);
        assertEquals(java.util.List.of("full_name"), u.include());
        assertEquals(java.util.Map.of("deduplicate_items", "off"), u.with());

        String injected = refused("changes:\n  - create_index: {table: t, name: i, columns: [a], with: {fillfactor: \"70); DROP TABLE t; --\"}}\n");
        assertTrue(injected.contains("0001_m.yaml:2:") && injected.contains("expected a number or a word"), injected);
        String badName = refused("changes:\n  - create_index: {table: t, name: i, columns: [a], with: {\"Fill Factor\": 70}}\n");
        assertTrue(badName.contains("0001_m.yaml:2:") && badName.contains("not a storage parameter name"), badName);
        String notMap = refused("changes:\n  - add_unique: {table: t, name: u, columns: [a], with: [fillfactor]}\n");
        assertTrue(notMap.contains("0001_m.yaml:2:") && notMap.contains("expected a mapping"), notMap);
        String keyTwice = refused("changes:\n  - add_unique: {table: t, name: u, columns: [a], include: [a]}\n");
        assertTrue(keyTwice.contains("already a key column"), keyTwice);
    }

    @Test
    void enumIntents() throws Exception {
        Migration m = read("""
                changes:
                  - create_enum: {name: billing.invoice_state, values: [draft, "it's sent", paid]}
                  - add_enum_value: {enum: billing.invoice_state, value: void, before: paid}
                  - rename_enum_value: {enum: invoice_state, from: draft, to: open}
                """);
        CreateEnum ce = (CreateEnum) m.changes().get(0);
        assertEquals(new TableRef(Optional.of("billing"), "invoice_state"), ce.name());
        assertEquals(java.util.List.of("draft", "it's sent", "paid"), ce.values());
        AddEnumValue av = (AddEnumValue) m.changes().get(1);
        assertEquals("void", av.value());
        assertEquals(Optional.of("paid"), av.before());
        RenameEnumValue rv = (RenameEnumValue) m.changes().get(2);
        assertEquals("draft", rv.from());
        assertEquals("open", rv.to());

        String twice = refused("changes:\n  - create_enum: {name: s, values: [a, b, a]}\n");
        assertTrue(twice.contains("0001_m.yaml:2:43: create_enum: field 'values': 'a' is listed twice"), twice);
        String empty = refused("changes:\n  - create_enum: {name: s, values: []}\n");
        assertTrue(empty.contains("0001_m.yaml:2:") && empty.contains("non-empty list"), empty);
        String both = refused("changes:\n  - add_enum_value: {enum: s, value: x, before: a, after: b}\n");
        assertTrue(both.contains("0001_m.yaml:2:") && both.contains("not both"), both);
        String longLabel = refused("changes:\n  - add_enum_value: {enum: s, value: " + "x".repeat(64) + "}\n");
        assertTrue(longLabel.contains("longer than 63 bytes"), longLabel);
        String same = refused("changes:\n  - rename_enum_value: {enum: s, from: a, to: a}\n");
        assertTrue(same.contains("field 'to'"), same);
    }

    @Test
    void addExclusion() throws Exception {
        Migration m = read("""
                changes:
                  - add_exclusion:
                      table: bookings
                      name: bookings_no_overlap
                      elements: [{column: room_id, operator: "="}, {expression: "tstzrange(a, b)", operator: "&&"}]
                      where: "NOT cancelled"
                """);
        AddExclusion x = (AddExclusion) m.changes().get(0);
        assertEquals("gist", x.using());
        assertEquals(Optional.of("room_id"), x.elements().get(0).column());
        assertEquals(Optional.of("tstzrange(a, b)"), x.elements().get(1).expression());
        assertEquals("&&", x.elements().get(1).operator());
        assertEquals(Optional.of("NOT cancelled"), x.where());

        String both = refused("changes:\n  - add_exclusion: {table: t, name: x, elements: [{column: a, expression: b, operator: =}]}\n");
        assertTrue(both.contains("0001_m.yaml:2:") && both.contains("exactly one of 'column' and 'expression'"), both);
        String op = refused("changes:\n  - add_exclusion: {table: t, name: x, elements: [{column: a, operator: \"= 1; DROP TABLE t\"}]}\n");
        assertTrue(op.contains("0001_m.yaml:2:") && op.contains("expected an operator"), op);
        String none = refused("changes:\n  - add_exclusion: {table: t, name: x, elements: []}\n");
        assertTrue(none.contains("non-empty list"), none);
    }
}
