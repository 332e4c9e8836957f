package dev.tandem.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.catalog.Fingerprint;
import dev.tandem.testing.ChildTandem;
import dev.tandem.testing.Cli;
import dev.tandem.testing.Db;
import dev.tandem.testing.SampleSchema;
import dev.tandem.testing.TestDatabase;
import dev.tandem.util.Json;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The migration lifecycle driven through the command line only, as an operator would. */
class CliLifecycleTest {
    static final String ID = "0001_rename_full_name";

    @TempDir
    Path tmp;

    static TestDatabase sampleDb(String name, int users) throws SQLException {
        TestDatabase db = TestDatabase.create(name);
        try (Connection c = db.connect()) {
            SampleSchema.load(c);
            SampleSchema.seed(c, users);
        }
        return db;
    }

    /**
     * The database as {@code postgresql://user[:password]@host:port/db}, built from the test
     * database's JDBC URL (the embedded server needs no password: then the URL has none).
     */
    static String libpqUrl(TestDatabase db) {
        URI u = URI.create(db.jdbcUrl().substring("jdbc:".length()));
        String user = URLEncoder.encode(db.user(), StandardCharsets.UTF_8);
        String auth = db.password() == null ? user : user + ":" + URLEncoder.encode(db.password(), StandardCharsets.UTF_8);
        return "postgresql://" + auth + "@" + u.getHost() + ":" + u.getPort() + u.getRawPath();
    }

    /** Runs a command with {@code --url postgresql://…} only (no --user, no --password). */
    static Cli.Result cli(TestDatabase db, String... args) {
        List<String> a = new ArrayList<>(List.of(args));
        a.add("--url");
        a.add(libpqUrl(db));
        return Cli.run(a.toArray(String[]::new));
    }

