package dev.tandem.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** CatalogReader against the sample schema on a real server (see TestDatabase). */
class CatalogReaderTest {
    static final String HOSTILE_TABLE = "a\"b;c";
    static final String HOSTILE_COLUMN = "Robert'); DROP TABLE users;--";
    /** 21 three-byte characters: exactly NAMEDATALEN - 1 bytes. */
    static final String LONG_NAME = "日本語の名前".repeat(3) + "日本語";

    static TestDatabase db;
    static Connection c;
    static CatalogSnapshot snapshot;

    @BeforeAll
    static void setUp() throws SQLException {
        db = TestDatabase.create("CatalogReaderTest");
        c = db.connect();
        SampleSchema.load(c);
        SampleSchema.seed(c, 200);
        exec("ALTER TABLE tasks ADD CONSTRAINT tasks_title_not_empty CHECK (title <> '') NOT VALID");
        // The seed repeats full names, so this build fails and leaves an INVALID index behind.
        SQLException failed = assertThrows(SQLException.class,
                () -> exec("CREATE UNIQUE INDEX CONCURRENTLY users_full_name_key ON users (full_name)"));
        assertEquals("23505", failed.getSQLState(), failed.getMessage());
        exec("CREATE INDEX users_email_pattern_idx ON users (email text_pattern_ops)");
        exec("CREATE INDEX users_lower_email_idx ON users (lower(email))");
        exec("CREATE INDEX users_full_name_c_idx ON users (full_name COLLATE \"C\" DESC NULLS LAST)");
        exec("CREATE INDEX tasks_due_date_idx ON tasks (due_date NULLS FIRST) INCLUDE (title)"
                + " WHERE status <> 'cancelled'");
        exec("""
                CREATE TABLE labels (
                    name varchar(50) PRIMARY KEY,
                    legacy integer,
                    color text COLLATE "C" NOT NULL DEFAULT 'red',
                    name_upper text GENERATED ALWAYS AS (upper(name)) STORED
                )""");
        exec("ALTER TABLE labels DROP COLUMN legacy");
        exec("CREATE INDEX labels_color_idx ON labels (color COLLATE \"POSIX\" text_pattern_ops DESC, name varchar_pattern_ops)");
        exec("COMMENT ON TABLE labels IS 'Task labels'");
        exec("COMMENT ON COLUMN labels.color IS 'CSS colour, it''s free text'");
        exec("ALTER TABLE users DISABLE TRIGGER users_set_updated_at");
        exec("ALTER TABLE users ENABLE TRIGGER users_set_updated_at");
        exec("CREATE TABLE events (id integer, at date NOT NULL, user_id uuid REFERENCES users (id))"
                + " PARTITION BY RANGE (at)");
        exec("CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')");
        exec("CREATE SCHEMA billing");
        exec("""
                CREATE TABLE billing.invoices (
                    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                    user_id uuid NOT NULL REFERENCES public.users (id) ON DELETE RESTRICT,
                    amount numeric(10, 2) NOT NULL
                )""");
        exec("CREATE TABLE billing.rates (id integer PRIMARY KEY)");
        exec("CREATE SCHEMA tandem");
        exec("CREATE TABLE tandem.audit (user_id uuid REFERENCES public.users (id))");
        exec("CREATE TABLE " + Ident.quote(HOSTILE_TABLE) + " (" + Ident.quote(HOSTILE_COLUMN) + " text, "
                + Ident.quote(LONG_NAME) + " integer NOT NULL DEFAULT 42)");
        exec("CREATE INDEX " + Ident.quote(LONG_NAME.substring(0, 10) + "\"idx") + " ON " + Ident.quote(HOSTILE_TABLE)
                + " (" + Ident.quote(HOSTILE_COLUMN) + ")");
        snapshot = CatalogReader.read(c, List.of("public"));
    }

    @AfterAll
    static void tearDown() throws SQLException {
        if (c != null) {
            c.close();
        }
    }

