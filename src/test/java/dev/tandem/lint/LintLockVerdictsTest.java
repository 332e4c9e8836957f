package dev.tandem.lint;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tandem.plan.LockLevel;
import dev.tandem.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The lock verdicts behind {@code missing-lock-timeout} and {@code long-work-after-lock}, checked
 * against a real server: each statement runs in a transaction, the locks it holds on the two
 * pre-existing tables are read from {@code pg_locks}, and lint must ask for a lock_timeout exactly
 * when one of them is stronger than SHARE UPDATE EXCLUSIVE.
 */
class LintLockVerdictsTest {
    private static final String SCHEMA = "CREATE TABLE u (id int PRIMARY KEY);\n"
            + "CREATE TABLE t (id int PRIMARY KEY, u_id int, n int, note text);\n"
            + "CREATE INDEX t_n_idx ON t (n);\n";

    static TestDatabase db;
    static Connection c;

    @BeforeAll
    static void setUp() throws SQLException {
        db = TestDatabase.create("LintLockVerdictsTest");
        c = db.connect();
        try (Statement s = c.createStatement()) {
            s.execute(SCHEMA);
            s.execute("ALTER TABLE t ADD CONSTRAINT t_n_check CHECK (n > 0) NOT VALID");
            s.execute("CREATE FUNCTION noop() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$");
            s.execute("CREATE TRIGGER t_noop BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION noop()");
        }
    }

    @AfterAll
    static void tearDown() throws SQLException {
        c.close();
    }

    @Test
    void lockTimeoutIsAskedForExactlyWhenTheServerTakesAStrongLock() throws SQLException {
        List<String> statements = List.of(
                "ALTER TABLE t ADD COLUMN x int",
                "ALTER TABLE t ALTER COLUMN note SET DEFAULT 'x'",
                "ALTER TABLE t VALIDATE CONSTRAINT t_n_check",
                "ALTER TABLE t ALTER COLUMN n SET STATISTICS 200",
                "ALTER TABLE t SET (fillfactor = 70)",
                "ALTER TABLE t ADD CONSTRAINT t_u_fkey FOREIGN KEY (u_id) REFERENCES u (id) NOT VALID",
                "ALTER TABLE t DISABLE TRIGGER t_noop",
                "ALTER TABLE t DROP CONSTRAINT t_n_check",
                "CREATE INDEX t_note_idx ON t (note)",
                "DROP INDEX t_n_idx",
                "CREATE TRIGGER t_noop2 BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION noop()",
                "CREATE TABLE c (id int, t_id int REFERENCES t (id))",
                "CREATE TABLE d (id int)",
                "LOCK TABLE t IN SHARE MODE",
                "LOCK TABLE t IN ROW EXCLUSIVE MODE",
                "TRUNCATE u CASCADE",
                "UPDATE t SET n = 1",
                "COMMENT ON TABLE t IS 'x'");
        List<String> mismatches = new ArrayList<>();
        for (String statement : statements) {
            LockLevel strongest = LockLevel.NONE;
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute(statement);
                try (ResultSet rs = s.executeQuery("SELECT mode FROM pg_locks WHERE pid = pg_backend_pid() AND locktype = 'relation'"
                        + " AND relation IN ('t'::regclass, 'u'::regclass)")) {
                    while (rs.next()) {
                        LockLevel l = LockLevel.parse(rs.getString(1));
                        strongest = l.compareTo(strongest) > 0 ? l : strongest;
                    }
                }
            } finally {
                c.rollback();
                c.setAutoCommit(true);
            }
            Linter linter = new Linter(LintOptions.defaults().withPgVersion(17));
            linter.lintFile("V1.sql", SCHEMA);
            boolean asks = linter.lintFile("V2.sql", statement + ";").stream().anyMatch(f -> f.rule().equals("missing-lock-timeout"));
            if (asks != strongest.needsLockTimeout()) {
                mismatches.add(statement + ": server holds " + strongest.sqlName() + ", lint asks for lock_timeout=" + asks);
            }
        }
        assertEquals(List.of(), mismatches);
    }
}
