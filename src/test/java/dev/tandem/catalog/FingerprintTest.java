package dev.tandem.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.sql.Ident;
import dev.tandem.sql.QualifiedName;
import dev.tandem.testing.SampleSchema;
import dev.tandem.testing.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Fingerprint on a real server. Every test loads its own copy of the sample schema into a schema
 * of its own, so tests do not see each other's changes.
 */
class FingerprintTest {
    static final int USERS = 60;
    static final AtomicInteger SCHEMAS = new AtomicInteger();

    static TestDatabase db;
    static Connection c;

    @BeforeAll
    static void setUp() throws SQLException {
        db = TestDatabase.create("FingerprintTest");
        c = db.connect();
    }

    @AfterAll
    static void tearDown() throws SQLException {
        if (c != null) {
            c.close();
        }
    }

    /** A new schema with the seeded sample in it; returns its (raw) name. */
    static String sample() throws SQLException {
        return sample("fp_" + SCHEMAS.incrementAndGet());
    }

    static String sample(String schema) throws SQLException {
        SampleSchema.loadInto(c, schema, USERS);
        return schema;
    }

    static void exec(String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    static Fingerprint fp(String schema) {
        return Fingerprint.of(c, List.of(schema), true);
    }

    static String q(String schema, String table) {
        return new QualifiedName(schema, table).sql();
    }

    /** Asserts that the diff is not empty and that every line of it matches. */
    static void assertDiff(List<String> diff, Predicate<String> everyLine, String what) {
        assertFalse(diff.isEmpty(), what + ": no difference found");
        for (String line : diff) {
            assertTrue(everyLine.test(line), what + ": unexpected line " + line + "\nwhole diff:\n" + String.join("\n", diff));
        }
    }

    @Test
    void sameStateSameFingerprint() throws SQLException {
        String s = sample();
        Fingerprint a = fp(s);
        Fingerprint b = fp(s);
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertEquals(a.hash(), b.hash());
        assertEquals(64, a.hash().length());
        assertEquals(List.of(), a.diff(b));
        assertEquals(a.toString(), String.join("\n", a.lines()));
        assertTrue(a.lines().contains("table " + s + ".users column 3 full_name text not null default= identity= generated= collation="),
                a.toString());
        assertTrue(a.lines().stream().anyMatch(l -> l.startsWith("table " + s + ".users constraint users_email_key u valid UNIQUE (email)")));
        assertTrue(a.lines().stream().anyMatch(l -> l.startsWith("data " + s + ".users rows=" + USERS + " checksum=")));
        assertTrue(a.lines().stream().anyMatch(l -> l.startsWith("type " + s + ".task_status enum ('pending', 'in_progress', 'completed', 'cancelled')")));
        assertTrue(a.lines().stream().anyMatch(l -> l.startsWith("sequence " + s + ".comments_id_seq parameters as integer")
                && l.endsWith("owned-by " + s + ".comments.id")));
        assertTrue(a.lines().stream().anyMatch(l -> l.startsWith("function " + s + ".set_updated_at() returns trigger")));

        // A second copy of the same sample holds the same rows: the seed is deterministic.
        String s2 = sample();
        List<String> dataA = a.lines().stream().filter(l -> l.startsWith("data ")).map(l -> l.replace(s + ".", "")).toList();
        List<String> dataB = fp(s2).lines().stream().filter(l -> l.startsWith("data ")).map(l -> l.replace(s2 + ".", "")).toList();
        assertEquals(dataA, dataB);

        Fingerprint catalogOnly = Fingerprint.of(c, List.of(s), false);
        assertTrue(catalogOnly.lines().stream().noneMatch(l -> l.startsWith("data ")));
    }

    @Test
    void independentOfTheSession() throws SQLException {
        String s = sample();
        Fingerprint a = fp(s);
        try (Connection other = db.connect(); Statement st = other.createStatement()) {
            st.execute("SET search_path = " + Ident.quote(s) + ", public");
            st.execute("SET TimeZone = 'America/New_York'");
            st.execute("SET IntervalStyle = 'sql_standard'");
            st.execute("SET DateStyle = 'ISO, DMY'");
            st.execute("SET extra_float_digits = 0");
            Fingerprint b = Fingerprint.of(other, List.of(s), true);
            assertEquals(List.of(), a.diff(b));
            try (ResultSet rs = st.executeQuery("SELECT current_setting('TimeZone'), current_setting('search_path')")) {
                rs.next();
                assertEquals("America/New_York", rs.getString(1), "session settings are left alone");
                assertEquals(s + ", public", rs.getString(2));
            }
        }
    }

    @Test
    void addedColumn() throws SQLException {
        String s = sample();
        Fingerprint before = fp(s);
        exec("ALTER TABLE " + q(s, "users") + " ADD COLUMN nickname text");
        List<String> diff = before.diff(fp(s));
        assertTrue(diff.contains("+ table " + s + ".users column 7 nickname text null default= identity= generated= collation="),
                String.join("\n", diff));
        // the new (NULL) column is part of every row, so the data checksum changes too
        assertDiff(diff, l -> l.contains("nickname") || l.contains("data " + s + ".users "), "add column");
    }

    @Test
    void excludedColumnsAreLeftOutOfTheData() throws SQLException {
        String s = sample();
        Fingerprint before = fp(s);
        exec("ALTER TABLE " + q(s, "users") + " ADD COLUMN nickname text DEFAULT 'nick'");
        Fingerprint after = Fingerprint.of(c, List.of(s), true,
                Map.of(new QualifiedName(s, "users"), Set.of("nickname", "no_such_column")));
        List<String> diff = before.diff(after);
        assertDiff(diff, l -> l.startsWith("+ table " + s + ".users column 7 nickname"), "excluded column");
        assertEquals(1, diff.size(), String.join("\n", diff));

        // Only the excluded column changes (project_members has no updated_at trigger): same data.
        String members = q(s, "project_members");
        exec("ALTER TABLE " + members + " ADD COLUMN note text");
        Map<QualifiedName, Set<String>> exclude = Map.of(new QualifiedName(s, "project_members"), Set.of("note"));
        Fingerprint withNote = Fingerprint.of(c, List.of(s), true, exclude);
        exec("UPDATE " + members + " SET note = 'changed'");
        assertEquals(withNote, Fingerprint.of(c, List.of(s), true, exclude));
        assertNotEquals(withNote, fp(s), "without the exclusion the change shows");
    }

    @Test
    void changedDefault() throws SQLException {
        String s = sample();
        Fingerprint before = fp(s);
        exec("ALTER TABLE " + q(s, "tasks") + " ALTER COLUMN priority SET DEFAULT 3");
        assertEquals(List.of(
                "- table " + s + ".tasks column 5 priority integer not null default=1 identity= generated= collation=",
                "+ table " + s + ".tasks column 5 priority integer not null default=3 identity= generated= collation="),
                before.diff(fp(s)));
    }

    @Test
    void notValidVersusValidated() throws SQLException {
        String s = sample();
        exec("ALTER TABLE " + q(s, "tasks") + " ADD CONSTRAINT title_not_empty CHECK (title <> '') NOT VALID");
        Fingerprint notValid = fp(s);
        exec("ALTER TABLE " + q(s, "tasks") + " VALIDATE CONSTRAINT title_not_empty");
        List<String> diff = notValid.diff(fp(s));
        assertEquals(2, diff.size(), String.join("\n", diff));
        assertTrue(diff.get(0).startsWith("- table " + s + ".tasks constraint title_not_empty c not-valid CHECK"), diff.get(0));
        assertTrue(diff.get(1).startsWith("+ table " + s + ".tasks constraint title_not_empty c valid CHECK"), diff.get(1));
    }

    @Test
    void addedTriggerAndTandemTriggersElsewhere() throws SQLException {
        String s = sample();
        Fingerprint before = fp(s);
        exec("CREATE TRIGGER audit_insert BEFORE INSERT ON " + q(s, "users")
                + " FOR EACH ROW EXECUTE FUNCTION " + q(s, "set_updated_at") + "()");
        Fingerprint withTrigger = fp(s);
        List<String> diff = before.diff(withTrigger);
        assertEquals(1, diff.size(), String.join("\n", diff));
        assertTrue(diff.get(0).startsWith("+ table " + s + ".users trigger audit_insert enabled=O function=" + s
                + ".set_updated_at CREATE TRIGGER audit_insert BEFORE INSERT ON " + s + ".users"), diff.get(0));

        exec("ALTER TABLE " + q(s, "users") + " DISABLE TRIGGER audit_insert");
        assertDiff(withTrigger.diff(fp(s)), l -> l.contains("trigger audit_insert enabled="), "disabled trigger");
        exec("ALTER TABLE " + q(s, "users") + " ENABLE TRIGGER audit_insert");
        assertEquals(withTrigger, fp(s));

        // A trigger named tandem_* counts wherever it is, even on a table outside the schemas.
        String elsewhere = s + "_elsewhere";
        exec("CREATE SCHEMA " + Ident.quote(elsewhere));
        exec("CREATE TABLE " + q(elsewhere, "t") + " (id integer)");
        exec("CREATE TRIGGER tandem_sync BEFORE INSERT ON " + q(elsewhere, "t")
                + " FOR EACH ROW EXECUTE FUNCTION " + q(s, "set_updated_at") + "()");
        exec("CREATE TRIGGER not_ours BEFORE INSERT ON " + q(elsewhere, "t")
                + " FOR EACH ROW EXECUTE FUNCTION " + q(s, "set_updated_at") + "()");
        List<String> diff2 = withTrigger.diff(fp(s));
        assertEquals(1, diff2.size(), String.join("\n", diff2));
        assertTrue(diff2.get(0).startsWith("+ table " + elsewhere + ".t trigger tandem_sync "), diff2.get(0));
    }

    @Test
    void changedData() throws SQLException {
        String s = sample();
        Fingerprint before = fp(s);
        exec("UPDATE " + q(s, "users") + " SET full_name = 'Zoë O''Brien-Müller' WHERE email = 'user7@example.com'");
        List<String> diff = before.diff(fp(s));
        assertEquals(2, diff.size(), String.join("\n", diff));
        assertTrue(diff.stream().anyMatch(l -> l.startsWith("- data " + s + ".users rows=" + USERS + " checksum=")), String.join("\n", diff));
        assertTrue(diff.stream().anyMatch(l -> l.startsWith("+ data " + s + ".users rows=" + USERS + " checksum=")), String.join("\n", diff));

        // Same rows in another physical order: same fingerprint.
        Fingerprint reactions = fp(s);
        exec("CREATE TEMP TABLE saved AS SELECT * FROM " + q(s, "comment_reactions") + " WHERE id % 2 = 0");
        exec("DELETE FROM " + q(s, "comment_reactions") + " WHERE id % 2 = 0");
        Fingerprint fewer = fp(s);
        assertDiff(reactions.diff(fewer), l -> l.contains("data " + s + ".comment_reactions rows="), "deleted rows");
        exec("INSERT INTO " + q(s, "comment_reactions") + " SELECT * FROM saved ORDER BY id DESC");
        exec("DROP TABLE saved");
        assertEquals(reactions, fp(s));
    }

    @Test
    void columnOrderCountsButAttnumDoesNot() throws SQLException {
        String s = sample();
        Fingerprint before = fp(s);

        // Dropped and re-added at the end, with the same values: the visible order changed.
        String users = q(s, "users");
        exec("ALTER TABLE " + users + " ADD COLUMN ph text");
        exec("UPDATE " + users + " SET ph = password_hash");
        exec("ALTER TABLE " + users + " DROP COLUMN password_hash");
        exec("ALTER TABLE " + users + " RENAME COLUMN ph TO password_hash");
        exec("ALTER TABLE " + users + " ALTER COLUMN password_hash SET NOT NULL");
        List<String> diff = before.diff(fp(s));
        assertTrue(diff.contains("- table " + s + ".users column 4 password_hash text not null default= identity= generated= collation="),
                String.join("\n", diff));
        assertTrue(diff.contains("+ table " + s + ".users column 6 password_hash text not null default= identity= generated= collation="),
                String.join("\n", diff));

        // The last column dropped and re-added as the last column: same visible shape, same fingerprint.
        String s2 = sample();
        Fingerprint before2 = fp(s2);
        String comments = q(s2, "comments");
        exec("ALTER TABLE " + comments + " ADD COLUMN c2 timestamptz");
        exec("UPDATE " + comments + " SET c2 = created_at");
        exec("ALTER TABLE " + comments + " DROP COLUMN created_at");
        exec("ALTER TABLE " + comments + " RENAME COLUMN c2 TO created_at");
        exec("ALTER TABLE " + comments + " ALTER COLUMN created_at SET NOT NULL");
        exec("ALTER TABLE " + comments + " ALTER COLUMN created_at SET DEFAULT now()");
        assertEquals(List.of(), before2.diff(fp(s2)));
    }

    @Test
    void tandemTriggerFunctions() throws SQLException {
        String s = sample();
        exec("CREATE SCHEMA IF NOT EXISTS tandem");
        exec("CREATE OR REPLACE FUNCTION tandem.tg_x() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$");
        exec("CREATE OR REPLACE FUNCTION tandem.helper() RETURNS integer LANGUAGE sql AS $$ SELECT 1 $$");
        Fingerprint before = fp(s);
        assertTrue(before.lines().stream().anyMatch(l -> l.startsWith("function tandem.tg_x() returns trigger")),
                before.toString());
        assertTrue(before.lines().stream().noneMatch(l -> l.contains("tandem.helper")));

        exec("CREATE OR REPLACE FUNCTION tandem.helper() RETURNS integer LANGUAGE sql AS $$ SELECT 2 $$");
        assertEquals(before, fp(s), "other functions of schema tandem do not count");

        exec("CREATE OR REPLACE FUNCTION tandem.tg_x() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW := NEW; RETURN NEW; END $$");
        List<String> diff = before.diff(fp(s));
        assertEquals(2, diff.size(), String.join("\n", diff));
        assertDiff(diff, l -> l.startsWith("- function tandem.tg_x() ") || l.startsWith("+ function tandem.tg_x() "), "tg_x");
        exec("DROP FUNCTION tandem.tg_x()");
        exec("DROP FUNCTION tandem.helper()");
    }

    @Test
    void grants() throws SQLException {
        String s = sample();
        String role = "fp_reader_" + Long.toHexString(System.nanoTime());
        exec("CREATE ROLE " + Ident.quote(role));
        try {
            Fingerprint before = fp(s);
            exec("GRANT SELECT ON " + q(s, "users") + " TO " + Ident.quote(role));
            List<String> diff = before.diff(fp(s));
            assertEquals(2, diff.size(), String.join("\n", diff));
            String me = currentUser();
            assertTrue(diff.stream().anyMatch(l -> l.startsWith("- table " + s + ".users acl " + me + "=arwdDxt")),
                    String.join("\n", diff));
            assertTrue(diff.stream().anyMatch(l -> l.startsWith("+ table " + s + ".users acl ") && l.contains(role + "=r/" + me)),
                    String.join("\n", diff));

            exec("REVOKE SELECT ON " + q(s, "users") + " FROM " + Ident.quote(role));
            assertEquals(before, fp(s), "an explicit ACL equal to the default is the default");

            exec("GRANT UPDATE (full_name) ON " + q(s, "users") + " TO " + Ident.quote(role));
            List<String> columnDiff = before.diff(fp(s));
            assertEquals(List.of("+ table " + s + ".users column full_name acl " + role + "=w/" + me), columnDiff);
            exec("REVOKE UPDATE (full_name) ON " + q(s, "users") + " FROM " + Ident.quote(role));
            assertEquals(before, fp(s));
        } finally {
            exec("DROP OWNED BY " + Ident.quote(role));
            exec("DROP ROLE " + Ident.quote(role));
        }
    }

    static String currentUser() throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT current_user")) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void viewsSequencesAndComments() throws SQLException {
        String s = sample();
        Fingerprint before = fp(s);
        exec("CREATE VIEW " + q(s, "active_projects") + " AS SELECT id, name FROM " + q(s, "projects")
                + " WHERE status = 'active'");
        exec("CREATE SEQUENCE " + q(s, "invoice_no") + " AS bigint");
        exec("COMMENT ON COLUMN " + q(s, "tasks") + ".title IS 'line one\nline two'");
        List<String> diff = before.diff(fp(s));
        assertTrue(diff.stream().anyMatch(l -> l.startsWith("+ view " + s + ".active_projects definition SELECT ") && l.contains("active")),
                String.join("\n", diff));
        assertTrue(diff.stream().anyMatch(l -> l.startsWith("+ sequence " + s + ".invoice_no parameters as bigint")
                && l.endsWith("owned-by none")), String.join("\n", diff));
        assertTrue(diff.contains("+ table " + s + ".tasks column title comment line one\\nline two"),
                String.join("\n", diff));
        assertTrue(diff.stream().allMatch(l -> l.startsWith("+ ")), String.join("\n", diff));
    }

