package dev.tandem.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.testing.Cli;
import dev.tandem.util.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code sql} intent's {@code down} is the rollback of its {@code up}, not forward SQL: objects the
 * {@code up} (or an earlier change of the same migration) created are new to it. Writing a rollback
 * must never cost more findings than marking the change irreversible.
 */
class CheckRawSqlRollbackTest {
    @TempDir
    Path dir;

    private Cli.Result check(String yaml) throws Exception {
        Files.writeString(dir.resolve("0001_m.yaml"), yaml);
        return Cli.run("check", dir.toString(), "--format", "json");
    }

    @SuppressWarnings("unchecked")
    private static List<String> rules(String json) {
        List<Map<String, Object>> fs = (List<Map<String, Object>>) ((Map<String, Object>) Json.parse(json)).get("findings");
        return fs.stream().map(f -> (String) f.get("rule")).toList();
    }

    @Test
    void aDownThatDropsWhatUpCreatedIsNotADropTable() throws Exception {
        Cli.Result withDown = check("changes:\n  - sql: {phase: expand, up: \"CREATE TABLE accounts (id int PRIMARY KEY)\","
                + " down: \"DROP TABLE accounts\"}\n");
        assertEquals(0, withDown.code(), withDown.describe());
        Cli.Result irreversible = check("changes:\n  - sql: {phase: expand, up: \"CREATE TABLE accounts (id int PRIMARY KEY)\","
                + " irreversible: true}\n");
        assertEquals(0, irreversible.code(), irreversible.describe());
    }

    @Test
    void aDownThatDropsALiveTableIsStillFlagged() throws Exception {
        // the up does not create users: dropping it on rollback loses data and breaks clients
        Cli.Result r = check("changes:\n  - sql: {phase: expand, up: \"CREATE TABLE accounts (id int PRIMARY KEY)\","
                + " down: \"DROP TABLE accounts; DROP TABLE users\"}\n");
        assertEquals(4, r.code(), r.describe());
        assertEquals(List.of("drop-table"), rules(r.out()), r.out());
    }

    @Test
    void aConstraintOnATableCreatedEarlierInTheMigrationIsNotFlagged() throws Exception {
        Cli.Result r = check("changes:\n"
                + "  - sql: {phase: expand, up: \"CREATE TABLE accounts (id int PRIMARY KEY, email text, during tstzrange)\","
                + " down: \"DROP TABLE accounts\"}\n"
                + "  - sql: {phase: expand, up: \"ALTER TABLE accounts ADD CONSTRAINT accounts_email_key UNIQUE (email)\","
                + " down: \"ALTER TABLE accounts DROP CONSTRAINT accounts_email_key\"}\n"
                + "  - sql: {phase: expand, up: \"ALTER TABLE accounts ADD CONSTRAINT accounts_no_overlap EXCLUDE USING gist (during WITH &&)\","
                + " down: \"ALTER TABLE accounts DROP CONSTRAINT accounts_no_overlap\"}\n");
        assertEquals(0, r.code(), r.describe());
    }

    @Test
    void aConstraintOnATableOfACreateTableIntentIsNotFlagged() throws Exception {
        Cli.Result r = check("changes:\n"
                + "  - create_table: {table: accounts, columns: [{name: id, type: integer, primary_key: true}, {name: email, type: text}]}\n"
                + "  - sql: {phase: expand, up: \"ALTER TABLE accounts ADD CONSTRAINT accounts_email_key UNIQUE (email)\","
                + " down: \"ALTER TABLE accounts DROP CONSTRAINT accounts_email_key\"}\n");
        assertEquals(0, r.code(), r.describe());
    }

    @Test
    void theSameConstraintOnALiveTableIsStillFlagged() throws Exception {
        Cli.Result r = check("changes:\n"
                + "  - sql: {phase: expand, up: \"ALTER TABLE users ADD CONSTRAINT users_email_key2 UNIQUE (email)\","
                + " down: \"ALTER TABLE users DROP CONSTRAINT users_email_key2\"}\n");
        assertEquals(4, r.code(), r.describe());
        assertFalse(rules(r.out()).isEmpty(), r.out());
        assertTrue(rules(r.out()).stream().noneMatch(x -> x.startsWith("check/")), r.out());
    }
}
