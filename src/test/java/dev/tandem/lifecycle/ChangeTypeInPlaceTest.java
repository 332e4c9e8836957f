package dev.tandem.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.catalog.CatalogReader;
import dev.tandem.catalog.CatalogSnapshot;
import dev.tandem.catalog.Fingerprint;
import dev.tandem.intent.ChangelogReader;
import dev.tandem.intent.Migration;
import dev.tandem.plan.MigrationPlan;
import dev.tandem.plan.Phase;
import dev.tandem.plan.PlanOptions;
import dev.tandem.plan.Planner;
import dev.tandem.plan.Step;
import dev.tandem.testing.Cli;
import dev.tandem.testing.Db;
import dev.tandem.testing.LifecycleDriver;
import dev.tandem.testing.PhaseWalk;
import dev.tandem.testing.SampleSchema;
import dev.tandem.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * On a real PostgreSQL: the type changes Tandem plans as metadata-only really leave the table and
 * its indexes untouched (same {@code pg_class.relfilenode} before and after), one it does not
 * (integer → bigint) really rewrites; and the refusals of {@code change_column_type} exit 2 with
 * file:line:column before any DDL.
 */
class ChangeTypeInPlaceTest {
    static TestDatabase db;
    static Connection c;

    @TempDir
    Path tmp;

    @BeforeAll
    static void setUp() throws SQLException {
        db = TestDatabase.create("retype_inplace");
        c = db.connect();
        SampleSchema.load(c);
        SampleSchema.seed(c, 40);
    }

    @AfterAll
    static void tearDown() throws SQLException {
        if (c != null) {
            c.close();
        }
    }

