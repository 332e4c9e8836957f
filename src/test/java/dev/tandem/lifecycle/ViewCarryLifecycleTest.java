package dev.tandem.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.TandemException;
import dev.tandem.catalog.CatalogReader;
import dev.tandem.catalog.CatalogSnapshot;
import dev.tandem.catalog.Fingerprint;
import dev.tandem.catalog.View;
import dev.tandem.plan.Phase;
import dev.tandem.sql.Names;
import dev.tandem.sql.QualifiedName;
import dev.tandem.testing.Db;
import dev.tandem.testing.LifecycleDriver;
import dev.tandem.testing.PhaseWalk;
import dev.tandem.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #11.2: simple views carried through {@code change_column_type} (in place and by swap),
 * {@code split_column} and {@code merge_columns}, and chains of views through a rename — walked
 * phase by phase ({@link PhaseWalk}: every rollback leaves the fingerprint, with view definitions,
 * owners, grants and comments, as before); a view over a carried view that a retype would have to
 * drop, a {@code drop_table} under a view, refused naming them with nothing changed;
 * {@code rename_table} under a view; Tandem's own compatibility view marked as such in the catalog.
 */
class ViewCarryLifecycleTest {
    static final QualifiedName ITEMS = new QualifiedName("public", "items");
    static final String READER = "tandem_test_view_reader";

    @TempDir
    Path dir;

    static void seed(TestDatabase db, Connection c) throws SQLException {
        db.admin("DO $$ BEGIN CREATE ROLE " + READER + "; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$");
        Db.exec(c, "CREATE TABLE items (id bigint PRIMARY KEY, qty integer NOT NULL, label varchar(20), first text, last text)");
        Db.exec(c, "INSERT INTO items SELECT g, g % 97, 'label ' || g, 'f' || g, 'l' || g FROM generate_series(1, 800) g");
    }

    /** A simple view over items with a comment, a column comment and a grant: what a rebuild must carry. */
    static void view(Connection c, String name, String select) throws SQLException {
        Db.exec(c, "CREATE VIEW " + name + " AS " + select);
        Db.exec(c, "COMMENT ON VIEW " + name + " IS 'for the reports'");
        Db.exec(c, "GRANT SELECT ON " + name + " TO " + READER);
    }

    static String type(Connection c, String relation, String column) throws SQLException {
        return (String) Db.scalar(c, "SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = '" + relation
                + "'::regclass AND attname = '" + column + "'");
    }

    static void carried(Connection c, String view) throws SQLException {
        assertEquals(Boolean.TRUE, Db.scalar(c, "SELECT has_table_privilege('" + READER + "', '" + view + "', 'SELECT')"), "grant kept on " + view);
        assertEquals("for the reports", Db.scalar(c, "SELECT obj_description('" + view + "'::regclass, 'pg_class')"), "comment kept on " + view);
    }

    @Test
    @DisplayName("change_column_type (swap) carries a simple view: old type until switch-reads, new type from it, every rollback exact")
    void retypeCarriesASimpleView() throws SQLException {
        TestDatabase db = TestDatabase.create("vc_retype");
        try (Connection c = db.connect()) {
            seed(db, c);
            view(c, "item_qty", "SELECT id, qty AS amount, label FROM items");
            Db.exec(c, "COMMENT ON COLUMN item_qty.amount IS 'how many'");
            String id = "0001_qty_bigint";
            LifecycleDriver tandem = LifecycleDriver.forMigration(db, dir, id, """
                    changes:
                      - change_column_type: {table: items, column: qty, type: bigint}
                    """);
            String shadow = Names.bounded("tandem_new", id, "qty");
            PhaseWalk.run(tandem, c, List.of("public"), new PhaseWalk.Checks() {
                @Override
                public Map<QualifiedName, Set<String>> excludedData(Phase p) {
                    return p == Phase.BACKFILL ? Map.of(ITEMS, Set.of(shadow)) : Map.of();
                }

                @Override
                public void afterPhase(Phase p) throws SQLException {
                    String expected = p.ordinal() >= Phase.SWITCH_READS.ordinal() ? "bigint" : "integer";
                    assertEquals(expected, type(c, "item_qty", "amount"), "the view's column type after " + p);
                    assertEquals(0L, Db.count(c, "SELECT count(*) FROM item_qty v JOIN items i USING (id) WHERE v.amount IS DISTINCT FROM i.qty"),
                            "the view reads qty after " + p);
                    Db.exec(c, "INSERT INTO items (id, qty) VALUES (100000, 7)");
                    try {
                        assertEquals(1L, Db.count(c, "SELECT count(*) FROM item_qty WHERE id = 100000 AND amount = 7"), "a new row through the view after " + p);
                    } finally {
                        Db.exec(c, "DELETE FROM items WHERE id = 100000");
                    }
                    carried(c, "item_qty");
                    assertEquals("how many", Db.scalar(c, "SELECT col_description('item_qty'::regclass, 2)"), "column comment after " + p);
                }

                @Override
                public void afterPurge() throws SQLException {
                    assertEquals("bigint", type(c, "item_qty", "amount"));
                    assertEquals("bigint", type(c, "items", "qty"));
                    carried(c, "item_qty");
                }
            });
        }
    }