    @Test
    void hostileNames() throws SQLException {
        String s = sample("we\"ird; schema " + SCHEMAS.incrementAndGet());
        String table = "a\"b;c";
        String column = "Robert'); DROP TABLE users;--";
        String longName = "é".repeat(31) + "x";
        assertEquals(63, longName.getBytes(StandardCharsets.UTF_8).length);
        exec("CREATE TABLE " + q(s, table) + " (" + Ident.quote(column) + " text, " + Ident.quote(longName)
                + " integer REFERENCES " + q(s, "comments") + " (id))");
        exec("INSERT INTO " + q(s, table) + " VALUES ('x', 1), ('it''s', 2), (NULL, NULL)");
        CatalogSnapshot snapshot = CatalogReader.read(c, List.of(s));
        Table t = snapshot.table(new QualifiedName(s, table)).orElseThrow();
        assertEquals(List.of(column, longName), t.columns().stream().map(Column::name).toList());
        assertEquals(1, snapshot.foreignKeysReferencing(new QualifiedName(s, "comments")).stream()
                .filter(e -> e.getKey().name().name().equals(table)).count());

        Fingerprint before = fp(s);
        String shown = Ident.quote(s) + "." + Ident.quote(table);
        assertTrue(before.lines().contains("table " + shown + " column 1 " + Ident.quote(column)
                + " text null default= identity= generated= collation="), before.toString());
        assertTrue(before.lines().stream().anyMatch(l -> l.startsWith("data " + shown + " rows=3 checksum=")));
        assertTrue(before.lines().stream().anyMatch(l -> l.startsWith("data " + Ident.quote(s) + ".users rows=")));

        exec("UPDATE " + q(s, table) + " SET " + Ident.quote(column) + " = 'y' WHERE " + Ident.quote(longName) + " = 1");
        List<String> diff = before.diff(fp(s));
        assertEquals(2, diff.size(), String.join("\n", diff));
        assertTrue(diff.stream().anyMatch(l -> l.startsWith("+ data " + shown + " rows=3")), String.join("\n", diff));
        assertTrue(diff.stream().anyMatch(l -> l.startsWith("- data " + shown + " rows=3")), String.join("\n", diff));
        assertNotEquals(before.hash(), fp(s).hash());
    }
}
