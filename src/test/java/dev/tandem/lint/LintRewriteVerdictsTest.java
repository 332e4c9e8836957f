package dev.tandem.lint;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tandem.report.Finding;
import dev.tandem.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The linter's rewrite verdicts checked against a real server: each statement runs on a filled
 * table, and the table was rewritten (its relfilenode changed) exactly when the linter reports a
 * rewrite rule as an error.
 */
class LintRewriteVerdictsTest {
    private static final Set<String> REWRITE_RULES = Set.of("alter-column-type-rewrite", "add-column-volatile-default",
            "add-column-default-rewrite", "add-column-serial", "add-column-identity", "add-column-generated-stored",
            "set-logged-unlogged", "vacuum-full", "cluster");

    private static final String TABLE = "(id int PRIMARY KEY, name varchar(50), price numeric(10,2), at timestamp(3),"
            + " code text, n int, addr cidr, flags varbit(8))";

    static TestDatabase db;
    static Connection c;
    static int major;

    @BeforeAll
    static void setUp() throws SQLException {
        db = TestDatabase.create("LintRewriteVerdictsTest");
        c = db.connect();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW server_version_num")) {
            rs.next();
            major = Integer.parseInt(rs.getString(1)) / 10000;
        }
    }

    @AfterAll
    static void tearDown() throws SQLException {
        c.close();
    }

    @Test
    void rewriteVerdictsMatchTheServer() throws SQLException {
        List<String> statements = List.of(
                "ALTER TABLE t ALTER COLUMN name TYPE varchar(100)",
                "ALTER TABLE t ALTER COLUMN name TYPE text",
                "ALTER TABLE t ALTER COLUMN name TYPE varchar(20)",
                "ALTER TABLE t ALTER COLUMN price TYPE numeric(14,2)",
                "ALTER TABLE t ALTER COLUMN price TYPE numeric",
                "ALTER TABLE t ALTER COLUMN price TYPE numeric(14,4)",
                "ALTER TABLE t ALTER COLUMN at TYPE timestamp(6)",
                "ALTER TABLE t ALTER COLUMN code TYPE varchar",
                "ALTER TABLE t ALTER COLUMN n TYPE bigint",
                "ALTER TABLE t ALTER COLUMN n TYPE int",
                "ALTER TABLE t ALTER COLUMN addr TYPE inet",
                "ALTER TABLE t ALTER COLUMN flags TYPE varbit(16)",
                "ALTER TABLE t ALTER COLUMN name TYPE text USING upper(name)",
                "ALTER TABLE t ADD COLUMN d int NOT NULL DEFAULT 7",
                "ALTER TABLE t ADD COLUMN d timestamptz DEFAULT now()",
                "ALTER TABLE t ADD COLUMN d uuid DEFAULT gen_random_uuid()",
                "ALTER TABLE t ADD COLUMN d double precision DEFAULT random()",
                "ALTER TABLE t ADD COLUMN d bigserial",
                "ALTER TABLE t ADD COLUMN d bigint GENERATED ALWAYS AS IDENTITY",
                "ALTER TABLE t ADD COLUMN d int GENERATED ALWAYS AS (n * 2) STORED",
                "ALTER TABLE t ADD COLUMN d text",
                "ALTER TABLE t SET UNLOGGED",
                "VACUUM FULL t",
                "CLUSTER t USING t_pkey");
        List<String> mismatches = new ArrayList<>();
        int i = 0;
        for (String statement : statements) {
            i++;
            try (Statement s = c.createStatement()) {
                s.execute("DROP TABLE IF EXISTS t");
                s.execute("CREATE TABLE t " + TABLE);
                s.execute("INSERT INTO t SELECT g, 'n' || g, g, now(), 'c', g, '10.0.0.0/8', B'1010' FROM generate_series(1, 500) g");
                long before = relfilenode(s);
                s.execute(statement);
                boolean rewritten = relfilenode(s) != before;
                Linter linter = new Linter(LintOptions.defaults().withPgVersion(major));
                linter.lintFile("V1.sql", "CREATE TABLE t " + TABLE + ";");
                List<Finding> fs = linter.lintFile("V2.sql", "SET lock_timeout = '1s';\n" + statement + ";");
                boolean verdict = fs.stream().anyMatch(f -> f.isError() && REWRITE_RULES.contains(f.rule()));
                if (verdict != rewritten) {
                    mismatches.add(i + ". " + statement + ": server rewrote=" + rewritten + ", lint says rewrite=" + verdict + " " + fs);
                }
            }
        }
        assertEquals(List.of(), mismatches);
    }

    /** timestamp → timestamptz depends on the session TimeZone on the server, so lint warns instead of judging. */
    @Test
    void timestampToTimestamptzDependsOnTheTimeZone() throws SQLException {
        for (String zone : List.of("UTC", "Europe/Paris")) {
            try (Statement s = c.createStatement()) {
                s.execute("DROP TABLE IF EXISTS t");
                s.execute("CREATE TABLE t " + TABLE);
                s.execute("INSERT INTO t (id, at) SELECT g, now() FROM generate_series(1, 100) g");
                s.execute("SET TimeZone = '" + zone + "'");
                long before = relfilenode(s);
                s.execute("ALTER TABLE t ALTER COLUMN at TYPE timestamptz");
                assertEquals(!zone.equals("UTC"), relfilenode(s) != before, zone);
                s.execute("RESET TimeZone");
            }
        }
        Linter linter = new Linter(LintOptions.defaults().withPgVersion(major));
        linter.lintFile("V1.sql", "CREATE TABLE t " + TABLE + ";");
        List<Finding> fs = linter.lintFile("V2.sql", "SET lock_timeout = '1s';\nALTER TABLE t ALTER COLUMN at TYPE timestamptz;");
        assertEquals(List.of("warning alter-column-type-rewrite"), fs.stream().map(f -> f.severity().wireName() + " " + f.rule()).toList());
        Linter pg11 = new Linter(LintOptions.defaults().withPgVersion(11));
        pg11.lintFile("V1.sql", "CREATE TABLE t " + TABLE + ";");
        assertEquals(List.of("error alter-column-type-rewrite"), pg11.lintFile("V2.sql",
                "SET lock_timeout = '1s';\nALTER TABLE t ALTER COLUMN at TYPE timestamptz;").stream()
                .map(f -> f.severity().wireName() + " " + f.rule()).toList());
    }

    private static long relfilenode(Statement s) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT relfilenode FROM pg_class WHERE oid = 't'::regclass")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