    @Test
    @DisplayName("change_column_type in place (varchar widening) carries a simple view in the same transaction")
    void inPlaceRetypeCarriesASimpleView() throws SQLException {
        TestDatabase db = TestDatabase.create("vc_inplace");
        try (Connection c = db.connect()) {
            seed(db, c);
            view(c, "item_labels", "SELECT id, label FROM items");
            LifecycleDriver tandem = LifecycleDriver.forMigration(db, dir, "0001_label_wider", """
                    changes:
                      - change_column_type: {table: items, column: label, type: varchar(200)}
                    """);
            PhaseWalk.run(tandem, c, List.of("public"), new PhaseWalk.Checks() {
                @Override
                public void afterPhase(Phase p) throws SQLException {
                    assertEquals("character varying(200)", type(c, "item_labels", "label"), "the view follows at expand, after " + p);
                    carried(c, "item_labels");
                }

                @Override
                public void afterPurge() throws SQLException {
                    assertEquals("character varying(200)", type(c, "item_labels", "label"));
                }
            });
        }
    }

    @Test
    @DisplayName("split_column and merge_columns carry a simple view: same output from contract on, computed by down")
    void splitAndMergeCarryASimpleView() throws SQLException {
        TestDatabase db = TestDatabase.create("vc_reshape");
        try (Connection c = db.connect()) {
            seed(db, c);
            view(c, "item_names", "SELECT id, first AS given, last FROM items");
            // a view over the carried view: its output does not change, so it keeps working untouched
            Db.exec(c, "CREATE VIEW item_given AS SELECT id, given FROM item_names");
            String id = "0001_merge_names";
            LifecycleDriver tandem = LifecycleDriver.forMigration(db, dir, id, """
                    changes:
                      - merge_columns:
                          table: items
                          columns: [first, last]
                          into: {name: whole, type: text, up: "concat_ws(' ', first, last)"}
                          down: {first: "split_part(whole, ' ', 1)", last: "split_part(whole, ' ', 2)"}
                    """);
            PhaseWalk.run(tandem, c, List.of("public"), new PhaseWalk.Checks() {
                @Override
                public Map<QualifiedName, Set<String>> excludedData(Phase p) {
                    return p == Phase.BACKFILL ? Map.of(ITEMS, Set.of("whole")) : Map.of();
                }

                @Override
                public void afterPhase(Phase p) throws SQLException {
                    assertEquals(0L, Db.count(c, "SELECT count(*) FROM item_names WHERE given IS DISTINCT FROM 'f' || id OR last IS DISTINCT FROM 'l' || id"),
                            "the view's output after " + p);
                    assertEquals(0L, Db.count(c, "SELECT count(*) FROM item_given WHERE given IS DISTINCT FROM 'f' || id"), "the view over it after " + p);
                    if (p == Phase.CONTRACT) {
                        Db.exec(c, "INSERT INTO items (id, qty, whole) VALUES (100000, 1, 'new writer')");
                        try {
                            assertEquals(1L, Db.count(c, "SELECT count(*) FROM item_names WHERE id = 100000 AND given = 'new' AND last = 'writer'"),
                                    "a row the new application writes after contract, through the view");
                        } finally {
                            Db.exec(c, "DELETE FROM items WHERE id = 100000");
                        }
                    }
                    carried(c, "item_names");
                }

                @Override
                public void afterPurge() throws SQLException {
                    assertEquals(List.of("id", "given", "last"), ViewLifecycleTest.strings(c, "SELECT attname::text FROM pg_attribute"
                            + " WHERE attrelid = 'item_names'::regclass AND attnum > 0 ORDER BY attnum"));
                    assertEquals(0L, Db.count(c, "SELECT count(*) FROM item_names WHERE given IS DISTINCT FROM 'f' || id"));
                    carried(c, "item_names");
                }
            });
        }
    }

