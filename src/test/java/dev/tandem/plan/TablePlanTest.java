package dev.tandem.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.TandemException;
import dev.tandem.catalog.CatalogSnapshot;
import dev.tandem.catalog.Column;
import dev.tandem.catalog.Constraint;
import dev.tandem.catalog.Index;
import dev.tandem.catalog.Table;
import dev.tandem.intent.ChangelogReader;
import dev.tandem.intent.Migration;
import dev.tandem.sql.Names;
import dev.tandem.sql.QualifiedName;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Plans of create_table, drop_table, rename_table and sql on hand-built catalogs: pure, no database. */
class TablePlanTest {
    @TempDir
    Path dir;

    private final Planner planner = new Planner(PlanOptions.defaults());

    private static QualifiedName q(String name) {
        return new QualifiedName("public", name);
    }

    private static Column col(String name, int pos, String type, boolean notNull) {
        return new Column(name, pos, type, notNull, Optional.empty(), "", "", Optional.empty(), Optional.empty());
    }

    private static Constraint pk(String table, String column) {
        return new Constraint(table + "_pkey", "p", "PRIMARY KEY (" + column + ")", true, List.of(column), "", List.of());
    }

    private static Constraint fk(String name, String column, String target) {
        return new Constraint(name, "f", "FOREIGN KEY (" + column + ") REFERENCES " + target + "(id)", true, List.of(column),
                "public." + target, List.of("id"));
    }

    private static Table table(String name, List<Column> columns, List<Constraint> constraints, List<Index> indexes) {
        return new Table(q(name), "r", columns, constraints, indexes, List.of(), "", 100, Optional.empty());
    }

    /** users(id, email unique), projects(id, owner_id → users), tasks(id, project_id → projects), an index tasks_title_idx. */
    static CatalogSnapshot catalog() {
        Table users = table("users", List.of(col("id", 1, "uuid", true), col("email", 2, "text", true)),
                List.of(pk("users", "id"), new Constraint("users_email_key", "u", "UNIQUE (email)", true, List.of("email"), "", List.of())),
                List.of());
        Table projects = table("projects", List.of(col("id", 1, "uuid", true), col("owner_id", 2, "uuid", true)),
                List.of(pk("projects", "id"), fk("projects_owner_id_fkey", "owner_id", "users")), List.of());
        Table tasks = table("tasks", List.of(col("id", 1, "uuid", true), col("project_id", 2, "uuid", true), col("title", 3, "text", true)),
                List.of(pk("tasks", "id"), fk("tasks_project_id_fkey", "project_id", "projects")),
                List.of(new Index("tasks_title_idx", "CREATE INDEX tasks_title_idx ON public.tasks USING btree (title)", "btree",
                        false, false, true, List.of("title"), List.of(""), List.of(), Optional.empty(), Optional.empty())));
        return new CatalogSnapshot(170000, Map.of(users.name(), users, projects.name(), projects, tasks.name(), tasks));
    }

    private Migration migration(String id, String yaml) throws IOException {
        Path p = dir.resolve(id + ".yaml");
        Files.writeString(p, yaml);
        return ChangelogReader.readFile(p);
    }

    private MigrationPlan plan(String yaml) throws IOException {
        return planner.plan(migration("0001_t", yaml), Optional.of(catalog()));
    }

    private MigrationPlan offline(String yaml) throws IOException {
        return planner.plan(migration("0001_t", yaml), Optional.empty());
    }

