package dev.tandem.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.catalog.Fingerprint;
import dev.tandem.sql.Ident;
import dev.tandem.testing.Cli;
import dev.tandem.testing.Db;
import dev.tandem.testing.SampleSchema;
import dev.tandem.testing.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Names that are SQL when not quoted: a table called {@code Robert'); DROP TABLE users;--}, a
 * column with a double quote and a semicolon, a 63-byte unicode column. The whole lifecycle runs
 * through the command line; the data is right, {@code users} survives, and rollback --all restores
 * the schema exactly.
 */
class CliHostileNamesTest {
    static final String TABLE = "Robert'); DROP TABLE users;--";
    static final String WEIRD = "we\"ird;name";
    /** 15 four-byte emoji + "abc" = 63 bytes of UTF-8, PostgreSQL's limit. */
    static final String UNICODE63 = "😀".repeat(15) + "abc";
    static final String T = "public." + Ident.quote(TABLE);

    /** The YAML single-quoted scalar holding the SQL-quoted table name ('"Robert''); DROP…"'). */
    static final String TABLE_YAML = "'" + ("\"" + TABLE + "\"").replace("'", "''") + "'";

    @TempDir
    Path tmp;

    static TestDatabase fresh(String name, int rows) throws SQLException {
        TestDatabase db = TestDatabase.create(name);
        try (Connection c = db.connect()) {
            SampleSchema.load(c);
            SampleSchema.seed(c, 50);
            assertEquals(63, UNICODE63.getBytes(StandardCharsets.UTF_8).length);
            Db.exec(c, "CREATE TABLE " + T + " (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), "
                    + Ident.quote(WEIRD) + " text NOT NULL, " + Ident.quote(UNICODE63) + " text)");
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + T + " (" + Ident.quote(WEIRD) + ", "
                    + Ident.quote(UNICODE63) + ") SELECT 'v''' || i || E'\";--', 'ü' || i FROM generate_series(1, ?) i")) {
                ps.setInt(1, rows);
                ps.executeUpdate();
            }
        }
        return db;
    }

    private Path changelog(String file, String table, String column, String to) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve(file.replace(".yaml", "")));
        Path f = dir.resolve(file);
        Files.writeString(f, "description: hostile\nchanges:\n  - rename_column:\n      table: " + table
                + "\n      column: " + column + "\n      to: " + to + "\n", StandardCharsets.UTF_8);
        return f;
    }

    /** A YAML single-quoted scalar. */
    static String yq(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    private static Cli.Result ok(TestDatabase db, String... args) {
        Cli.Result r = Cli.run(Cli.withDb(db, args));
        assertEquals(0, r.code(), () -> String.join(" ", args) + "\n" + r.describe());
        return r;
    }

    private static void assertUsersIntact(Connection c) throws SQLException {
        assertEquals(Boolean.TRUE, Db.scalar(c, "SELECT to_regclass('public.users') IS NOT NULL"), "users was dropped");
        assertEquals(50L, Db.count(c, "SELECT count(*) FROM public.users"));
    }

    /** Every row: new column equals old column (mismatches counted). */
    private static long mismatches(Connection c, String from, String to) throws SQLException {
        return Db.count(c, "SELECT count(*) FROM " + T + " WHERE " + Ident.quote(to) + " IS DISTINCT FROM " + Ident.quote(from));
    }

    /** A digest of a column's values in key order. */
    private static Object values(Connection c, String column) throws SQLException {
        return Db.scalar(c, "SELECT count(*) || ':' || md5(string_agg(" + Ident.quote(column) + ", E'\\x1f' ORDER BY id)) FROM " + T);
    }

    private void fullLifecycle(TestDatabase db, Path file, String id, String from, String to) throws Exception {
        try (Connection c = db.connect()) {
            Fingerprint before = Db.publicFingerprint(c);
            String path = file.toString();
            Object valuesBefore = values(c, from);

            ok(db, "apply", path);
            assertTrue(Db.columnExists(c, "public", TABLE, to));
            assertEquals(0, mismatches(c, from, to), "backfill copied every value");
            assertUsersIntact(c);

            ok(db, "switch-reads", id);
            assertEquals("NO", Db.scalar(c, "SELECT is_nullable FROM information_schema.columns WHERE table_schema = 'public'"
                    + " AND table_name = " + Ident.literal(TABLE) + " AND column_name = " + Ident.literal(to)));

            ok(db, "contract", id, "--yes", "--quiet-period", "0s"); // old-app writes just before are this test's own
            assertFalse(Db.columnExists(c, "public", TABLE, from), "old column retired out of sight");
            assertEquals(valuesBefore, values(c, to), "after contract the new column holds the old values");
            assertUsersIntact(c);

            ok(db, "rollback", id, "--all");
            assertUsersIntact(c);
            Fingerprint after = Db.publicFingerprint(c);
            assertEquals(List.of(), before.diff(after), "rollback --all must restore schema and data exactly");
            assertEquals(0L, Db.count(c, "SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'tandem%'"));
            assertEquals(0L, Db.count(c, "SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace"
                    + " WHERE n.nspname = 'tandem' AND p.proname <> 'note_old_write'"));
        }
    }

    @Test
    void renameWeirdColumnOnHostileTable() throws Exception {
        TestDatabase db = fresh("CliHostileNamesTest_main", 300);
        Path f = changelog("0001_rename_weird.yaml", TABLE_YAML, yq(WEIRD), "ok name");
        fullLifecycle(db, f, "0001_rename_weird", WEIRD, "ok name");
    }

    /** Dual-write in both directions with hostile names, and the values after contract and rollback. */
    @Test
    void dualWriteWithHostileNames() throws Exception {
        TestDatabase db = fresh("CliHostileNamesTest_dual", 20);
        Path f = changelog("0001_rename_weird.yaml", TABLE_YAML, yq(WEIRD), "ok name");
        String id = "0001_rename_weird";
        try (Connection c = db.connect()) {
            ok(db, "apply", f.toString());
            // an old application instance writes the old name only; a new one the new name only
            Db.exec(c, "INSERT INTO " + T + " (" + Ident.quote(WEIRD) + ") VALUES ('old''app\";')");
            Db.exec(c, "INSERT INTO " + T + " (\"ok name\") VALUES ('new''app\";')");
            Db.exec(c, "UPDATE " + T + " SET " + Ident.quote(WEIRD) + " = 'upd''old' WHERE \"ok name\" = 'v''1\";--'");
            assertEquals(0, mismatches(c, WEIRD, "ok name"), "the sync trigger keeps both equal");
            ok(db, "switch-reads", id);
            ok(db, "contract", id, "--yes", "--quiet-period", "0s"); // old-app writes just before are this test's own
            Db.exec(c, "INSERT INTO " + T + " (\"ok name\") VALUES ('after''contract')");
            ok(db, "rollback", id, "--all");
            assertFalse(Db.columnExists(c, "public", TABLE, "ok name"));
            assertEquals(1L, Db.count(c, "SELECT count(*) FROM " + T + " WHERE " + Ident.quote(WEIRD) + " = 'after''contract'"),
                    "a row written only under the new name after contract gets its old value back on rollback");
            assertEquals(0L, Db.count(c, "SELECT count(*) FROM " + T + " WHERE " + Ident.quote(WEIRD) + " IS NULL"));
            assertEquals(Boolean.FALSE, Db.scalar(c, "SELECT a.attnotnull IS FALSE FROM pg_attribute a WHERE a.attrelid = "
                    + Ident.literal(T) + "::regclass AND a.attname = " + Ident.literal(WEIRD)), "NOT NULL restored");
            assertUsersIntact(c);
        }
    }

    /** The 63-byte unicode column renamed to another 63-byte name: every derived name must fit too. */
    @Test
    void renameSixtyThreeByteUnicodeColumn() throws Exception {
        TestDatabase db = fresh("CliHostileNamesTest_u63", 100);
        try (Connection c = db.connect()) {
            Db.exec(c, "UPDATE " + T + " SET " + Ident.quote(UNICODE63) + " = 'x' WHERE " + Ident.quote(UNICODE63) + " IS NULL");
            Db.exec(c, "ALTER TABLE " + T + " ALTER COLUMN " + Ident.quote(UNICODE63) + " SET NOT NULL");
        }
        String to = "名".repeat(21); // 63 bytes
        assertEquals(63, to.getBytes(StandardCharsets.UTF_8).length);
        Path f = changelog("0001_rename_unicode.yaml", TABLE_YAML, yq(UNICODE63), yq(to));
        fullLifecycle(db, f, "0001_rename_unicode", UNICODE63, to);
    }

    /** An index, a CHECK constraint and a comment on the hostile column are copied and restored. */
    @Test
    void indexCheckAndCommentOnHostileColumn() throws Exception {
        TestDatabase db = fresh("CliHostileNamesTest_extras", 100);
        try (Connection c = db.connect()) {
            Db.exec(c, "CREATE INDEX " + Ident.quote("idx;" + WEIRD) + " ON " + T + " (" + Ident.quote(WEIRD) + ")");
            Db.exec(c, "ALTER TABLE " + T + " ADD CONSTRAINT " + Ident.quote("chk\"" + WEIRD) + " CHECK (length("
                    + Ident.quote(WEIRD) + ") > 0)");
            Db.exec(c, "COMMENT ON COLUMN " + T + "." + Ident.quote(WEIRD) + " IS 'it''s \"weird\"; DROP TABLE users;--'");
        }
        Path f = changelog("0001_rename_weird.yaml", TABLE_YAML, yq(WEIRD), "ok name");
        fullLifecycle(db, f, "0001_rename_weird", WEIRD, "ok name");
    }

    /**
     * Regression test (fixed): SyncTrigger.createFunction dollar-quotes the function body with
     * the fixed tag {@code $tandem$}; a quoted identifier containing that tag ends the body early,
     * so the dual-write phase fails (exit 1) instead of treating the name as a name.
     * <p>A column whose name contains {@code $tandem$}: the sync function body is dollar-quoted with
     * that tag, so an identifier must not be able to end it.
     */
    @Test
    void dollarQuoteTagInColumnName() throws Exception {
        TestDatabase db = fresh("CliHostileNamesTest_dollar", 30);
        String col = "a$tandem$b";
        try (Connection c = db.connect()) {
            Db.exec(c, "ALTER TABLE " + T + " ADD COLUMN " + Ident.quote(col) + " text NOT NULL DEFAULT 'd'");
        }
        Path f = changelog("0001_rename_dollar.yaml", TABLE_YAML, yq(col), "plain");
        fullLifecycle(db, f, "0001_rename_dollar", col, "plain");
    }

    @Test
    void unknownHostileColumnIsExit2AndNothingRuns() throws Exception {
        TestDatabase db = fresh("CliHostileNamesTest_unknown", 10);
        String ghost = "x\"; DROP TABLE users; --";
        Path f = changelog("0001_ghost.yaml", TABLE_YAML, yq(ghost), "ok name");
        try (Connection c = db.connect()) {
            Fingerprint before = Db.publicFingerprint(c);
            Cli.Result r = Cli.run(Cli.withDb(db, "apply", f.toString()));
            assertEquals(2, r.code(), r.describe());
            assertTrue(r.err().contains("unknown column"), r.describe());
            assertTrue(r.err().contains(f + ":"), r.describe());
            assertEquals(List.of(), before.diff(Db.publicFingerprint(c)));
            assertTrue(Db.tandemMigrationRows(c) <= 0);
            assertUsersIntact(c);
        }
    }
}