    @Test
    @DisplayName("split_column carries a simple view through every phase")
    void splitCarriesASimpleView() throws SQLException {
        TestDatabase db = TestDatabase.create("vc_split");
        try (Connection c = db.connect()) {
            seed(db, c);
            view(c, "item_labels", "SELECT id, label FROM items");
            LifecycleDriver tandem = LifecycleDriver.forMigration(db, dir, "0001_split_label", """
                    changes:
                      - split_column:
                          table: items
                          column: label
                          into:
                            - {name: word, type: text, up: "split_part(label, ' ', 1)"}
                            - {name: num, type: integer, up: "split_part(label, ' ', 2)::integer"}
                          down: "word || ' ' || num"
                    """);
            PhaseWalk.run(tandem, c, List.of("public"), new PhaseWalk.Checks() {
                @Override
                public Map<QualifiedName, Set<String>> excludedData(Phase p) {
                    return p == Phase.BACKFILL ? Map.of(ITEMS, Set.of("word", "num")) : Map.of();
                }

                @Override
                public void afterPhase(Phase p) throws SQLException {
                    assertEquals(0L, Db.count(c, "SELECT count(*) FROM item_labels WHERE label IS DISTINCT FROM 'label ' || id"), "after " + p);
                    assertEquals("character varying(20)", type(c, "item_labels", "label"), "the view's shape after " + p);
                }

                @Override
                public void afterPurge() throws SQLException {
                    assertEquals(0L, Db.count(c, "SELECT count(*) FROM item_labels WHERE label IS DISTINCT FROM 'label ' || id"));
                    carried(c, "item_labels");
                }
            });
        }
    }

    @Test
    @DisplayName("a view over a carried view that a retype would drop; a materialized view over one; drop_table under a view: refused, nothing changed")
    void chainsAndDropTableAreRefusedUpFront() throws Exception {
        TestDatabase db = TestDatabase.create("vc_refuse");
        try (Connection c = db.connect()) {
            seed(db, c);
            view(c, "item_qty", "SELECT id, qty FROM items");
            Db.exec(c, "CREATE VIEW big_items AS SELECT id FROM item_qty WHERE qty > 50");
            Db.exec(c, "CREATE TABLE old_stuff (id int PRIMARY KEY, x text)");
            Db.exec(c, "CREATE MATERIALIZED VIEW stuff_x AS SELECT x FROM old_stuff");
            Fingerprint before = Fingerprint.of(c, List.of("public"), true);
            refused(db, "0001_retype", """
                    changes:
                      - change_column_type: {table: items, column: qty, type: bigint}
                    """, "view public.big_items reads view public.item_qty, which reads public.items.qty");
            refused(db, "0002_drop_table", """
                    changes:
                      - drop_table: {table: old_stuff}
                    """, "materialized view public.stuff_x reads public.old_stuff");
            PhaseWalk.assertNoDiff(before, Fingerprint.of(c, List.of("public"), true), "refused migrations");
        }
    }

    private void refused(TestDatabase db, String id, String yaml, String expected) throws Exception {
        Path d = Files.createDirectories(dir.resolve(id));
        LifecycleDriver tandem = LifecycleDriver.forMigration(db, d, id, yaml);
        TandemException e = assertThrows(TandemException.class, () -> tandem.apply(Phase.EXPAND));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(e.getMessage().contains(id + ".yaml:"), "names the file and line: " + e.getMessage());
        assertEquals(2, e.exitCode(), e.getMessage());
    }

    @Test
    @DisplayName("rename_table under a view: the view follows the table, works in every phase, every rollback exact; the compat view is Tandem's")
    void renameTableUnderAView() throws SQLException {
        TestDatabase db = TestDatabase.create("vc_rename_table");
        try (Connection c = db.connect()) {
            seed(db, c);
            view(c, "item_qty", "SELECT id, qty FROM items");
            LifecycleDriver tandem = LifecycleDriver.forMigration(db, dir, "0001_items_to_goods", """
                    changes:
                      - rename_table: {table: items, to: goods}
                    """);
            PhaseWalk.run(tandem, c, List.of("public"), new PhaseWalk.Checks() {
                @Override
                public void afterPhase(Phase p) throws SQLException {
                    assertEquals(800L, Db.count(c, "SELECT count(*) FROM item_qty"), "the view works after " + p);
                    assertTrue(((String) Db.scalar(c, "SELECT pg_get_viewdef('item_qty'::regclass)")).contains("goods"),
                            "the view follows the table to its new name after " + p);
                    if (p.ordinal() < Phase.CONTRACT.ordinal()) {
                        CatalogSnapshot snap = CatalogReader.read(c, List.of("public"));
                        View compat = snap.views().get(ITEMS);
                        assertTrue(compat != null && compat.tandem(), "the compatibility view is Tandem's own: " + compat);
                        assertTrue(!snap.views().get(new QualifiedName("public", "item_qty")).tandem(), "a user view is not");
                    }
                }

                @Override
                public void afterPurge() throws SQLException {
                    assertEquals(800L, Db.count(c, "SELECT count(*) FROM item_qty"));
                    carried(c, "item_qty");
                }
            });
        }
    }
}
