package dev.tandem.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tandem.testing.Cli;
import dev.tandem.testing.Db;
import dev.tandem.testing.TestDatabase;
import dev.tandem.util.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract gate: an old-shape write or an old-shape SELECT after switch-reads makes
 * {@code contract --check} exit 4 and name what it saw; after the quiet period it exits 0;
 * {@code contract} refuses while not ready and {@code --force} is recorded in the history.
 */
class ContractReadinessTest {
    static final String ID = CliLifecycleTest.ID;
    /** Long enough that a slow shared machine still checks within it. */
    static final String QUIET = "60s";

    @TempDir
    Path tmp;

    private Path changelog() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("cl"));
        Files.writeString(dir.resolve(ID + ".yaml"), CliLifecycleTest.rename("users", "full_name", "display_name"), StandardCharsets.UTF_8);
        return dir;
    }

    private static Cli.Result check(TestDatabase db, String... more) {
        return checkWith(db, QUIET, more);
    }

    private static Cli.Result checkWith(TestDatabase db, String quietPeriod, String... more) {
        List<String> a = new java.util.ArrayList<>(List.of("contract", ID, "--check", "--quiet-period", quietPeriod));
        a.addAll(List.of(more));
        return CliLifecycleTest.cli(db, a.toArray(String[]::new));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(Cli.Result r) {
        return (Map<String, Object>) Json.parse(r.out());
    }

    @Test
    void oldShapeWriteBlocksUntilTheQuietPeriodPassedAndForceIsRecorded() throws Exception {
        TestDatabase db = CliLifecycleTest.sampleDb("ContractReadiness_write", 50);
        Path cl = changelog();
        CliLifecycleTest.ok(db, "apply", cl.toString());
        CliLifecycleTest.ok(db, "switch-reads", ID);
        try (Connection c = db.connect()) {
            Cli.Result quiet = check(db);
            assertEquals(0, quiet.code(), quiet.describe());
            assertTrue(quiet.out().contains("READY"), quiet.describe());
            assertTrue(quiet.out().contains("retire full_name"), "the report lists the steps: " + quiet.describe());
            assertTrue(quiet.out().contains("ACCESS EXCLUSIVE"), "with their locks: " + quiet.describe());

            // an old application instance updates the old column
            Db.exec(c, "UPDATE users SET full_name = 'Old App' WHERE id = (SELECT min(id::text)::uuid FROM users)");
            Cli.Result seen = check(db);
            assertEquals(4, seen.code(), seen.describe());
            assertTrue(seen.out().contains("NOT READY"), seen.describe());
            assertTrue(seen.out().contains("the old shape was written"), seen.describe());
            Map<String, Object> doc = json(check(db, "--format", "json"));
            assertEquals(Boolean.FALSE, doc.get("ready"), doc.toString());
            Map<String, Object> writes = (Map<String, Object>) doc.get("old_writes");
            assertEquals(1L, ((Number) writes.get("samples_since_switch_reads")).longValue(), doc.toString());

            // contract itself refuses (exit 4), nothing changes; --yes does not skip the check
            Cli.Result refused = CliLifecycleTest.cli(db, "contract", ID, "--yes");
            assertEquals(4, refused.code(), refused.describe());
            assertTrue(refused.err().contains("the old shape was written"), refused.describe());
            assertTrue(Db.columnExists(c, "public", "users", "full_name"));

            Thread.sleep(1_500);
            Cli.Result after = checkWith(db, "1s");
            assertEquals(0, after.code(), "quiet period passed: " + after.describe());

            // default quiet period (15m): still not ready; --force contracts and is recorded with who
            Cli.Result forced = CliLifecycleTest.cli(db, "contract", ID, "--yes", "--force");
            assertEquals(0, forced.code(), forced.describe());
            CliLifecycleTest.assertAt(db, cl, ID, "contract", "contracted");
            Object who = Db.scalar(c, "SELECT who FROM tandem.history WHERE migration_id = '" + ID + "' AND action = 'contract-forced'");
            assertTrue(who != null && who.toString().contains(db.user()), "forced contract recorded with who: " + who);

            // purge --check lists what purge drops, with a size, and changes nothing
            Db.exec(c, "ANALYZE users");
            Cli.Result purge = CliLifecycleTest.cli(db, "purge", ID, "--check");
            assertEquals(0, purge.code(), purge.describe());
            assertTrue(purge.out().contains("drop the retired column"), purge.describe());
            assertTrue(purge.out().matches("(?s).*about \\d+(\\.\\d)? (B|kB) in ~5\\d rows.*"), purge.describe());
            CliLifecycleTest.assertAt(db, cl, ID, "contract", "contracted");
        }
    }

    @Test
    void newApplicationWritesAreNotOldShapeUse() throws Exception {
        TestDatabase db = CliLifecycleTest.sampleDb("ContractReadiness_new", 20);
        CliLifecycleTest.ok(db, "apply", changelog().toString());
        CliLifecycleTest.ok(db, "switch-reads", ID);
        try (Connection c = db.connect()) {
            Db.exec(c, "UPDATE users SET display_name = 'New App' WHERE id = (SELECT min(id::text)::uuid FROM users)");
            Db.exec(c, "INSERT INTO users (email, display_name, password_hash) VALUES ('new@example.com', 'New App', 'x')");
            Cli.Result r = check(db);
            assertEquals(0, r.code(), r.describe());
        }
    }

    @Test
    void oldShapeSelectSeenInPgStatStatementsBlocksUntilTheQuietPeriodPassed() throws Exception {
        TestDatabase db = CliLifecycleTest.sampleDb("ContractReadiness_select", 50);
        try (Connection c = db.connect()) {
            assumeTrue(createPgStatStatements(c), "pg_stat_statements is not loaded on this server");
        }
        CliLifecycleTest.ok(db, "apply", changelog().toString());
        CliLifecycleTest.ok(db, "switch-reads", ID);
        try (Connection c = db.connect()) {
            Cli.Result quiet = check(db);
            assertEquals(0, quiet.code(), "statements before switch-reads are the baseline: " + quiet.describe());
            assertTrue(quiet.out().contains("statements using the old shape: none since switch-reads"), quiet.describe());

            // an old application instance reads the old column
            try (PreparedStatement ps = c.prepareStatement("SELECT full_name FROM users WHERE email = ?")) {
                ps.setString(1, "nobody@example.com");
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                }
            }
            Cli.Result seen = check(db);
            assertEquals(4, seen.code(), seen.describe());
            assertTrue(seen.out().contains("a statement still uses public.users.full_name"), seen.describe());
            assertTrue(seen.out().contains("SELECT full_name FROM users WHERE email = $1"), seen.describe());

            Thread.sleep(1_500);
            Cli.Result after = checkWith(db, "1s");
            assertEquals(0, after.code(), "quiet period passed, no new calls: " + after.describe());
            assertTrue(after.out().contains("1 calls by"), "still listed: " + after.describe());
        }
    }

    @Test
    void withoutPgStatStatementsTheReportSaysNotAvailable() throws Exception {
        TestDatabase db = CliLifecycleTest.sampleDb("ContractReadiness_nopgss", 10);
        CliLifecycleTest.ok(db, "apply", changelog().toString());
        CliLifecycleTest.ok(db, "switch-reads", ID);
        Cli.Result r = check(db);
        assertEquals(0, r.code(), r.describe());
        assertTrue(r.out().contains("statements using the old shape: not available"), r.describe());
        Cli.Result before = CliLifecycleTest.cli(db, "contract", "0009_unknown", "--check");
        assertEquals(2, before.code(), before.describe());
    }

    private static boolean createPgStatStatements(Connection c) {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
            s.executeQuery("SELECT count(*) FROM pg_stat_statements").close();
            return true;
        } catch (SQLException e) {
            return false;
        }
    }
}