    private void refused(String yaml, String... parts) throws IOException {
        Migration m = migration("0001_t", yaml);
        TandemException e = assertThrows(TandemException.class, () -> planner.plan(m, Optional.of(catalog())));
        assertEquals(TandemException.BAD_INPUT, e.exitCode());
        assertTrue(e.getMessage().startsWith(dir.resolve("0001_t.yaml") + ":"), e.getMessage());
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), () -> "expected '" + part + "' in: " + e.getMessage());
        }
    }

    private static List<Integer> stepsPerPhase(MigrationPlan p) {
        return p.phases().stream().map(ph -> ph.steps().size()).toList();
    }

    /** Every step is undone by something (or is the sql intent's declared irreversible step). */
    private static void everyStepHasAnUndo(MigrationPlan p) {
        for (PhasePlan ph : p.phases()) {
            for (Step s : ph.steps()) {
                assertTrue(!s.rollbackStatements().isEmpty() || s.irreversible(), ph.phase() + ": " + s.description());
            }
        }
    }

    /** Every quoted identifier in the plan's SQL fits in 63 bytes (string literals are skipped; the names tested have no '). */
    private static void namesAreBounded(MigrationPlan p) {
        Pattern quoted = Pattern.compile("\"((?:[^\"]|\"\")*)\"");
        List<String> sql = new ArrayList<>();
        p.phases().forEach(ph -> ph.steps().forEach(s -> {
            sql.add(s.sql());
            sql.addAll(s.rollbackStatements());
        }));
        p.purge().forEach(s -> sql.add(s.sql()));
        for (String s : sql) {
            Matcher m = quoted.matcher(s.replaceAll("'(?:[^']|'')*'", "''"));
            while (m.find()) {
                String name = m.group(1).replace("\"\"", "\"");
                assertTrue(name.getBytes(StandardCharsets.UTF_8).length <= Names.MAX_BYTES, name);
            }
        }
    }

    // ------------------------------------------------------------------------------ create_table

    @Test
    void createTableIsOneExpandStepWithAGuardedUndo() throws IOException {
        MigrationPlan p = plan("""
                changes:
                  - create_table:
                      table: comments
                      columns:
                        - {name: id, type: integer, identity: true, primary_key: true}
                        - {name: task_id, type: uuid, nullable: false, references: {table: tasks, column: id, on_delete: cascade}}
                        - {name: body, type: text, nullable: false, check: "length(body) > 0"}
                      constraints:
                        - {type: unique, name: comments_task_body_key, columns: [task_id, body]}
                """);
        assertEquals(List.of(1, 0, 0, 0, 0), stepsPerPhase(p));
        Step s = p.phase(Phase.EXPAND).steps().get(0);
        assertEquals(LockLevel.SHARE_ROW_EXCLUSIVE, s.lock(), "the foreign key locks tasks");
        assertEquals("public.tasks", s.table());
        assertFalse(s.scan() || s.rewrite());
        assertTrue(s.transactional());
        assertEquals("""
                CREATE TABLE "public"."comments" (
                    "id" integer NOT NULL GENERATED BY DEFAULT AS IDENTITY,
                    "task_id" uuid NOT NULL,
                    "body" text NOT NULL,
                    CONSTRAINT "comments_pkey" PRIMARY KEY ("id"),
                    CONSTRAINT "comments_task_id_fkey" FOREIGN KEY ("task_id") REFERENCES "public"."tasks" ("id") ON DELETE CASCADE,
                    CONSTRAINT "comments_body_check" CHECK (length(body) > 0),
                    CONSTRAINT "comments_task_body_key" UNIQUE ("task_id", "body")
                )""", s.sql());
        String undo = s.rollback();
        assertTrue(undo.startsWith("DO $tandem$"), undo);
        assertTrue(undo.indexOf("LOCK TABLE \"public\".\"comments\" IN ACCESS EXCLUSIVE MODE")
                < undo.indexOf("IF EXISTS (SELECT FROM \"public\".\"comments\")"), "locks before it looks: " + undo);
        assertTrue(undo.contains("RAISE EXCEPTION") && undo.contains("table public.comments"), undo);
        assertTrue(undo.indexOf("RAISE EXCEPTION") < undo.indexOf("DROP TABLE \"public\".\"comments\""), undo);
        everyStepHasAnUndo(p);
        assertTrue(p.touches().contains("public.comments.*"));
    }

    @Test
    void createTableWithoutForeignKeysLocksNothing() throws IOException {
        MigrationPlan p = plan("""
                changes:
                  - create_table: {table: tags, columns: [{name: name, type: text, primary_key: true}]}
                """);
        Step s = p.phase(Phase.EXPAND).steps().get(0);
        assertEquals(LockLevel.NONE, s.lock());
        assertEquals(null, s.table());
    }

    @Test
    void createTableRefusals() throws IOException {
        refused("""
                changes:
                  - create_table: {table: tasks, columns: [{name: id, type: int}]}
                """, ":2:5: create_table: table public.tasks already exists");
        refused("""
                changes:
                  - create_table: {table: tasks_title_idx, columns: [{name: id, type: int}]}
                """, "an index named public.tasks_title_idx already exists");
        refused("""
                changes:
                  - create_table:
                      table: notes
                      columns:
                        - {name: id, type: int}
                        - {name: t, type: uuid, references: {table: nope}}
                """, ":6:11: create_table: foreign key notes_t_fkey: unknown referenced table public.nope");
        refused("""
                changes:
                  - create_table:
                      table: notes
                      columns: [{name: t, type: uuid, references: {table: tasks, column: nope}}]
                """, "unknown column nope on referenced table public.tasks");
        refused("""
                changes:
                  - create_table:
                      table: notes
                      columns: [{name: t, type: text, references: {table: tasks, column: title}}]
                """, "public.tasks (title) is not a primary key or unique constraint");
        refused("""
                changes:
                  - create_table:
                      table: notes
                      columns: [{name: id, type: int}, {name: parent, type: int}]
                      constraints: [{type: foreign_key, columns: [parent], references: {table: notes}}]
                """, "public.notes has no primary key");
    }

    @Test
    void createTableAcceptsSelfReferencesAndUniqueTargets() throws IOException {
        MigrationPlan p = plan("""
                changes:
                  - create_table:
                      table: notes
                      columns:
                        - {name: id, type: bigint, identity: always, primary_key: true}
                        - {name: parent_id, type: bigint, references: {table: notes}}
                        - {name: email, type: text, references: {table: users, column: email, on_update: cascade}}
                """);
        String sql = p.phase(Phase.EXPAND).steps().get(0).sql();
        assertTrue(sql.contains("GENERATED ALWAYS AS IDENTITY"), sql);
        assertTrue(sql.contains("FOREIGN KEY (\"parent_id\") REFERENCES \"public\".\"notes\","), sql);
        assertTrue(sql.contains("REFERENCES \"public\".\"users\" (\"email\") ON UPDATE CASCADE"), sql);
        assertEquals("public.users", p.phase(Phase.EXPAND).steps().get(0).table(), "only other tables are locked");
    }

    @Test
    void hostileAndLongNamesAreQuotedAndBounded() throws IOException {
        String table = "t\"; DROP TABLE users; --" + "x".repeat(30);
        String column = "c\"ol " + "é".repeat(25);
        MigrationPlan p = offline("""
                changes:
                  - create_table:
                      table: '%s'
                      columns:
                        - {name: '%s', type: int, primary_key: true, unique: true, check: "true"}
                  - rename_table: {table: '%s', to: '%s'}
                  - drop_table: {table: '%s'}
                """.formatted(table, column, table, table + "_new", table));
        String sql = p.phase(Phase.EXPAND).steps().get(0).sql();
        assertTrue(sql.startsWith("CREATE TABLE \"public\".\"t\"\"; DROP TABLE users; --"), sql);
        assertTrue(sql.contains("\"c\"\"ol "), sql);
        namesAreBounded(p);
        everyStepHasAnUndo(p);
        String retired = p.phase(Phase.CONTRACT).steps().get(1).sql();
        assertTrue(retired.contains("RENAME TO \"tandem_retired_0001_t_t\"\"; DROP"), retired);
    }

    // ------------------------------------------------------------------------------ drop_table

    @Test
    void dropTableRetiresAtContractAndDropsAtPurge() throws IOException {
        MigrationPlan p = plan("""
                changes:
                  - drop_table: {table: tasks}
                """);
        assertEquals(List.of(0, 0, 0, 0, 1), stepsPerPhase(p));
        Step s = p.phase(Phase.CONTRACT).steps().get(0);
        assertEquals("ALTER TABLE \"public\".\"tasks\" RENAME TO \"tandem_retired_0001_t_tasks\"", s.sql());
        assertEquals(List.of("ALTER TABLE \"public\".\"tandem_retired_0001_t_tasks\" RENAME TO \"tasks\""), s.rollbackStatements());
        assertEquals(LockLevel.ACCESS_EXCLUSIVE, s.lock());
        assertEquals(List.of("DROP TABLE \"public\".\"tandem_retired_0001_t_tasks\""), p.purge().stream().map(Step::sql).toList());
        assertFalse(p.phase(Phase.SWITCH_READS).deployNote().isEmpty(), "says to roll out the version without the table");
    }

    @Test
    void dropTableRefusesReferencedAndUnknownTables() throws IOException {
        refused("""
                changes:
                  - drop_table: {table: users}
                """, ":2:5: drop_table: table public.users is referenced by foreign key projects_owner_id_fkey on public.projects",
                "drop_constraint");
        refused("""
                changes:
                  - drop_table: {table: nope}
                """, "unknown table public.nope");
    }

    // ------------------------------------------------------------------------------ rename_table

    @Test
    void offlineRenameTableListsTheViewColumnsWhenTheStepRunsWithoutInternalOnes() throws IOException {
        String sql = offline("""
                changes:
                  - rename_table: {table: projects, to: workspaces}
                """).phase(Phase.EXPAND).steps().get(0).sql();
        assertFalse(sql.contains("SELECT *"), sql);
        assertTrue(sql.contains("string_agg(quote_ident(attname)") && sql.contains("'^tandem_(new|old|retired)_'"), sql);
    }

    @Test
    void renameTableSwapsInAViewAtExpandAndDropsItAtContract() throws IOException {
        MigrationPlan p = plan("""
                changes:
                  - rename_table: {table: projects, to: workspaces}
                """);
        assertEquals(List.of(1, 0, 0, 0, 1), stepsPerPhase(p));
        Step expand = p.phase(Phase.EXPAND).steps().get(0);
        assertEquals(LockLevel.ACCESS_EXCLUSIVE, expand.lock());
        assertTrue(expand.sql().contains("ALTER TABLE \"public\".\"projects\" RENAME TO \"workspaces\";\n"
                + "CREATE VIEW \"public\".\"projects\" AS SELECT \"id\", "), expand.sql());
        assertTrue(expand.sql().contains(" FROM \"public\".\"workspaces\";"), expand.sql());
        assertFalse(expand.sql().contains("SELECT *"), "the view lists its columns: " + expand.sql());
        assertEquals(1, expand.rollbackStatements().size(), "undone in one transaction");
        assertTrue(expand.rollback().contains("DROP VIEW \"public\".\"projects\";\nALTER TABLE \"public\".\"workspaces\" RENAME TO \"projects\";"));
        Step contract = p.phase(Phase.CONTRACT).steps().get(0);
        assertEquals("DROP VIEW \"public\".\"projects\"", contract.sql());
        String view = expand.sql().substring(expand.sql().indexOf("CREATE VIEW"), expand.sql().indexOf("FROM \"public\".\"workspaces\";"));
        assertTrue(contract.rollback().contains(view), "rollback of contract recreates the view of expand: " + contract.rollback());
        assertTrue(p.purge().isEmpty());
        everyStepHasAnUndo(p);
    }

    @Test
    void renameTableRefusesTakenNames() throws IOException {
        refused("""
                changes:
                  - rename_table: {table: projects, to: tasks}
                """, ":2:5: rename_table: table public.tasks already exists");
        refused("""
                changes:
                  - rename_table: {table: projects, to: tasks_title_idx}
                """, "an index named public.tasks_title_idx already exists");
        refused("""
                changes:
                  - rename_table: {table: nope, to: other}
                """, "unknown table public.nope");
    }

    // ------------------------------------------------------------------------------ sql

    @Test
    void sqlIsOneStepInItsPhase() throws IOException {
        MigrationPlan p = plan("""
                changes:
                  - sql: {phase: dual-write, up: "CREATE EXTENSION IF NOT EXISTS pg_trgm", down: "DROP EXTENSION pg_trgm"}
                  - sql: {phase: switch-reads, up: "CREATE INDEX CONCURRENTLY i ON t (a)", down: "DROP INDEX CONCURRENTLY i",
                          lock: SHARE UPDATE EXCLUSIVE, transaction: false}
                  - sql: {phase: contract, up: "DELETE FROM audit", irreversible: true}
                """);
        assertEquals(List.of(0, 1, 0, 1, 1), stepsPerPhase(p));
        Step a = p.phase(Phase.DUAL_WRITE).steps().get(0);
        assertEquals(LockLevel.ACCESS_EXCLUSIVE, a.lock());
        assertEquals(List.of("DROP EXTENSION pg_trgm"), a.rollbackStatements());
        assertFalse(a.irreversible());
        Step b = p.phase(Phase.SWITCH_READS).steps().get(0);
        assertFalse(b.transactional());
        assertEquals(LockLevel.SHARE_UPDATE_EXCLUSIVE, b.lock());
        Step c = p.phase(Phase.CONTRACT).steps().get(0);
        assertTrue(c.irreversible());
        assertTrue(c.rollbackStatements().isEmpty());
        assertTrue(p.warnings().stream().anyMatch(w -> w.contains("irreversible")), p.warnings().toString());
        everyStepHasAnUndo(p);
        // the stored plan keeps the flag: rollback reads it back
        MigrationPlan back = PlanCodec.fromJson(PlanCodec.toJson(p));
        assertEquals(p, back);
        assertTrue(back.phase(Phase.CONTRACT).steps().get(0).irreversible());
    }

    // ------------------------------------------------------------------------------ projections

    @Test
    void laterMigrationsPlanOnTheProjectedCatalog() throws IOException {
        Migration create = migration("0001_create", """
                changes:
                  - create_table:
                      table: notes
                      columns:
                        - {name: id, type: uuid, primary_key: true}
                        - {name: body, type: text}
                        - {name: task_id, type: uuid, references: {table: tasks}}
                """);
        Migration renameColumn = migration("0002_rename_body", """
                changes:
                  - rename_column: {table: notes, column: body, to: text}
                """);
        Migration renameTable = migration("0003_rename_notes", """
                changes:
                  - rename_table: {table: notes, to: memos}
                """);
        Migration raw = migration("0004_raw", """
                changes:
                  - sql: {phase: expand, up: "ALTER TABLE memos ADD COLUMN x int", down: "ALTER TABLE memos DROP COLUMN x"}
                """);
        Migration drop = migration("0005_drop_memos", """
                changes:
                  - drop_table: {table: memos}
                """);
        Migration createAgain = migration("0006_create_notes_again", """
                changes:
                  - create_table: {table: notes, columns: [{name: id, type: int}]}
                """);
        List<MigrationPlan> plans = planner.planAll(List.of(create, renameColumn, renameTable, raw, drop, createAgain),
                Optional.of(catalog()));
        assertEquals(6, plans.size());
        // rename_column found the new table, its type and its primary key
        assertTrue(plans.get(1).phase(Phase.EXPAND).steps().get(0).sql().contains("ADD COLUMN \"text\" text"));
        // drop_table sees the renamed table and no foreign key to it
        assertEquals(1, plans.get(4).phase(Phase.CONTRACT).steps().size());
        // plans after a raw sql step warn that the catalog may differ
        assertFalse(plans.get(3).warnings().stream().anyMatch(w -> w.contains("may differ")));
        assertTrue(plans.get(4).warnings().stream().anyMatch(w -> w.contains("0004_raw") && w.contains("may differ")), plans.get(4).warnings().toString());
        assertTrue(plans.get(5).warnings().stream().anyMatch(w -> w.contains("may differ")));

        CatalogSnapshot after = catalog();
        for (Migration m : List.of(create, renameColumn, renameTable)) {
            after = planner.project(m, after);
        }
        Table memos = after.table(q("memos")).orElseThrow();
        assertEquals(List.of("id", "task_id", "text"), memos.columns().stream().map(Column::name).toList());
        assertEquals(List.of("id"), memos.primaryKey().orElseThrow().columns());
        assertEquals("public.tasks", memos.constraints().stream().filter(Constraint::isForeignKey).findFirst().orElseThrow().referencedTable());
        assertFalse(after.table(q("notes")).isPresent());
        CatalogSnapshot dropped = planner.project(drop, after);
        assertFalse(dropped.table(q("memos")).isPresent());
    }

    @Test
    void renameTableProjectionFollowsForeignKeys() throws IOException {
        CatalogSnapshot after = planner.project(migration("0001_t", """
                changes:
                  - rename_table: {table: projects, to: workspaces}
                """), catalog());
        assertFalse(after.table(q("projects")).isPresent());
        assertNotNull(after.table(q("workspaces")).orElse(null));
        assertEquals("public.workspaces", after.table(q("tasks")).orElseThrow().constraints().stream()
                .filter(Constraint::isForeignKey).findFirst().orElseThrow().referencedTable());
        // so drop_table of the renamed table is refused for the right reason
        Migration drop = migration("0002_drop", """
                changes:
                  - drop_table: {table: workspaces}
                """);
        TandemException e = assertThrows(TandemException.class, () -> planner.plan(drop, Optional.of(after)));
        assertTrue(e.getMessage().contains("tasks_project_id_fkey on public.tasks"), e.getMessage());
    }
}
