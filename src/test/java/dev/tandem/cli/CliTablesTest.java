package dev.tandem.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.catalog.Fingerprint;
import dev.tandem.testing.Cli;
import dev.tandem.testing.Db;
import dev.tandem.testing.SampleSchema;
import dev.tandem.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rename-table sample and the irreversible-sql refusal, through the command line. */
class CliTablesTest {
    @TempDir
    Path tmp;

    @Test
    void renameTableSamplePlansOfflineAndOnline() throws Exception {
        Path sample = SampleSchema.repoRoot().resolve("samples/rename-table");
        Cli.Result offline = Cli.run("plan", sample.toString());
        assertEquals(0, offline.code(), offline.describe());
        // offline the view's column list is read from the renamed table when the step runs, leaving out Tandem's internal columns
        assertTrue(offline.out().contains("EXECUTE format('CREATE VIEW %s AS SELECT %s FROM %s', '\"public\".\"projects\"'"), offline.out());
        assertTrue(offline.out().contains("attname !~ '^tandem_(new|old|retired)_'"), offline.out());
        assertFalse(offline.out().contains("SELECT * FROM"), offline.out());

        TestDatabase db = CliLifecycleTest.sampleDb("cli_tables_rename", 20);
        Cli.Result online = CliLifecycleTest.ok(db, "plan", sample.toString());
        assertTrue(online.out().contains("DROP VIEW \"public\".\"projects\""), online.out());
        CliLifecycleTest.ok(db, "apply", sample.toString());
        try (Connection c = db.connect()) {
            assertEquals("v", Db.scalar(c, "SELECT relkind::text FROM pg_class WHERE oid = 'public.projects'::regclass"));
        }
        CliLifecycleTest.ok(db, "rollback", "0001_rename_projects", "--all");
        try (Connection c = db.connect()) {
            assertEquals("r", Db.scalar(c, "SELECT relkind::text FROM pg_class WHERE oid = 'public.projects'::regclass"));
        }
    }

    @Test
    void rollbackOverIrreversibleSqlExitsTwoAndChangesNothing() throws Exception {
        Path cl = Files.createDirectories(tmp.resolve("changelog"));
        Files.writeString(cl.resolve("0001_reset.yaml"), """
                changes:
                  - sql: {phase: expand, up: "UPDATE users SET password_hash = 'reset'", irreversible: true, lock: ROW EXCLUSIVE}
                  - sql: {phase: dual-write, up: "CREATE TABLE scratch (id int)", down: "DROP TABLE scratch"}
                """);
        TestDatabase db = CliLifecycleTest.sampleDb("cli_tables_irreversible", 20);
        Cli.Result plan = CliLifecycleTest.ok(db, "plan", cl.toString());
        assertTrue(plan.out().contains("IRREVERSIBLE"), plan.out());
        CliLifecycleTest.ok(db, "apply", cl.toString());
        try (Connection c = db.connect()) {
            Fingerprint before = Fingerprint.of(c, List.of("public"), true);
            Cli.Result refused = CliLifecycleTest.cli(db, "rollback", "0001_reset", "--all");
            assertEquals(2, refused.code(), refused.describe());
            assertTrue(refused.err().contains("migration 0001_reset, phase expand, step 1"), refused.describe());
            assertEquals(List.of(), before.diff(Fingerprint.of(c, List.of("public"), true)), "nothing changed");
            assertEquals(1L, Db.count(c, "SELECT count(*) FROM pg_class WHERE relname = 'scratch'"), "dual-write was not undone");
        }
    }
}