    /** relname → relfilenode of the table and its indexes. */
    private static Map<String, Long> files(String table) throws SQLException {
        Map<String, Long> m = new TreeMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT c.relname, c.relfilenode::bigint FROM pg_class c WHERE c.oid = '" + table + "'::regclass"
                        + " OR c.oid IN (SELECT indexrelid FROM pg_index WHERE indrelid = '" + table + "'::regclass)")) {
            while (rs.next()) {
                m.put(rs.getString(1), rs.getLong(2));
            }
        }
        return m;
    }

    private Migration migration(String id, String yaml) throws IOException {
        Path f = tmp.resolve(id + ".yaml");
        Files.writeString(f, yaml);
        return ChangelogReader.readFile(f);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "varchar(50)|varchar(100)|'abc'",
            "varchar(50)|varchar|'abc'",
            "varchar(50)|text|'abc'",
            "varchar|text|'abc'",
            "text|varchar|'abc'",
            "numeric(10,2)|numeric(12,2)|12.5",
            "numeric(10,2)|numeric|12.5",
            "timestamp(3)|timestamp(6)|now()",
            "timestamptz(0)|timestamptz|now()",
            "varbit(5)|varbit(10)|B'101'",
            "cidr|inet|'10.0.0.0/8'",
            })
    @DisplayName("planned as metadata-only, and PostgreSQL indeed rewrites neither the table nor its index")
    void metadataOnlyReallyIs(String from, String to, String value) throws Exception {
        String table = "m_" + Math.abs((from + to).hashCode());
        Db.exec(c, "CREATE TABLE " + table + " (id bigint PRIMARY KEY, v " + from + ", w text)");
        Db.exec(c, "CREATE INDEX " + table + "_v_idx ON " + table + " (v)");
        Db.exec(c, "INSERT INTO " + table + " SELECT g, " + value + ", 'x' FROM generate_series(1, 50) g");
        Migration m = migration("0001_" + table, "changes:\n  - change_column_type: {table: " + table + ", column: v, type: \"" + to + "\"}\n");
        CatalogSnapshot snap = CatalogReader.read(c, List.of("public"));
        MigrationPlan plan = new Planner(PlanOptions.defaults()).plan(m, Optional.of(snap));
        List<Step> expand = plan.phase(Phase.EXPAND).steps();
        assertEquals(1, expand.size(), "one step: " + expand);
        assertTrue(plan.phases().stream().filter(p -> p.phase() != Phase.EXPAND).allMatch(p -> p.steps().isEmpty()));
        Step step = expand.get(0);
        assertEquals(false, step.rewrite());
        assertEquals(false, step.scan());

        Map<String, Long> before = files(table);
        Db.exec(c, step.sql());
        assertEquals(before, files(table), "relfilenodes of " + table + " and its indexes after " + step.sql());
        for (String undo : step.rollbackStatements()) {
            Db.exec(c, undo);
        }
        Db.exec(c, "DROP TABLE " + table);
    }

    @Test
    @DisplayName("integer -> bigint is not planned in place, and a plain ALTER would indeed rewrite")
    void intToBigintWouldRewrite() throws Exception {
        Db.exec(c, "CREATE TABLE rw (id bigint PRIMARY KEY, v integer)");
        Db.exec(c, "INSERT INTO rw SELECT g, g FROM generate_series(1, 10) g");
        Migration m = migration("0001_rw", "changes:\n  - change_column_type: {table: rw, column: v, type: bigint}\n");
        MigrationPlan plan = new Planner(PlanOptions.defaults()).plan(m, Optional.of(CatalogReader.read(c, List.of("public"))));
        assertTrue(plan.phase(Phase.EXPAND).steps().get(0).sql().contains("ADD COLUMN"), "a new column, not ALTER TYPE");
        Map<String, Long> before = files("rw");
        Db.exec(c, "ALTER TABLE rw ALTER COLUMN v TYPE bigint");
        assertNotEquals(before.get("rw"), files("rw").get("rw"), "int -> bigint rewrites the table");
        Db.exec(c, "DROP TABLE rw");
    }

    @Test
    @DisplayName("varchar widening through every phase: one step, relfilenode unchanged, rollback exact")
    void varcharWideningLifecycle() throws Exception {
        Db.exec(c, "CREATE TABLE labels (id bigint PRIMARY KEY, name varchar(20) COLLATE \"C\" NOT NULL)");
        Db.exec(c, "CREATE UNIQUE INDEX labels_name_key ON labels (name)");
        Db.exec(c, "INSERT INTO labels SELECT g, 'label-' || g FROM generate_series(1, 100) g");
        LifecycleDriver tandem = LifecycleDriver.forMigration(db, tmp, "0001_widen_labels",
                "changes:\n  - change_column_type: {table: labels, column: name, type: varchar(200)}\n");
        Map<String, Long> before = files("labels");
        PhaseWalk.run(tandem, c, List.of("public"), p -> {
            assertEquals("character varying(200)", Db.scalar(c, "SELECT format_type(atttypid, atttypmod) FROM pg_attribute"
                    + " WHERE attrelid = 'labels'::regclass AND attname = 'name'"));
            assertEquals("C", Db.scalar(c, "SELECT collname FROM pg_collation WHERE oid = (SELECT attcollation FROM pg_attribute"
                    + " WHERE attrelid = 'labels'::regclass AND attname = 'name')"), "the collation is kept");
            Db.exec(c, "INSERT INTO labels VALUES (1000, repeat('x', 150))");
            Db.exec(c, "DELETE FROM labels WHERE id = 1000");
        });
        // expand was applied twice with a rollback in between (the rollback narrows: a rewrite); the last
        // apply itself changed nothing on disk, which the parameterized test shows per case
        assertEquals(before.keySet(), files("labels").keySet());
        Db.exec(c, "DROP TABLE labels");
    }

    // ------------------------------------------------------------------ refusals

    private Cli.Result applyFails(String yaml, String... errContains) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("refuse_" + System.nanoTime()));
        Files.writeString(dir.resolve("0001_retype.yaml"), yaml);
        Fingerprint before = Db.publicFingerprint(c);
        Cli.Result r = Cli.run(Cli.withDb(db, "apply", dir.toString()));
        assertEquals(2, r.code(), r.describe());
        for (String s : errContains) {
            assertTrue(r.err().contains(s), () -> "stderr should contain '" + s + "':\n" + r.describe());
        }
        assertEquals(List.of(), before.diff(Db.publicFingerprint(c)), "schema public changed");
        assertTrue(Db.tandemMigrationRows(c) <= 0, "no migration started");
        return r;
    }

    @Test
    @DisplayName("refusals exit 2 at file:line:column and change nothing")
    void refusals() throws Exception {
        String at = "0001_retype.yaml:3:5: change_column_type: ";
        applyFails("description: x\nchanges:\n  - change_column_type: {table: nope, column: id, type: bigint}\n", at, "unknown table public.nope");
        applyFails("description: x\nchanges:\n  - change_column_type: {table: tasks, column: nope, type: bigint}\n", at, "unknown column nope");
        applyFails("description: x\nchanges:\n  - change_column_type: {table: tasks, column: priority, type: integer}\n", at, "already has type integer");
        // no cast from uuid to integer: found at apply, before any DDL
        applyFails("description: x\nchanges:\n  - change_column_type: {table: tasks, column: project_id, type: integer}\n", at, "up: ",
                "cannot cast type uuid to integer");
        applyFails("description: x\nchanges:\n  - change_column_type: {table: tasks, column: priority, type: bigint, down: \"priority::uuid\"}\n",
                at, "down: ", "cannot cast type bigint to uuid");
        applyFails("description: x\nchanges:\n  - change_column_type: {table: tasks, column: priority, type: no_such_type}\n",
                at, "type \"no_such_type\" does not exist");

        Db.exec(c, "CREATE TABLE gen (id bigint PRIMARY KEY, a integer, b integer GENERATED ALWAYS AS (a * 2) STORED)");
        applyFails("description: x\nchanges:\n  - change_column_type: {table: gen, column: b, type: bigint}\n", at, "generated column");
        applyFails("description: x\nchanges:\n  - change_column_type: {table: gen, column: a, type: bigint}\n", at, "used by the generated column b");
        Db.exec(c, "DROP TABLE gen");

        // a simple view is carried (ViewCarryLifecycleTest); one with a WHERE is not
        Db.exec(c, "CREATE VIEW task_priorities AS SELECT id, priority FROM tasks WHERE priority > 3");
        applyFails("description: x\nchanges:\n  - change_column_type: {table: tasks, column: priority, type: bigint}\n", at,
                "view public.task_priorities reads public.tasks.priority");
        Db.exec(c, "DROP VIEW task_priorities");

        Db.exec(c, "CREATE EXTENSION IF NOT EXISTS btree_gist");
        Db.exec(c, "CREATE TABLE booking (id bigint PRIMARY KEY, room integer, during tstzrange,"
                + " EXCLUDE USING gist (room WITH =, during WITH &&))");
        applyFails("description: x\nchanges:\n  - change_column_type: {table: booking, column: room, type: bigint}\n", at, "exclusion constraint");
        Db.exec(c, "DROP TABLE booking");
        Db.exec(c, "DROP EXTENSION btree_gist");
    }
}
