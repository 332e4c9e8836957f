package dev.tandem.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.TandemException;
import dev.tandem.intent.ChangelogReader;
import dev.tandem.intent.Intent;
import dev.tandem.intent.Migration;
import dev.tandem.intent.Position;
import dev.tandem.intent.RawSql;
import dev.tandem.source.translate.SqlChangeTranslator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SQL statement → intent, one row per statement: the expected intent as Tandem YAML, {@code RAW}
 * (kept as a linted raw sql step) or {@code REFUSED} (lint finds it unsafe). Every translated row
 * is also read back by Tandem's own changelog reader, so a translation is a valid intent.
 */
class SqlTranslationTableTest {
    private static final String RAW = "RAW";
    private static final String REFUSED = "REFUSED";

    @TempDir
    Path dir;

    static Stream<Arguments> statements() {
        return Stream.of(
                row("ALTER TABLE users RENAME COLUMN full_name TO display_name",
                        "- rename_column: {table: \"users\", column: \"full_name\", to: \"display_name\"}"),
                row("alter table \"Users\" rename \"Full Name\" to display_name",
                        "- rename_column: {table: \"Users\", column: \"Full Name\", to: \"display_name\"}"),
                row("ALTER TABLE billing.invoices RENAME COLUMN total TO amount",
                        "- rename_column: {table: \"billing.invoices\", column: \"total\", to: \"amount\"}"),
                row("ALTER TABLE tasks ALTER COLUMN priority TYPE bigint",
                        "- change_column_type: {table: \"tasks\", column: \"priority\", type: \"bigint\"}"),
                row("ALTER TABLE tasks ALTER priority SET DATA TYPE numeric(12, 2) USING priority::numeric / 100",
                        "- change_column_type: {table: \"tasks\", column: \"priority\", type: \"numeric(12, 2)\", up: \"priority::numeric / 100\"}"),
                row("ALTER TABLE /* why */ tasks -- the tasks\n  ALTER COLUMN code TYPE varchar(20) USING left(code, 20)",
                        "- change_column_type: {table: \"tasks\", column: \"code\", type: \"varchar(20)\", up: \"left(code, 20)\"}"),
                row("ALTER TABLE users ADD COLUMN slug text",
                        "- add_column: {table: \"users\", column: {name: \"slug\", type: \"text\", nullable: true}}"),
                row("ALTER TABLE users ADD COLUMN active boolean NOT NULL DEFAULT true",
                        "- add_column: {table: \"users\", column: {name: \"active\", type: \"boolean\", nullable: false, default: \"true\"}}"),
                row("ALTER TABLE users ADD score integer DEFAULT 0 NOT NULL CHECK (score >= 0)",
                        "- add_column: {table: \"users\", column: {name: \"score\", type: \"integer\", nullable: false, default: \"0\", check: \"score >= 0\"}}"),
                row("ALTER TABLE users ADD COLUMN created timestamp with time zone DEFAULT now()",
                        "- add_column: {table: \"users\", column: {name: \"created\", type: \"timestamp with time zone\", nullable: true, default: \"now()\"}}"),
                row("ALTER TABLE tasks ADD COLUMN owner_id bigint REFERENCES users (id) ON DELETE SET NULL",
                        "- add_column: {table: \"tasks\", column: {name: \"owner_id\", type: \"bigint\", nullable: true, references: {table: \"users\", column: \"id\", on_delete: set_null}}}"),
                row("ALTER TABLE users ADD COLUMN email2 text UNIQUE, ADD COLUMN note text DEFAULT NULL",
                        "- add_column: {table: \"users\", column: {name: \"email2\", type: \"text\", nullable: true, unique: true}}\n"
                                + "- add_column: {table: \"users\", column: {name: \"note\", type: \"text\", nullable: true}}"),
                row("ALTER TABLE users RENAME TO accounts", "- rename_table: {table: \"users\", to: \"accounts\"}"),
                row("ALTER TABLE users DROP COLUMN legacy", "- drop_column: {table: \"users\", column: \"legacy\"}"),
                row("ALTER TABLE users DROP legacy RESTRICT", "- drop_column: {table: \"users\", column: \"legacy\"}"),
                row("ALTER TABLE tasks ALTER COLUMN due SET NOT NULL", "- set_not_null: {table: \"tasks\", column: \"due\"}"),
                row("ALTER TABLE tasks ALTER COLUMN due DROP NOT NULL", "- drop_not_null: {table: \"tasks\", column: \"due\"}"),
                row("ALTER TABLE tasks ALTER COLUMN priority SET DEFAULT 3", "- set_default: {table: \"tasks\", column: \"priority\", default: \"3\"}"),
                row("ALTER TABLE tasks ALTER COLUMN priority DROP DEFAULT", "- drop_default: {table: \"tasks\", column: \"priority\"}"),
                row("ALTER TABLE tasks ADD CONSTRAINT tasks_owner_fkey FOREIGN KEY (owner_id) REFERENCES users (id) ON DELETE CASCADE",
                        "- add_foreign_key: {table: \"tasks\", name: \"tasks_owner_fkey\", columns: [\"owner_id\"], references: {table: \"users\", columns: [\"id\"]}, on_delete: cascade}"),
                row("ALTER TABLE tasks ADD FOREIGN KEY (project_id) REFERENCES app.projects (id)",
                        "- add_foreign_key: {table: \"tasks\", name: \"tasks_project_id_fkey\", columns: [\"project_id\"], references: {table: \"app.projects\", columns: [\"id\"]}}"),
                row("ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email)",
                        "- add_unique: {table: \"users\", name: \"users_email_key\", columns: [\"email\"]}"),
                row("ALTER TABLE members ADD UNIQUE (project_id, user_id)",
                        "- add_unique: {table: \"members\", name: \"members_project_id_user_id_key\", columns: [\"project_id\", \"user_id\"]}"),
                row("ALTER TABLE tasks ADD CONSTRAINT tasks_priority_range CHECK (priority BETWEEN 1 AND 5)",
                        "- add_check: {table: \"tasks\", name: \"tasks_priority_range\", check: \"priority BETWEEN 1 AND 5\"}"),
                row("ALTER TABLE tasks DROP CONSTRAINT tasks_priority_range",
                        "- drop_constraint: {table: \"tasks\", name: \"tasks_priority_range\"}"),
                row("ALTER TABLE tasks RENAME CONSTRAINT a_check TO b_check",
                        "- rename_constraint: {table: \"tasks\", name: \"a_check\", to: \"b_check\"}"),
                row("CREATE INDEX tasks_status_idx ON tasks (status, created_at DESC)",
                        "- create_index: {table: \"tasks\", name: \"tasks_status_idx\", columns: [\"status\", \"created_at DESC\"], unique: false}"),
                row("CREATE UNIQUE INDEX CONCURRENTLY users_lower_email ON public.users USING btree (lower(email)) WHERE deleted_at IS NULL",
                        "- create_index: {table: \"public.users\", name: \"users_lower_email\", columns: [\"lower(email)\"], unique: true, method: \"btree\", where: \"deleted_at IS NULL\"}"),
                row("CREATE INDEX t_idx ON t (a) INCLUDE (b, c)",
                        "- create_index: {table: \"t\", name: \"t_idx\", columns: [\"a\"], unique: false, include: [\"b\", \"c\"]}"),
                row("DROP INDEX tasks_old_idx", "- drop_index: {name: \"tasks_old_idx\"}"),
                row("DROP INDEX CONCURRENTLY app.tasks_old_idx", "- drop_index: {name: \"app.tasks_old_idx\"}"),
                row("CREATE TABLE comments (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, task_id uuid NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,"
                                + " body text NOT NULL CHECK (length(body) > 0), created_at timestamptz NOT NULL DEFAULT now(), CONSTRAINT comments_body_key UNIQUE (task_id, body))",
                        "- create_table: {table: \"comments\", columns: [{name: \"id\", type: \"bigint\", identity: true, primary_key: true},"
                                + " {name: \"task_id\", type: \"uuid\", nullable: false, references: {table: \"tasks\", column: \"id\", on_delete: cascade}},"
                                + " {name: \"body\", type: \"text\", nullable: false, check: \"length(body) > 0\"},"
                                + " {name: \"created_at\", type: \"timestamptz\", nullable: false, default: \"now()\"}],"
                                + " constraints: [{type: unique, name: \"comments_body_key\", columns: [\"task_id\", \"body\"]}]}"),
                row("create table app.tags (id serial, name varchar(40) not null, primary key (id))",
                        "- create_table: {table: \"app.tags\", columns: [{name: \"id\", type: \"serial\", nullable: true},"
                                + " {name: \"name\", type: \"varchar(40)\", nullable: false}], constraints: [{type: primary_key, columns: [\"id\"]}]}"),
                row("DROP TABLE legacy_imports", "- drop_table: {table: \"legacy_imports\"}"),
                // unknown shapes: raw when lint finds them safe, refused when not — never a wrong translation
                row("ALTER TABLE users ADD COLUMN IF NOT EXISTS slug text", RAW),
                row("DROP TABLE IF EXISTS legacy_imports", REFUSED),
                row("DROP TABLE a, b", REFUSED),
                row("ALTER TABLE t DROP COLUMN c CASCADE", REFUSED),
                row("CREATE INDEX CONCURRENTLY ON t (a)", RAW),
                row("CREATE TABLE t2 (LIKE t INCLUDING ALL)", RAW),
                row("CREATE TABLE events (id bigint, at timestamptz) PARTITION BY RANGE (at)", RAW),
                row("INSERT INTO users (email) VALUES ('a; b')", RAW),
                row("CREATE EXTENSION IF NOT EXISTS pg_trgm", RAW),
                row("ALTER TABLE users ADD PRIMARY KEY (id)", REFUSED),
                row("ALTER TABLE tasks ADD CONSTRAINT tasks_fk FOREIGN KEY (a) REFERENCES b (id) NOT VALID", RAW),
                row("CREATE INDEX ON users (email)", REFUSED),
                // the linter cannot judge a retype of a column it did not see created: runs raw (ACCESS EXCLUSIVE, with lock_timeout)
                row("ALTER TABLE users ALTER COLUMN email TYPE text COLLATE \"C\"", RAW),
                row("ALTER TABLE users ADD CHECK (length(email) > 3)", REFUSED),
                row("VACUUM FULL users", REFUSED));
    }