    static void exec(String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    static Table table(String name) {
        return table("public", name);
    }

    static Table table(String schema, String name) {
        return snapshot.table(new QualifiedName(schema, name))
                .orElseThrow(() -> new AssertionError("no table " + schema + "." + name + " in " + snapshot.tables().keySet()));
    }

    static Index index(Table t, String name) {
        return t.indexes().stream().filter(i -> i.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no index " + name + " on " + t.name()));
    }

    static Constraint constraint(Table t, String name) {
        return t.constraints().stream().filter(k -> k.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no constraint " + name + " on " + t.name()));
    }

    @Test
    void readsTheSampleTablesAndNothingElseOfPublic() {
        for (String name : List.of("users", "user_profiles", "projects", "tasks", "project_members",
                "comments", "comment_reactions", "labels", "events", HOSTILE_TABLE)) {
            assertEquals("public", table(name).name().schema());
        }
        assertFalse(snapshot.tables().containsKey(new QualifiedName("public", "events_2024")),
                "partitions are not read");
        assertEquals("p", table("events").kind());
        assertEquals("r", table("users").kind());
        assertTrue(snapshot.serverVersionNum() >= 130000, "server_version_num " + snapshot.serverVersionNum());
    }

    @Test
    void columns() {
        Table users = table("users");
        assertEquals(List.of("id", "email", "full_name", "password_hash", "created_at", "updated_at"),
                users.columns().stream().map(Column::name).toList());
        Column fullName = users.column("full_name").orElseThrow();
        assertEquals(3, fullName.position());
        assertEquals("text", fullName.type());
        assertTrue(fullName.notNull());
        assertEquals(Optional.empty(), fullName.defaultExpr());
        assertEquals("", fullName.identity());
        assertEquals(Optional.empty(), fullName.collation());
        assertEquals(Optional.of("gen_random_uuid()"), users.column("id").orElseThrow().defaultExpr());
        assertEquals("timestamp with time zone", users.column("created_at").orElseThrow().type());
        assertEquals(Optional.of("now()"), users.column("created_at").orElseThrow().defaultExpr());

        Table tasks = table("tasks");
        Column status = tasks.column("status").orElseThrow();
        assertEquals("public.task_status", status.type(), "types outside pg_catalog are qualified");
        assertEquals(Optional.of("'pending'::public.task_status"), status.defaultExpr());
        assertEquals(Optional.of("1"), tasks.column("priority").orElseThrow().defaultExpr());
        assertFalse(tasks.column("due_date").orElseThrow().notNull());

        Column id = table("comments").column("id").orElseThrow();
        assertEquals("d", id.identity());
        assertEquals("integer", id.type());
        assertEquals("a", table("billing", "invoices").column("id").orElseThrow().identity());
    }

    @Test
    void positionIsRankAmongLiveColumnsAndOtherDetails() {
        Table labels = table("labels");
        assertEquals(List.of("name", "color", "name_upper"), labels.columns().stream().map(Column::name).toList());
        assertEquals(List.of(1, 2, 3), labels.columns().stream().map(Column::position).toList());
        Column name = labels.column("name").orElseThrow();
        assertEquals("character varying(50)", name.type());
        Column color = labels.column("color").orElseThrow();
        assertEquals(Optional.of("C"), color.collation());
        assertEquals(Optional.of("'red'::text"), color.defaultExpr());
        assertEquals(Optional.of("CSS colour, it's free text"), color.comment());
        Column upper = labels.column("name_upper").orElseThrow();
        assertEquals("s", upper.generated());
        assertTrue(upper.defaultExpr().orElseThrow().contains("upper"), upper.toString());
        assertEquals(Optional.of("Task labels"), labels.comment());
        assertEquals(Optional.empty(), table("users").comment());
        assertEquals(List.of(""), index(labels, "labels_pkey").keyOptions(),
                "text_ops on a varchar column is the default operator class");
    }

    @Test
    void constraints() {
        Table tasks = table("tasks");
        Constraint fk = constraint(tasks, "tasks_assigned_to_fkey");
        assertTrue(fk.isForeignKey());
        assertEquals(List.of("assigned_to"), fk.columns());
        assertEquals("public.users", fk.referencedTable());
        assertEquals(List.of("id"), fk.referencedColumns());
        assertTrue(fk.definition().contains("ON DELETE SET NULL"), fk.definition());
        assertTrue(fk.validated());

        Constraint check = constraint(tasks, "tasks_priority_check");
        assertTrue(check.isCheck());
        assertEquals(List.of("priority"), check.columns());
        assertTrue(check.definition().startsWith("CHECK"), check.definition());
        assertTrue(check.definition().contains("priority >= 1") && check.definition().contains("priority <= 5"),
                check.definition());
        assertEquals("", check.referencedTable());

        Constraint notValid = constraint(tasks, "tasks_title_not_empty");
        assertFalse(notValid.validated());
        assertEquals(List.of("title"), notValid.columns());

        Constraint pk = table("project_members").primaryKey().orElseThrow();
        assertEquals(List.of("project_id", "user_id"), pk.columns());
        assertEquals("PRIMARY KEY (project_id, user_id)", pk.definition());
        assertEquals(List.of("email"), constraint(table("users"), "users_email_key").columns());
        assertTrue(constraint(table("users"), "users_email_key").isUnique());
    }

    @Test
    void indexes() {
        Table tasks = table("tasks");
        assertEquals(List.of("tasks_assigned_to_idx", "tasks_created_at_idx", "tasks_due_date_idx", "tasks_pkey",
                        "tasks_project_id_idx", "tasks_status_idx"),
                tasks.indexes().stream().map(Index::name).toList());
        Index createdAt = index(tasks, "tasks_created_at_idx");
        assertEquals(List.of("created_at"), createdAt.keys());
        assertEquals(List.of("DESC"), createdAt.keyOptions());
        assertEquals("btree", createdAt.method());
        assertFalse(createdAt.unique());
        assertTrue(createdAt.valid());
        assertTrue(createdAt.definition().contains("(created_at DESC)"), createdAt.definition());
        assertEquals(Optional.empty(), createdAt.constraint());
        assertEquals(List.of(""), index(tasks, "tasks_status_idx").keyOptions());

        Index due = index(tasks, "tasks_due_date_idx");
        assertEquals(List.of("due_date"), due.keys());
        assertEquals(List.of("NULLS FIRST"), due.keyOptions());
        assertEquals(List.of("title"), due.include());
        assertTrue(due.predicate().orElseThrow().contains("cancelled"), due.predicate().toString());
        assertTrue(due.covers("title"));

        Index pkey = index(tasks, "tasks_pkey");
        assertTrue(pkey.primary());
        assertTrue(pkey.unique());
        assertEquals(Optional.of("tasks_pkey"), pkey.constraint());

        Table users = table("users");
        assertEquals(List.of("text_pattern_ops"), index(users, "users_email_pattern_idx").keyOptions());
        assertEquals(List.of("COLLATE \"C\" DESC NULLS LAST"), index(users, "users_full_name_c_idx").keyOptions());
        Index lower = index(users, "users_lower_email_idx");
        assertEquals(Arrays.asList((String) null), lower.keys());
        assertTrue(lower.hasExpressions());
        assertEquals(Optional.of("users_email_key"), index(users, "users_email_key").constraint());
    }

    /**
     * The derived key options agree with PostgreSQL's own rendering: for every index read, each
     * key's text ({@code pg_get_indexdef(oid, k + 1, true)}) followed by its options, joined, is the
     * key list of the index definition.
     */
    @Test
    void keyOptionsAgreeWithPgGetIndexdef() throws SQLException {
        assertEquals(List.of("COLLATE \"POSIX\" text_pattern_ops DESC", "varchar_pattern_ops"),
                index(table("labels"), "labels_color_idx").keyOptions());
        int checked = 0;
        for (Table t : snapshot.allTables()) {
            for (Index idx : t.indexes()) {
                List<String> keys = new java.util.ArrayList<>();
                try (java.sql.PreparedStatement ps = c.prepareStatement(
                        "SELECT pg_get_indexdef(?::regclass, k, true) FROM generate_series(1, ?) AS k ORDER BY k")) {
                    ps.setString(1, new QualifiedName(t.name().schema(), idx.name()).sql());
                    ps.setInt(2, idx.keys().size());
                    try (ResultSet rs = ps.executeQuery()) {
                        for (int k = 0; rs.next(); k++) {
                            String options = idx.keyOptions().get(k);
                            keys.add(rs.getString(1) + (options.isEmpty() ? "" : " " + options));
                        }
                    }
                }
                String expected = "(" + String.join(", ", keys) + ")";
                assertTrue(idx.definition().contains(" USING " + idx.method() + " " + expected),
                        idx.definition() + " vs " + expected);
                checked++;
            }
        }
        assertTrue(checked > 20, "checked " + checked);
    }

    @Test
    void invalidIndexFromAFailedConcurrentBuild() {
        Index failed = index(table("users"), "users_full_name_key");
        assertFalse(failed.valid());
        assertTrue(failed.unique());
        assertEquals(List.of("full_name"), failed.keys());
    }

    @Test
    void triggers() {
        for (String t : List.of("users", "user_profiles", "projects", "tasks")) {
            Table table = table(t);
            assertEquals(1, table.triggers().size(), t);
            Trigger trigger = table.triggers().get(0);
            assertEquals(t + "_set_updated_at", trigger.name());
            assertEquals("public.set_updated_at", trigger.function());
            assertEquals("O", trigger.enabled());
            assertTrue(trigger.definition().contains("BEFORE UPDATE ON public." + t), trigger.definition());
        }
        assertEquals(List.of(), table("project_members").triggers(), "no updated_at, no trigger");
        assertEquals(List.of(), table("comments").triggers(), "FK triggers are internal");
    }

    @Test
    void foreignKeysReferencing() {
        List<Map.Entry<Table, Constraint>> refs = snapshot.foreignKeysReferencing(new QualifiedName("public", "comments"));
        assertEquals(1, refs.size(), refs.toString());
        assertEquals(new QualifiedName("public", "comment_reactions"), refs.get(0).getKey().name());
        assertEquals("comment_reactions_comment_id_fkey", refs.get(0).getValue().name());
        assertEquals(List.of("comment_id"), refs.get(0).getValue().columns());

        List<String> referencingUsers = snapshot.foreignKeysReferencing(new QualifiedName("public", "users")).stream()
                .map(e -> e.getKey().name() + "." + e.getValue().name()).sorted().toList();
        assertEquals(List.of(
                "billing.invoices.invoices_user_id_fkey",
                "public.comment_reactions.comment_reactions_user_id_fkey",
                "public.comments.comments_author_id_fkey",
                "public.events.events_user_id_fkey",
                "public.project_members.project_members_user_id_fkey",
                "public.projects.projects_owner_id_fkey",
                "public.tasks.tasks_assigned_to_fkey",
                "public.user_profiles.user_profiles_user_id_fkey"), referencingUsers);
    }

    @Test
    void otherSchemasOnlyWhenTheyReference() {
        Table invoices = table("billing", "invoices");
        assertTrue(invoices.constraints().stream().anyMatch(k -> k.isForeignKey()
                && k.referencedTable().equals("public.users") && k.definition().contains("ON DELETE RESTRICT")));
        assertTrue(invoices.column("amount").isPresent());
        assertEquals(1, invoices.indexes().size());
        assertFalse(snapshot.tables().containsKey(new QualifiedName("billing", "rates")));
        assertFalse(snapshot.tables().containsKey(new QualifiedName("tandem", "audit")),
                "Tandem's schema is left out unless asked for");

        CatalogSnapshot withTandem = CatalogReader.read(c, List.of("public", "tandem"));
        assertTrue(withTandem.tables().containsKey(new QualifiedName("tandem", "audit")));

        CatalogSnapshot billingOnly = CatalogReader.read(c, List.of("billing"));
        assertEquals(List.of(new QualifiedName("billing", "invoices"), new QualifiedName("billing", "rates")),
                List.copyOf(billingOnly.tables().keySet()));
        assertEquals(0, CatalogReader.read(c, List.of("no_such_schema")).tables().size());
    }

    @Test
    void hostileNamesAreRawNames() {
        assertEquals(63, LONG_NAME.getBytes(StandardCharsets.UTF_8).length);
        Table hostile = table(HOSTILE_TABLE);
        assertEquals(List.of(HOSTILE_COLUMN, LONG_NAME), hostile.columns().stream().map(Column::name).toList());
        assertEquals(Optional.of("42"), hostile.column(LONG_NAME).orElseThrow().defaultExpr());
        Index idx = hostile.indexes().get(0);
        assertEquals(LONG_NAME.substring(0, 10) + "\"idx", idx.name());
        assertEquals(List.of(HOSTILE_COLUMN), idx.keys());
        assertEquals(List.of(""), idx.keyOptions());
    }

    @Test
    void privilegesAndRowEstimate() throws SQLException {
        assertEquals("", table("users").acl(), "default privileges read as \"\"");
        assertEquals(200, table("users").rowEstimate());
        assertEquals(1000, table("tasks").rowEstimate());
        exec("GRANT SELECT ON billing.rates TO PUBLIC");
        try {
            Table rates = CatalogReader.read(c, List.of("billing")).table(new QualifiedName("billing", "rates"))
                    .orElseThrow();
            assertTrue(rates.acl().contains("=r/"), rates.acl());
        } finally {
            exec("REVOKE SELECT ON billing.rates FROM PUBLIC");
        }
    }

    @Test
    void leavesTheSessionAsItWas() throws SQLException {
        exec("SET search_path = billing, public");
        try {
            CatalogSnapshot again = CatalogReader.read(c, List.of("public"));
            assertEquals(snapshot, again, "independent of the session's search_path");
            assertTrue(c.getAutoCommit());
            assertEquals("billing, public", setting("search_path"));

            c.setAutoCommit(false);
            exec("CREATE TABLE public.inside_tx (id integer)");
            CatalogSnapshot inTx = CatalogReader.read(c, List.of("public"));
            assertTrue(inTx.tables().containsKey(new QualifiedName("public", "inside_tx")),
                    "reads inside the caller's transaction");
            assertEquals("billing, public", setting("search_path"));
            c.rollback();
        } finally {
            c.setAutoCommit(true);
            exec("RESET search_path");
        }
    }

    static String setting(String name) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT current_setting('" + name + "')")) {
            rs.next();
            return rs.getString(1);
        }
    }
}
