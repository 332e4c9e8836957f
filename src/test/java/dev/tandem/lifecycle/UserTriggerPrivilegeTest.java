package dev.tandem.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.catalog.Fingerprint;
import dev.tandem.testing.Cli;
import dev.tandem.testing.Db;
import dev.tandem.testing.PhaseWalk;
import dev.tandem.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #11.1: a backfill on a table with a BEFORE UPDATE trigger stamping {@code updated_at}.
 * As a superuser or a role granted SET on session_replication_role, no backfill (forward or
 * rollback) changes {@code updated_at} and {@code plan --url} says the triggers do not fire; as a
 * role without it, {@code plan --url} says they will, and {@code apply} refuses with exit 2 before
 * any change, naming the trigger and the GRANT; {@code --allow-user-triggers} lets them fire.
 */
class UserTriggerPrivilegeTest {
    static final int ROWS = 2000;
    static final String MIGRATION = """
            description: rename docs.title and fill notes.words
            changes:
              - rename_column:
                  table: docs
                  column: title
                  to: headline
              - add_column:
                  table: notes
                  column: {name: words, type: integer}
                  up: length(body)
            """;

    @TempDir
    Path dir;

    private TestDatabase seed(TestDatabase admin, TestDatabase as) throws Exception {
        try (Connection c = as.connect()) {
            Db.exec(c, """
                    CREATE FUNCTION stamp() RETURNS trigger LANGUAGE plpgsql AS $$
                    BEGIN NEW.updated_at := clock_timestamp(); RETURN NEW; END $$;
                    CREATE TABLE docs (id bigint PRIMARY KEY, title text NOT NULL,
                        updated_at timestamptz NOT NULL DEFAULT '2020-01-01');
                    CREATE TRIGGER docs_stamp BEFORE UPDATE ON docs FOR EACH ROW EXECUTE FUNCTION stamp();
                    CREATE TABLE notes (id bigint PRIMARY KEY, body text NOT NULL,
                        updated_at timestamptz NOT NULL DEFAULT '2020-01-01');
                    CREATE TRIGGER notes_stamp BEFORE UPDATE ON notes FOR EACH ROW EXECUTE FUNCTION stamp();
                    INSERT INTO docs (id, title) SELECT g, 'doc ' || g FROM generate_series(1, %d) g;
                    INSERT INTO notes (id, body) SELECT g, repeat('x', g %% 17) FROM generate_series(1, %d) g;
                    """.formatted(ROWS, ROWS));
        }
        Files.writeString(dir.resolve("0001_docs.yaml"), MIGRATION);
        return as;
    }

    private static long stamped(Connection c) throws Exception {
        return Db.count(c, "SELECT (SELECT count(*) FROM docs WHERE updated_at <> '2020-01-01')"
                + " + (SELECT count(*) FROM notes WHERE updated_at <> '2020-01-01')");
    }

    private void quietEverywhere(TestDatabase as) throws Exception {
        String changelog = dir.toString();
        Cli.Result plan = Cli.run(Cli.withDb(as, "plan", changelog));
        assertEquals(0, plan.code(), plan.describe());
        assertTrue(plan.all().contains("docs_stamp") && plan.all().contains("do not fire"), plan.describe());
        assertTrue(plan.all().contains("notes_stamp"), plan.describe());

        Cli.Result apply = Cli.run(Cli.withDb(as, "apply", changelog));
        assertEquals(0, apply.code(), apply.describe());
        try (Connection c = as.connect()) {
            assertEquals(0, stamped(c), "no backfill stamps updated_at");
            assertEquals(ROWS, Db.count(c, "SELECT count(*) FROM notes WHERE words = length(body)"));
        }
        for (List<String> cmd : List.of(List.of("switch-reads", "0001_docs"), List.of("contract", "0001_docs", "--yes"))) {
            Cli.Result r = Cli.run(Cli.withDb(as, cmd.toArray(String[]::new)));
            assertEquals(0, r.code(), r.describe());
        }
        Cli.Result back = Cli.run(Cli.withDb(as, "rollback", "0001_docs", "--all"));
        assertEquals(0, back.code(), back.describe());
        try (Connection c = as.connect()) {
            assertEquals(0, stamped(c), "neither does the rollback's re-sync");
            assertTrue(Db.columnExists(c, "public", "docs", "title"));
        }
    }

    @Test
    void superuserBackfillsLeaveUpdatedAtAlone() throws Exception {
        Assumptions.assumeFalse(TestDatabase.asOwner(), "this case is the superuser's");
        TestDatabase db = TestDatabase.create("trig_super");
        quietEverywhere(seed(db, db));
    }

    @Test
    void grantedRoleBackfillsLeaveUpdatedAtAlone() throws Exception {
        TestDatabase db = TestDatabase.create("trig_granted");
        Assumptions.assumeTrue(Db.count(db.connect(), "SELECT current_setting('server_version_num')::int / 10000") >= 15);
        db.createRole("tandem_priv_granted", true);
        db.admin("ALTER DATABASE " + dev.tandem.sql.Ident.quote(db.databaseName()) + " OWNER TO tandem_priv_granted",
                "ALTER SCHEMA public OWNER TO tandem_priv_granted");
        TestDatabase as = db.asRole("tandem_priv_granted");
        quietEverywhere(seed(db, as));
    }

    @Test
    void roleThatCannotSuppressTriggersIsRefusedBeforeAnyChange() throws Exception {
        TestDatabase db = TestDatabase.create("trig_plain");
        db.createRole("tandem_priv_plain", false);
        db.admin("ALTER DATABASE " + dev.tandem.sql.Ident.quote(db.databaseName()) + " OWNER TO tandem_priv_plain",
                "ALTER SCHEMA public OWNER TO tandem_priv_plain");
        TestDatabase as = seed(db, db.asRole("tandem_priv_plain"));
        String changelog = dir.toString();

        Cli.Result plan = Cli.run(Cli.withDb(as, "plan", changelog));
        assertEquals(0, plan.code(), plan.describe());
        assertTrue(plan.all().contains("docs_stamp") && plan.all().contains("WILL fire"), "plan --url tells the truth: " + plan.describe());

        Fingerprint before;
        try (Connection c = as.connect()) {
            before = Db.publicFingerprint(c);
        }
        Cli.Result apply = Cli.run(Cli.withDb(as, "apply", changelog));
        assertEquals(2, apply.code(), apply.describe());
        assertTrue(apply.err().contains("docs_stamp") && apply.err().contains("notes_stamp"), apply.describe());
        assertTrue(apply.err().contains("GRANT SET ON PARAMETER session_replication_role TO \"tandem_priv_plain\""), apply.describe());
        assertTrue(apply.err().contains("--allow-user-triggers"), apply.describe());
        try (Connection c = as.connect()) {
            PhaseWalk.assertNoDiff(before, Db.publicFingerprint(c), "a refused apply");
            assertTrue(Db.tandemMigrationRows(c) <= 0, "no migration was started");
        }

        Cli.Result allowed = Cli.run(Cli.withDb(as, "apply", changelog, "--allow-user-triggers"));
        assertEquals(0, allowed.code(), allowed.describe());
        try (Connection c = as.connect()) {
            assertEquals(2L * ROWS, stamped(c), "opted in: the triggers fired for every backfilled row");
        }
    }
}