    static Cli.Result ok(TestDatabase db, String... args) {
        Cli.Result r = cli(db, args);
        assertEquals(0, r.code(), () -> String.join(" ", args) + "\n" + r.describe());
        return r;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> statusRow(TestDatabase db, Path changelog, String id) {
        Cli.Result r = ok(db, "status", changelog.toString(), "--format", "json");
        Map<String, Object> doc = (Map<String, Object>) Json.parse(r.out());
        for (Object o : (List<Object>) doc.get("migrations")) {
            Map<String, Object> row = (Map<String, Object>) o;
            if (id.equals(row.get("id"))) {
                return row;
            }
        }
        throw new AssertionError("no status row for " + id + ": " + r.out());
    }

    static void assertAt(TestDatabase db, Path changelog, String id, String phase, String status) {
        Map<String, Object> row = statusRow(db, changelog, id);
        assertEquals(phase, row.get("phase"), () -> "phase of " + id + ": " + row);
        assertEquals(status, row.get("status"), () -> "status of " + id + ": " + row);
    }

    private Path changelogDir(String name, String... files) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve(name));
        for (int i = 0; i < files.length; i += 2) {
            Files.writeString(dir.resolve(files[i]), files[i + 1], StandardCharsets.UTF_8);
        }
        return dir;
    }

    static String rename(String table, String column, String to) {
        return "description: rename " + table + "." + column + "\nchanges:\n  - rename_column:\n      table: " + table
                + "\n      column: " + column + "\n      to: " + to + "\n";
    }

    @Test
    void fullLifecycleWithLibpqStyleUrl() throws Exception {
        TestDatabase db = sampleDb("CliLifecycleTest_full", 500);
        Path cl = changelogDir("full", ID + ".yaml", rename("users", "full_name", "display_name"));
        try (Connection c = db.connect()) {
            Fingerprint initial = Db.publicFingerprint(c);
            Object names = Db.scalar(c, "SELECT md5(string_agg(full_name, ',' ORDER BY id)) FROM users");

            Cli.Result applied = ok(db, "apply", cl.toString());
            assertTrue(applied.out().contains(ID + ": backfill applied"), applied.describe());
            Map<String, Object> row = statusRow(db, cl, ID);
            assertEquals("backfill", row.get("phase"), row.toString());
            assertEquals("in-progress", row.get("status"), row.toString());
            assertEquals(Boolean.TRUE, row.get("checksum_ok"), row.toString());
            assertTrue(row.get("backfill") instanceof Map<?, ?> b && Boolean.TRUE.equals(b.get("finished")), row.toString());
            assertEquals(0L, Db.count(c, "SELECT count(*) FROM users WHERE display_name IS DISTINCT FROM full_name"));

            ok(db, "switch-reads", ID);
            assertAt(db, cl, ID, "switch-reads", "in-progress");

            // contract without --yes and without a terminal: refused, nothing changed
            Fingerprint beforeContract = Db.publicFingerprint(c);
            Object stateBefore = Db.scalar(c, "SELECT phase || '/' || status || '/' || updated_at FROM tandem.migrations");
            Cli.Result refused = cli(db, "contract", ID);
            assertEquals(2, refused.code(), refused.describe());
            assertTrue(refused.err().contains("--yes"), refused.describe());
            assertEquals(List.of(), beforeContract.diff(Db.publicFingerprint(c)));
            assertEquals(stateBefore, Db.scalar(c, "SELECT phase || '/' || status || '/' || updated_at FROM tandem.migrations"));

            ok(db, "contract", ID, "--yes");
            assertAt(db, cl, ID, "contract", "contracted");
            assertFalse(Db.columnExists(c, "public", "users", "full_name"));
            assertEquals(names, Db.scalar(c, "SELECT md5(string_agg(display_name, ',' ORDER BY id)) FROM users"));
            // the new application inserts without the old column
            Db.exec(c, "INSERT INTO users (email, display_name, password_hash) VALUES ('new@example.com', 'New App', 'x')");
            Db.exec(c, "DELETE FROM users WHERE email = 'new@example.com'");

            Cli.Result one = ok(db, "rollback", ID);
            assertTrue(one.out().contains("contract"), one.describe());
            assertAt(db, cl, ID, "switch-reads", "in-progress");
            assertTrue(Db.columnExists(c, "public", "users", "full_name"));

            Cli.Result toExpand = ok(db, "rollback", ID, "--to", "expand");
            assertTrue(toExpand.out().contains("switch-reads, backfill, dual-write"), toExpand.describe());
            assertAt(db, cl, ID, "expand", "in-progress");
            assertTrue(Db.columnExists(c, "public", "users", "display_name"));
            assertEquals(0L, Db.count(c, "SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'tandem%'"));

            ok(db, "rollback", ID, "--all");
            Map<String, Object> pending = statusRow(db, cl, ID);
            assertEquals("pending", pending.get("status"), pending.toString());
            assertNull(pending.get("phase"), pending.toString());
            assertEquals(List.of(), initial.diff(Db.publicFingerprint(c)), "rollback --all restores everything");

            Cli.Result text = ok(db, "status", cl.toString());
            assertTrue(text.out().contains(ID) && text.out().contains("pending"), text.describe());

            // a rolled-back migration can start again
            ok(db, "apply", cl.toString());
            assertAt(db, cl, ID, "backfill", "in-progress");
        }
    }

    @Test
    void checksumDriftIsRefused() throws Exception {
        TestDatabase db = sampleDb("CliLifecycleTest_drift", 100);
        Path cl = changelogDir("drift", ID + ".yaml", rename("users", "full_name", "display_name"));
        Path file = cl.resolve(ID + ".yaml");
        try (Connection c = db.connect()) {
            ok(db, "apply", cl.toString(), "--to", "expand");
            Files.writeString(file, rename("users", "full_name", "nickname"), StandardCharsets.UTF_8);
            Fingerprint before = Db.publicFingerprint(c);
            Cli.Result r = cli(db, "apply", cl.toString());
            assertEquals(2, r.code(), r.describe());
            assertTrue(r.err().contains("drift"), r.describe());
            assertTrue(r.err().contains(file.toString()), r.describe());
            assertEquals(List.of(), before.diff(Db.publicFingerprint(c)), "nothing ran");
            assertFalse(Db.columnExists(c, "public", "users", "nickname"));
            Map<String, Object> row = statusRow(db, cl, ID);
            assertEquals(Boolean.FALSE, row.get("checksum_ok"), row.toString());
            assertEquals("expand", row.get("phase"), row.toString());
        }
    }

    @Test
    void releaseTrainStopsBeforeAMigrationThatTouchesAnInFlightColumn() throws Exception {
        TestDatabase db = sampleDb("CliLifecycleTest_train", 100);
        Path cl = changelogDir("train",
                "0001_rename_full_name.yaml", rename("users", "full_name", "display_name"),
                "0002_rename_title.yaml", rename("tasks", "title", "name"));
        try (Connection c = db.connect()) {
            ok(db, "apply", cl.toString());
            assertAt(db, cl, "0001_rename_full_name", "backfill", "in-progress");
            assertAt(db, cl, "0002_rename_title", "backfill", "in-progress");
            assertEquals(0L, Db.count(c, "SELECT count(*) FROM tasks WHERE name IS DISTINCT FROM title"));

            Files.writeString(cl.resolve("0003_rename_display_name.yaml"), rename("users", "display_name", "nickname"));
            Fingerprint before = Db.publicFingerprint(c);
            Cli.Result r = ok(db, "apply", cl.toString(), "--format", "json");
            assertTrue(r.err().contains("waits for 0001"), r.describe());
            @SuppressWarnings("unchecked")
            Map<String, Object> result = (Map<String, Object>) dev.tandem.util.Json.parse(r.out());
            assertEquals("0001_rename_full_name", result.get("waiting_for"), r.out());
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> rows = (List<Map<String, Object>>) result.get("migrations");
            assertEquals(List.of("0001_rename_full_name", "0002_rename_title", "0003_rename_display_name"),
                    rows.stream().map(m -> m.get("id")).toList(), r.out());
            assertEquals("backfill", rows.get(0).get("phase"), r.out());
            assertEquals("pending", rows.get(2).get("status"), r.out());
            assertTrue(rows.get(2).get("message").toString().contains("waits for 0001"), r.out());
            assertEquals(List.of(), before.diff(Db.publicFingerprint(c)), "0003 did not run");
            assertFalse(Db.columnExists(c, "public", "users", "nickname"));
            Map<String, Object> third = statusRow(db, cl, "0003_rename_display_name");
            assertEquals("pending", third.get("status"), third.toString());
            assertEquals(0L, Db.count(c, "SELECT count(*) FROM tandem.migrations WHERE id = '0003_rename_display_name'"));

            // contracted is not enough (a rollback of 0001 still needs the column); once 0001 is purged, 0003 may start
            ok(db, "switch-reads", "0001_rename_full_name");
            ok(db, "contract", "0001_rename_full_name", "--yes");
            assertTrue(ok(db, "apply", cl.toString()).err().contains("waits for 0001"));
            ok(db, "purge", "0001_rename_full_name", "--yes");
            Cli.Result after = ok(db, "apply", cl.toString());
            assertFalse(after.all().contains("waits for"), after.describe());
            assertAt(db, cl, "0003_rename_display_name", "backfill", "in-progress");
            assertEquals(0L, Db.count(c, "SELECT count(*) FROM users WHERE nickname IS DISTINCT FROM display_name"));
        }
    }

    /** The same train in one apply: 0001 and 0002 run, 0003 (same column as 0001) waits. */
    @Test
    void releaseTrainInOneApply() throws Exception {
        TestDatabase db = sampleDb("CliLifecycleTest_train1", 50);
        Path cl = changelogDir("train1",
                "0001_rename_full_name.yaml", rename("users", "full_name", "display_name"),
                "0002_rename_title.yaml", rename("tasks", "title", "name"),
                "0003_rename_display_name.yaml", rename("users", "display_name", "nickname"));
        try (Connection c = db.connect()) {
            Cli.Result r = ok(db, "apply", cl.toString(), "--format", "json");
            assertTrue(r.err().contains("waits for 0001"), r.describe());
            @SuppressWarnings("unchecked")
            Map<String, Object> result = (Map<String, Object>) dev.tandem.util.Json.parse(r.out());
            assertEquals("0001_rename_full_name", result.get("waiting_for"), r.out());
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> rows = (List<Map<String, Object>>) result.get("migrations");
            assertEquals(List.of("0001_rename_full_name", "0002_rename_title", "0003_rename_display_name"),
                    rows.stream().map(m -> m.get("id")).toList(), r.out());
            assertEquals("backfill", rows.get(0).get("phase"), r.out());
            assertEquals("pending", rows.get(2).get("status"), r.out());
            assertTrue(rows.get(2).get("message").toString().contains("waits for 0001"), r.out());
            assertAt(db, cl, "0001_rename_full_name", "backfill", "in-progress");
            assertAt(db, cl, "0002_rename_title", "backfill", "in-progress");
            assertEquals("pending", statusRow(db, cl, "0003_rename_display_name").get("status"));
            assertFalse(Db.columnExists(c, "public", "users", "nickname"));
        }
    }

    @Test
    void passwordsNeverInOutput() throws Exception {
        String secret = "Sup3rS3cretPw";
        Path cl = SampleSchema.repoRoot().resolve("changelogs");
        List<List<String>> invocations = List.of(
                List.of("apply", cl.toString(), "--url", "postgresql://alice:" + secret + "@127.0.0.1:1/db"),
                List.of("status", cl.toString(), "--url", "postgres://alice:" + secret + "@127.0.0.1:1/db?sslmode=disable"),
                List.of("plan", cl.toString(), "--url", "jdbc:postgresql://127.0.0.1:1/db?user=alice&password=" + secret),
                List.of("switch-reads", ID, "--url", "jdbc:postgresql://127.0.0.1:1/db", "--user", "alice", "--password", secret),
                List.of("rollback", ID, "--all", "--url", "postgresql://alice@127.0.0.1:1/db"));
        for (List<String> args : invocations) {
            Map<String, String> env = args.get(0).equals("rollback") ? Map.of("TANDEM_PASSWORD", secret) : Map.of();
            Cli.Result r = Cli.run(env, args.toArray(String[]::new));
            assertEquals(1, r.code(), args + "\n" + r.describe());
            assertTrue(r.err().contains("cannot connect"), args + "\n" + r.describe());
            assertFalse(r.all().contains(secret), () -> "password leaked for " + args + "\n" + r.describe());
        }
    }

    /** With a server that accepts any password (the embedded one trusts local users), a full run never prints it. */
    @Test
    void passwordNotInOutputOfSuccessfulRuns() throws Exception {
        TestDatabase db = sampleDb("CliLifecycleTest_pw", 20);
        org.junit.jupiter.api.Assumptions.assumeTrue(db.password() == null, "needs a server with trust authentication");
        String secret = "Tr0ub4dor3xyz";
        Path cl = changelogDir("pw", ID + ".yaml", rename("users", "full_name", "display_name"));
        URI u = URI.create(db.jdbcUrl().substring("jdbc:".length()));
        String url = "postgresql://" + db.user() + ":" + secret + "@" + u.getHost() + ":" + u.getPort() + u.getRawPath();
        StringBuilder all = new StringBuilder();
        for (String[] cmd : List.of(new String[] {"plan", cl.toString()}, new String[] {"apply", cl.toString()},
                new String[] {"status", cl.toString(), "--format", "json"}, new String[] {"switch-reads", ID},
                new String[] {"contract", ID, "--yes"}, new String[] {"rollback", ID, "--all"})) {
            List<String> a = new ArrayList<>(List.of(cmd));
            a.add("--url");
            a.add(url);
            Cli.Result r = Cli.run(a.toArray(String[]::new));
            assertEquals(0, r.code(), String.join(" ", cmd) + "\n" + r.describe());
            all.append(r.all());
        }
        assertFalse(all.toString().contains(secret), all.toString());
        try (Connection c = db.connect()) {
            assertEquals(0L, Db.count(c, "SELECT count(*) FROM tandem.history WHERE detail LIKE '%" + secret + "%'"
                    + " OR who LIKE '%" + secret + "%'"));
            assertEquals(0L, Db.count(c, "SELECT count(*) FROM tandem.migrations WHERE applied_by LIKE '%" + secret + "%'"));
        }
    }

    /** Purge after contract is final: status purged, rollback refused (exit 2), the retired column gone. */
    @Test
    void purgeIsFinal() throws Exception {
        TestDatabase db = sampleDb("CliLifecycleTest_purge", 50);
        Path cl = changelogDir("purge", ID + ".yaml", rename("users", "full_name", "display_name"));
        try (Connection c = db.connect()) {
            ok(db, "apply", cl.toString());
            Cli.Result early = cli(db, "purge", ID, "--yes");
            assertEquals(2, early.code(), "purge before contract: " + early.describe());
            ok(db, "switch-reads", ID);
            ok(db, "contract", ID, "--yes");
            Cli.Result noYes = cli(db, "purge", ID);
            assertEquals(2, noYes.code(), noYes.describe());
            assertEquals(1L, Db.count(c, "SELECT count(*) FROM pg_attribute WHERE attrelid = 'public.users'::regclass"
                    + " AND attname LIKE 'tandem_retired%' AND NOT attisdropped"));
            ok(db, "purge", ID, "--yes");
            assertAt(db, cl, ID, "contract", "purged");
            assertEquals(0L, Db.count(c, "SELECT count(*) FROM pg_attribute WHERE attrelid = 'public.users'::regclass"
                    + " AND attname LIKE 'tandem_retired%' AND NOT attisdropped"));
            assertEquals(0L, Db.count(c, "SELECT count(*) FROM pg_constraint WHERE conrelid = 'public.users'::regclass"
                    + " AND contype = 'c'"), "the helper NOT NULL check is dropped by purge");
            assertEquals(Boolean.TRUE, Db.scalar(c, "SELECT attnotnull FROM pg_attribute WHERE attrelid = 'public.users'::regclass"
                    + " AND attname = 'display_name'"));
            Cli.Result rb = cli(db, "rollback", ID);
            assertEquals(2, rb.code(), rb.describe());
            assertTrue(rb.err().contains("purged"), rb.describe());
            ok(db, "purge", ID, "--yes"); // idempotent
        }
    }

    /** status is read-only: on a database Tandem never touched it creates nothing. */
    @Test
    void statusOnAFreshDatabaseCreatesNothing() throws Exception {
        TestDatabase db = sampleDb("CliLifecycleTest_status", 10);
        Path cl = changelogDir("status", ID + ".yaml", rename("users", "full_name", "display_name"));
        try (Connection c = db.connect()) {
            Map<String, Object> row = statusRow(db, cl, ID);
            assertEquals("pending", row.get("status"), row.toString());
            assertNull(row.get("phase"), row.toString());
            Cli.Result text = ok(db, "status", cl.toString());
            assertTrue(text.out().contains(ID), text.describe());
            assertEquals(0L, Db.count(c, "SELECT count(*) FROM pg_namespace WHERE nspname = 'tandem'"));
        }
    }

    /**
     * Regression test (fixed): a password with a '/' or '?' that is not percent-encoded makes
     * java.net.URI read the authority as registry-based; ConnectionConfig then drops the user info
     * and turns the rest of the password into the path or query of the JDBC URL, which appears in
     * the "cannot connect to …" message.
     */
    @Test
    void unencodedSpecialCharactersInPasswordAreNotLeaked() {
        for (String secret : List.of("Pa/ssw0rdTail", "Pa?ssw0rdTail")) {
            Cli.Result r = Cli.run("status", "--url", "postgresql://alice:" + secret + "@127.0.0.1:1/db");
            assertTrue(r.code() == 1 || r.code() == 2, r.describe());
            assertFalse(r.all().contains("ssw0rdTail"), () -> "part of the password leaked:\n" + r.describe());
        }
    }

    /**
     * The real process: apply's stdout carries only its result lines (no Liquibase or driver noise).
     * <p>Regression test (fixed): when the state schema is created, Liquibase prints its
     * "UPDATE SUMMARY" block to System.out (StateSchema.migrate does not set showSummaryOutput).
     */
    @Test
    void realProcessApplyPrintsOnlyResultsOnStdout() throws Exception {
        TestDatabase db = sampleDb("CliLifecycleTest_proc", 50);
        Path cl = changelogDir("proc", ID + ".yaml", rename("users", "full_name", "display_name"));
        try (ChildTandem child = ChildTandem.start(tmp, List.of("apply", cl.toString(), "--url", libpqUrl(db)))) {
            assertEquals(0, child.waitFor(120), child.describe());
            List<String> lines = child.stdout().lines().filter(l -> !l.isBlank()).toList();
            assertEquals(1, lines.size(), child.describe());
            assertTrue(lines.get(0).startsWith(ID + ": backfill applied"), child.describe());
            assertTrue(child.stderr().contains("== " + ID + ": expand"), child.describe());
        }
    }
}
