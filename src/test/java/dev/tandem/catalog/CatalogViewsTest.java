package dev.tandem.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.sql.QualifiedName;
import dev.tandem.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Views in the catalog snapshot, its JSON form and the fingerprint, on a real server. */
class CatalogViewsTest {
    static TestDatabase db;
    static Connection c;
    static CatalogSnapshot snapshot;
    static final QualifiedName USERS = new QualifiedName("public", "users");

    @BeforeAll
    static void setUp() throws SQLException {
        db = TestDatabase.create("CatalogViewsTest");
        c = db.connect();
        exec("CREATE TABLE users (id integer PRIMARY KEY, full_name text, email text, \"Odd Name\" text)");
        exec("CREATE SCHEMA reports");
        exec("CREATE VIEW simple_v AS SELECT id, full_name AS name, \"Odd Name\" FROM users");
        exec("CREATE VIEW filtered_v AS SELECT id, full_name FROM users WHERE id > 0");
        exec("CREATE VIEW expr_v AS SELECT id, upper(full_name) AS upper_name FROM users");
        exec("CREATE VIEW barrier_v WITH (security_barrier) AS SELECT id, full_name FROM users");
        exec("CREATE VIEW reports.elsewhere_v AS SELECT email FROM public.users");
        exec("CREATE MATERIALIZED VIEW mat_v AS SELECT id, full_name FROM users");
        snapshot = CatalogReader.read(c, List.of("public"));
    }

    @AfterAll
    static void tearDown() throws SQLException {
        c.close();
    }

    static void exec(String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    static View view(String schema, String name) {
        View v = snapshot.views().get(new QualifiedName(schema, name));
        assertTrue(v != null, "view " + schema + "." + name + " in " + snapshot.views().keySet());
        return v;
    }

    @Test
    void aSimpleViewKnowsTheColumnBehindEachOutputColumn() {
        View v = view("public", "simple_v");
        assertTrue(v.simple());
        assertEquals(List.of("id", "name", "Odd Name"), v.columns());
        assertEquals(List.of("id", "full_name", "Odd Name"), v.sources());
        assertEquals(Optional.of(USERS), v.table());
        assertTrue(v.reads(USERS, "full_name"));
        assertFalse(v.reads(USERS, "email"));
        assertFalse(v.materialized());
        assertTrue(v.definition().contains("full_name"), v.definition());
    }

    @Test
    void viewsWithAFilterAnExpressionOrOptionsAreNotSimple() {
        for (String name : List.of("filtered_v", "expr_v", "barrier_v")) {
            View v = view("public", name);
            assertFalse(v.simple(), name);
            assertTrue(v.reads(USERS, "full_name"), name + " reads full_name");
        }
    }

    @Test
    void materializedViewsAndViewsOfOtherSchemasThatReadTheTablesAreRead() {
        View m = view("public", "mat_v");
        assertTrue(m.materialized());
        assertFalse(m.simple());
        assertTrue(m.reads(USERS, "full_name"));
        assertTrue(view("reports", "elsewhere_v").reads(USERS, "email"));
        assertEquals(List.of("barrier_v", "expr_v", "filtered_v", "mat_v", "simple_v"),
                snapshot.viewsReading(USERS, "full_name").stream().map(x -> x.name().name()).toList());
    }

    @Test
    void theJsonFormKeepsTheViews() {
        assertEquals(snapshot, SnapshotCodec.decode(SnapshotCodec.encode(snapshot), "test"));
        String withoutViews = SnapshotCodec.encode(new CatalogSnapshot(snapshot.serverVersionNum(), snapshot.tables()));
        assertEquals(0, SnapshotCodec.decode(withoutViews.replace("\"views\"", "\"ignored\""), "old").views().size());
    }

    @Test
    void theFingerprintSeesAChangedViewDefinition() throws SQLException {
        Fingerprint before = Fingerprint.of(c, List.of("public"), false);
        exec("CREATE OR REPLACE VIEW simple_v AS SELECT id, email AS name, \"Odd Name\" FROM users");
        try {
            assertNotEquals(before, Fingerprint.of(c, List.of("public"), false));
        } finally {
            exec("CREATE OR REPLACE VIEW simple_v AS SELECT id, full_name AS name, \"Odd Name\" FROM users");
        }
        assertEquals(before, Fingerprint.of(c, List.of("public"), false));
    }
}
