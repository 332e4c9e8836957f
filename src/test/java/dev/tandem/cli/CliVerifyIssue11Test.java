package dev.tandem.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.testing.Cli;
import dev.tandem.testing.Db;
import dev.tandem.testing.SampleSchema;
import dev.tandem.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #11.4 and #11.5: {@code verify} of int → bigint on a {@code serial} key passes (the
 * sequence's new relfilenode is not a table rewrite), and {@code --base-schema} of a schema dump
 * that holds Tandem's own state schema runs instead of ending in a Liquibase stack trace.
 */
class CliVerifyIssue11Test {
    @TempDir
    Path dir;

    private static String[] verify(TestDatabase db, Path changelog, String... more) {
        List<String> a = new ArrayList<>(List.of("verify", changelog.toString(), "--rows", "200"));
        a.addAll(List.of(more));
        a.addAll(Cli.dbArgs(db));
        return a.toArray(String[]::new);
    }

    @Test
    void serialKeyToBigintIsNotARewrite() throws Exception {
        TestDatabase db = TestDatabase.create("verify_serial");
        Path schema = dir.resolve("schema.sql");
        Files.writeString(schema, "CREATE TABLE public.t (id serial PRIMARY KEY, note text);\n");
        Path changelog = Files.createDirectories(dir.resolve("changelogs"));
        Files.writeString(changelog.resolve("0001_t_id_bigint.yaml"), """
                changes:
                  - change_column_type: {table: t, column: id, type: bigint}
                """);
        Cli.Result r = Cli.run(verify(db, changelog, "--base-schema", schema.toString()));
        assertFalse(r.all().contains("rewrote public.t_id_seq"), r.describe());
        assertEquals(0, r.code(), r.describe());
    }

    @Test
    void baseSchemaDumpOfATandemDatabaseSkipsTheStateSchema() throws Exception {
        TestDatabase db = TestDatabase.create("verify_dump_tandem");
        Path dump = dir.resolve("schema.sql");
        // what pg_dump -s of a database that uses Tandem adds to the application's schema
        Files.writeString(dump, SampleSchema.schemaSql() + """

                CREATE SCHEMA tandem;
                CREATE TABLE tandem.migrations (id text NOT NULL, checksum text NOT NULL, status text NOT NULL);
                ALTER TABLE ONLY tandem.migrations ADD CONSTRAINT migrations_pkey PRIMARY KEY (id);
                CREATE TABLE tandem.databasechangelog (id character varying(255) NOT NULL, author character varying(255) NOT NULL,
                    filename character varying(255) NOT NULL, dateexecuted timestamp without time zone NOT NULL,
                    orderexecuted integer NOT NULL, exectype character varying(10) NOT NULL, md5sum character varying(35),
                    description character varying(255), comments character varying(255), tag character varying(255),
                    liquibase character varying(20), contexts character varying(255), labels character varying(255),
                    deployment_id character varying(10));
                CREATE TABLE tandem.databasechangeloglock (id integer NOT NULL, locked boolean NOT NULL,
                    lockgranted timestamp without time zone, lockedby character varying(255));
                """);
        String rename = SampleSchema.repoRoot().resolve("changelogs/0001_rename_full_name.yaml").toString();
        List<String> a = new ArrayList<>(List.of("verify", rename, "--rows", "200", "--base-schema", dump.toString()));
        a.addAll(Cli.dbArgs(db));
        Cli.Result r = Cli.run(a.toArray(String[]::new));
        assertEquals(0, r.code(), r.describe());
        assertFalse(r.err().contains("already exists"), r.describe());
        assertTrue(r.err().contains("Tandem's own state schema tandem"), r.describe());
        try (Connection c = db.connect()) {
            assertEquals(0, Db.count(c, "SELECT count(*) FROM pg_namespace WHERE nspname = 'tandem'"), "verify cleaned up");
        }
    }
}