    private static Arguments row(String sql, String expected) {
        return Arguments.of(sql, expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("statements")
    void translates(String sql, String expected) throws Exception {
        Position at = new Position("m.sql", 1, 1);
        if (expected.equals(REFUSED)) {
            TandemException e = assertThrows(TandemException.class,
                    () -> SqlChangeTranslator.translateAll(sql, Optional.empty(), at, "migration m.sql"));
            assertEquals(TandemException.BAD_INPUT, e.exitCode(), e.getMessage());
            assertTrue(e.getMessage().startsWith("m.sql:1:") && e.getMessage().contains("safe alternative"), e.getMessage());
            return;
        }
        List<Intent> intents = SqlChangeTranslator.translateAll(sql, Optional.empty(), at, "migration m.sql");
        if (expected.equals(RAW)) {
            assertEquals(1, intents.size(), intents.toString());
            RawSql raw = (RawSql) intents.get(0);
            assertEquals(sql, raw.up());
            return;
        }
        String yaml = intents.stream().map(IntentYaml::entry).collect(Collectors.joining());
        assertEquals(expected.replaceAll("(?m)^- ", "  - ") + "\n", unquoteKeys(yaml));
        // what the translation produced is a valid Tandem intent: read it back, write it again
        Path f = dir.resolve("0001_t.yaml");
        Files.writeString(f, "changes:\n" + yaml);
        Migration back = ChangelogReader.readFile(f);
        assertEquals(yaml, back.changes().stream().map(IntentYaml::entry).collect(Collectors.joining()));
    }

    @Test
    void aScriptMixesTranslatedAndRawStatementsInOrder() {
        String sql = """
                -- a Flyway-style script
                ALTER TABLE users RENAME COLUMN full_name TO display_name;
                UPDATE settings SET value = 'x' WHERE key = 'y';
                CREATE INDEX CONCURRENTLY users_name_idx ON users (display_name);
                """;
        List<Intent> intents = SqlChangeTranslator.translateAll(sql, Optional.empty(), new Position("V2__x.sql", 1, 1), "migration V2__x.sql");
        assertEquals(List.of("rename_column", "sql", "create_index"), intents.stream().map(Intent::kind).toList());
        assertEquals(2, intents.get(0).position().line());
        assertEquals(3, intents.get(1).position().line());
        assertEquals(4, intents.get(2).position().line());
        // with a rollback the unit stays one raw step (which part of the rollback undoes what is unknown): lint judges it whole
        TandemException e = assertThrows(TandemException.class, () -> SqlChangeTranslator.translateAll(
                "ALTER TABLE users RENAME COLUMN a TO b;\nCREATE INDEX ON users (b);", Optional.of("DROP INDEX i; ALTER TABLE users RENAME b TO a"),
                new Position("c.sql", 10, 1), "changeSet '7'"));
        assertTrue(e.getMessage().startsWith("c.sql:1"), e.getMessage());
        assertTrue(e.getMessage().contains("changeSet '7'"), e.getMessage());
    }

    @Test
    void aBlockingStatementIsRefusedAtItsOwnLine() {
        String sql = "ALTER TABLE users RENAME COLUMN a TO b;\n\nCREATE INDEX ON users (email);\nDELETE FROM x;";
        TandemException e = assertThrows(TandemException.class,
                () -> SqlChangeTranslator.translateAll(sql, Optional.empty(), new Position("V3__y.sql", 1, 1), "migration V3__y.sql"));
        assertTrue(e.getMessage().startsWith("V3__y.sql:3:"), e.getMessage());
        // …but named, so translated, the same CREATE INDEX is safe: it runs CONCURRENTLY through create_index
        List<Intent> ok = SqlChangeTranslator.translateAll("CREATE INDEX users_email_idx ON users (email);", Optional.empty(),
                new Position("V3__y.sql", 1, 1), "migration V3__y.sql");
        assertEquals("create_index", ok.get(0).kind());
    }

    /** The expected column shows YAML keys unquoted; IntentYaml writes them unquoted too (only values are quoted). */
    private static String unquoteKeys(String yaml) {
        return yaml;
    }
}
