package dev.tandem.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import dev.tandem.sql.QualifiedName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Plans of the constraint, default and index intents on hand-built catalog snapshots (the planner
 * is pure): phases, lock levels, an undo for every step that changes something, the safety rule
 * (no scan or rewrite under a lock that blocks writes), hostile names quoted, refusals pointing at
 * file:line:column, projections that later migrations plan on.
 */
class ConstraintPlanTest {
    @TempDir
    Path dir;

    private final Planner planner = new Planner(PlanOptions.defaults());

    static Column col(String name, int pos, String type, boolean notNull, String def) {
        return new Column(name, pos, type, notNull, Optional.ofNullable(def), "", "", Optional.empty(), Optional.empty());
    }

    static Index index(String name, String table, String cols, boolean unique, String constraint) {
        return new Index(name, "CREATE " + (unique ? "UNIQUE " : "") + "INDEX " + name + " ON public." + table + " USING btree (" + cols + ")",
                "btree", unique, false, true, List.of(cols.split(", ")), List.of(""), List.of(), Optional.empty(), Optional.ofNullable(constraint));
    }

    static CatalogSnapshot catalog(String tasksName) {
        QualifiedName tasks = new QualifiedName("public", tasksName);
        QualifiedName users = new QualifiedName("public", "users");
        QualifiedName members = new QualifiedName("public", "project_members");
        Table t = new Table(tasks, "r", List.of(
                col("id", 1, "uuid", true, "gen_random_uuid()"),
                col("project_id", 2, "uuid", true, null),
                col("title", 3, "text", true, null),
                col("priority", 4, "integer", true, "1"),
                col("due_date", 5, "date", false, null),
                col("assigned_to", 6, "uuid", false, null),
                col("status", 7, "text", true, "'pending'::text")),
                List.of(new Constraint("tasks_assigned_to_fkey", "f", "FOREIGN KEY (assigned_to) REFERENCES public.users(id) ON DELETE SET NULL",
                                true, List.of("assigned_to"), "public.users", List.of("id")),
                        new Constraint("tasks_pkey", "p", "PRIMARY KEY (id)", true, List.of("id"), "", List.of()),
                        new Constraint("tasks_priority_check", "c", "CHECK (((priority >= 1) AND (priority <= 5)))", true, List.of("priority"), "", List.of())),
                List.of(index("tasks_pkey", tasksName, "id", true, "tasks_pkey"), index("tasks_status_idx", tasksName, "status", false, null)),
                List.of(), "", 5000, Optional.empty());
        Table u = new Table(users, "r", List.of(col("id", 1, "uuid", true, null), col("email", 2, "text", true, null)),
                List.of(new Constraint("users_email_key", "u", "UNIQUE (email)", true, List.of("email"), "", List.of()),
                        new Constraint("users_pkey", "p", "PRIMARY KEY (id)", true, List.of("id"), "", List.of())),
                List.of(index("users_email_key", "users", "email", true, "users_email_key"), index("users_pkey", "users", "id", true, "users_pkey")),
                List.of(), "", 1000, Optional.empty());
        Table m = new Table(members, "r", List.of(col("project_id", 1, "uuid", true, null), col("user_id", 2, "uuid", true, null)),
                List.of(new Constraint("project_members_pkey", "p", "PRIMARY KEY (project_id, user_id)", true, List.of("project_id", "user_id"), "", List.of())),
                List.of(), List.of(), "", 100, Optional.empty());
        Map<QualifiedName, Table> all = new TreeMap<>();
        all.put(tasks, t);
        all.put(users, u);
        all.put(members, m);
        return new CatalogSnapshot(170000, all);
    }

    Migration migration(String id, String changes) throws IOException {
        Path f = dir.resolve(id + ".yaml");
        Files.writeString(f, "description: test\nchanges:\n" + changes);
        return ChangelogReader.readFile(f);
    }

    MigrationPlan plan(String changes) throws IOException {
        return planner.plan(migration("0001_t", changes), Optional.of(catalog("tasks")));
    }

    static final Map<String, Set<Phase>> INTENTS = new TreeMap<>(Map.ofEntries(
            Map.entry("  - set_not_null: {table: tasks, column: due_date, up: \"coalesce(due_date, current_date)\"}\n",
                    EnumSet.of(Phase.DUAL_WRITE, Phase.BACKFILL, Phase.SWITCH_READS, Phase.CONTRACT)),
            Map.entry("  - set_not_null: {table: tasks, column: due_date}\n", EnumSet.of(Phase.SWITCH_READS)),
            Map.entry("  - drop_not_null: {table: tasks, column: title}\n", EnumSet.of(Phase.EXPAND)),
            Map.entry("  - set_default: {table: tasks, column: priority, default: \"3\"}\n", EnumSet.of(Phase.EXPAND)),
            Map.entry("  - drop_default: {table: tasks, column: priority}\n", EnumSet.of(Phase.CONTRACT)),
            Map.entry("  - add_check: {table: tasks, name: tasks_title_len, check: \"length(title) < 100\", up: {title: \"left(title, 99)\"}}\n",
                    EnumSet.of(Phase.DUAL_WRITE, Phase.BACKFILL, Phase.SWITCH_READS, Phase.CONTRACT)),
            Map.entry("  - add_foreign_key: {table: tasks, name: tasks_member_fkey, columns: [project_id, assigned_to],"
                    + " references: {table: project_members, columns: [project_id, user_id]}, on_delete: cascade, up: {assigned_to: \"NULL\"}}\n",
                    EnumSet.of(Phase.DUAL_WRITE, Phase.BACKFILL, Phase.SWITCH_READS, Phase.CONTRACT)),
            Map.entry("  - add_unique: {table: users, name: users_email_id_key, columns: [email, id]}\n", EnumSet.of(Phase.SWITCH_READS)),
            Map.entry("  - drop_constraint: {table: tasks, name: tasks_priority_check}\n", EnumSet.of(Phase.EXPAND)),
            Map.entry("  - drop_constraint: {table: tasks, name: tasks_assigned_to_fkey}\n", EnumSet.of(Phase.CONTRACT)),
            Map.entry("  - drop_constraint: {table: users, name: users_email_key}\n", EnumSet.of(Phase.CONTRACT)),
            Map.entry("  - create_index: {table: tasks, name: tasks_x_idx, columns: [status, \"due_date DESC NULLS LAST\", \"lower(title)\"], include: [priority], where: \"due_date IS NOT NULL\"}\n",
                    EnumSet.of(Phase.EXPAND)),
            Map.entry("  - create_index: {table: tasks, name: tasks_x_idx, columns: [title], unique: true}\n", EnumSet.of(Phase.SWITCH_READS)),
            Map.entry("  - drop_index: {name: tasks_status_idx}\n", EnumSet.of(Phase.CONTRACT))));

    @Test
    void phasesUndoAndSafetyRuleForEveryIntent() throws IOException {
        for (Map.Entry<String, Set<Phase>> e : INTENTS.entrySet()) {
            MigrationPlan p = plan(e.getKey());
            Set<Phase> used = EnumSet.noneOf(Phase.class);
            for (PhasePlan phase : p.phases()) {
                if (!phase.steps().isEmpty()) {
                    used.add(phase.phase());
                }
                for (Step s : phase.steps()) {
                    String where = e.getKey().strip() + " / " + phase.phase() + " / " + s.description();
                    boolean readOnly = s.lock() == LockLevel.ACCESS_SHARE && s.sql().startsWith("DO ") && s.sql().contains("RAISE EXCEPTION");
                    assertTrue(readOnly || !s.rollbackStatements().isEmpty(), "every changing step has an undo: " + where);
                    assertFalse((s.scan() || s.rewrite()) && s.lock().blocksWrites(), "no scan or rewrite under a lock that blocks writes: " + where);
                    assertFalse(s.rewrite(), "nothing here rewrites: " + where);
                    assertEquals(!s.sql().contains("CONCURRENTLY"), s.transactional(), "CONCURRENTLY runs outside a transaction: " + where);
                    if (s.sql().contains("VALIDATE CONSTRAINT") && !s.sql().startsWith("DO ")) {
                        assertEquals(LockLevel.SHARE_UPDATE_EXCLUSIVE, s.lock(), where);
                        assertTrue(s.scan(), where);
                    }
                    if (s.sql().contains("NOT VALID")) {
                        assertFalse(s.scan(), where);
                    }
                }
            }
            assertEquals(e.getValue(), used, "phases of " + e.getKey().strip());
            assertTrue(p.warnings().stream().noneMatch(w -> w.startsWith("offline")), "online plan has no offline warning");
        }
    }

    @Test
    void setNotNullEnforcesThroughAValidatedCheckAfterACount() throws IOException {
        MigrationPlan p = plan("  - set_not_null: {table: tasks, column: due_date, up: \"coalesce(due_date, current_date)\"}\n");
        List<Step> sr = p.phase(Phase.SWITCH_READS).steps();
        assertEquals(5, sr.size());
        assertTrue(sr.get(0).sql().contains("\"due_date\" IS NULL") && sr.get(0).sql().contains("RAISE EXCEPTION"), sr.get(0).sql());
        assertTrue(sr.get(1).sql().endsWith("CHECK (\"due_date\" IS NOT NULL) NOT VALID"), sr.get(1).sql());
        assertEquals(LockLevel.ACCESS_EXCLUSIVE, sr.get(1).lock());
        assertTrue(sr.get(2).sql().contains("VALIDATE CONSTRAINT"));
        assertTrue(sr.get(3).sql().endsWith("SET NOT NULL"));
        assertFalse(sr.get(3).scan(), "SET NOT NULL skips the scan thanks to the validated check");
        assertTrue(sr.get(4).sql().contains("DROP CONSTRAINT"));
        Step backfill = p.phase(Phase.BACKFILL).steps().get(1);
        BackfillSpec spec = backfill.backfill().orElseThrow();
        assertEquals(List.of("id"), spec.keyColumns());
        assertEquals("due_date", spec.assignments().get(0).column());
        assertTrue(spec.assignments().get(0).expression().contains("CASE WHEN \"due_date\" IS NULL THEN (coalesce(due_date, current_date))"));
        assertTrue(backfill.rollbackStatements().get(0).contains("UPDATE \"public\".\"tasks\" SET \"due_date\" = \"saved\".\"due_date\""),
                "the backfill's undo writes the saved originals back");
        assertEquals(1, p.purge().size(), "purge drops the saved originals");
        assertTrue(p.touches().contains("public.tasks.due_date"));
    }

    @Test
    void withoutUpTheRecipeWarnsAndCountsFirst() throws IOException {
        MigrationPlan p = plan("  - set_not_null: {table: tasks, column: due_date}\n");
        assertTrue(p.warnings().stream().anyMatch(w -> w.contains("without 'up'")), p.warnings().toString());
        assertTrue(p.phase(Phase.SWITCH_READS).steps().get(0).sql().contains("has %s row(s) with NULL"));
    }

    @Test
    void dropNotNullUndoReprovesNotNullWithACountFirst() throws IOException {
        Step s = plan("  - drop_not_null: {table: tasks, column: title}\n").phase(Phase.EXPAND).steps().get(0);
        List<String> undo = s.rollbackStatements();
        assertEquals(5, undo.size(), undo.toString());
        assertTrue(undo.get(0).contains("RAISE EXCEPTION"), "counts NULLs and fails clearly first");
        assertTrue(undo.get(1).endsWith("NOT VALID") && undo.get(2).contains("VALIDATE") && undo.get(3).endsWith("SET NOT NULL")
                && undo.get(4).contains("DROP CONSTRAINT"), undo.toString());
    }

    @Test
    void defaultsAreRestoredFromTheCatalog() throws IOException {
        Step set = plan("  - set_default: {table: tasks, column: priority, default: \"3\"}\n").phase(Phase.EXPAND).steps().get(0);
        assertEquals("ALTER TABLE \"public\".\"tasks\" ALTER COLUMN \"priority\" SET DEFAULT 3", set.sql());
        assertEquals(List.of("ALTER TABLE \"public\".\"tasks\" ALTER COLUMN \"priority\" SET DEFAULT 1"), set.rollbackStatements());
        Step setNew = plan("  - set_default: {table: tasks, column: due_date, default: \"current_date\"}\n").phase(Phase.EXPAND).steps().get(0);
        assertEquals(List.of("ALTER TABLE \"public\".\"tasks\" ALTER COLUMN \"due_date\" DROP DEFAULT"), setNew.rollbackStatements());
        Step drop = plan("  - drop_default: {table: tasks, column: status}\n").phase(Phase.CONTRACT).steps().get(0);
        assertEquals(List.of("ALTER TABLE \"public\".\"tasks\" ALTER COLUMN \"status\" SET DEFAULT 'pending'::text"), drop.rollbackStatements());
        assertEquals(LockLevel.ACCESS_EXCLUSIVE, drop.lock());
    }

    @Test
    void uniqueIsBuiltConcurrentlyThenAttached() throws IOException {
        List<Step> sr = plan("  - add_unique: {table: users, name: users_email_id_key, columns: [email, id]}\n").phase(Phase.SWITCH_READS).steps();
        assertEquals(3, sr.size());
        assertTrue(sr.get(0).sql().contains("HAVING count(*) > 1") && sr.get(0).sql().contains("users_email_id_key"));
        assertEquals("CREATE UNIQUE INDEX CONCURRENTLY \"users_email_id_key\" ON \"public\".\"users\" USING btree (\"email\", \"id\")", sr.get(1).sql());
        assertEquals(LockLevel.SHARE_UPDATE_EXCLUSIVE, sr.get(1).lock());
        assertEquals("ALTER TABLE \"public\".\"users\" ADD CONSTRAINT \"users_email_id_key\" UNIQUE USING INDEX \"users_email_id_key\"", sr.get(2).sql());
        assertEquals(LockLevel.ACCESS_EXCLUSIVE, sr.get(2).lock());
        assertEquals(2, sr.get(2).rollbackStatements().size(), "undo of the attach: drop the constraint, rebuild the index");
    }

    @Test
    void droppedConstraintsAreRecreatedFromTheCatalog() throws IOException {
        Step check = plan("  - drop_constraint: {table: tasks, name: tasks_priority_check}\n").phase(Phase.EXPAND).steps().get(0);
        assertEquals(List.of("ALTER TABLE \"public\".\"tasks\" ADD CONSTRAINT \"tasks_priority_check\" CHECK (((priority >= 1) AND (priority <= 5))) NOT VALID",
                "ALTER TABLE \"public\".\"tasks\" VALIDATE CONSTRAINT \"tasks_priority_check\""), check.rollbackStatements());
        Step unique = plan("  - drop_constraint: {table: users, name: users_email_key}\n").phase(Phase.CONTRACT).steps().get(0);
        assertEquals(List.of("CREATE UNIQUE INDEX CONCURRENTLY \"users_email_key\" ON \"public\".\"users\" USING btree (email)",
                "ALTER TABLE \"public\".\"users\" ADD CONSTRAINT \"users_email_key\" UNIQUE USING INDEX \"users_email_key\""), unique.rollbackStatements());
        Step index = plan("  - drop_index: {name: tasks_status_idx, table: tasks}\n").phase(Phase.CONTRACT).steps().get(0);
        assertEquals("DROP INDEX CONCURRENTLY IF EXISTS \"public\".\"tasks_status_idx\"", index.sql());
        assertEquals(List.of("CREATE INDEX CONCURRENTLY \"tasks_status_idx\" ON \"public\".\"tasks\" USING btree (status)"), index.rollbackStatements());
    }

    @Test
    void indexKeysAreQuotedColumnsOrParenthesisedExpressions() throws IOException {
        Step s = plan("  - create_index: {table: tasks, name: tasks_x_idx, columns: [status, \"due_date DESC NULLS LAST\", \"lower(title)\", \"lower(title) desc\"],"
                + " include: [priority], where: \"due_date IS NOT NULL\"}\n").phase(Phase.EXPAND).steps().get(0);
        assertEquals("CREATE INDEX CONCURRENTLY \"tasks_x_idx\" ON \"public\".\"tasks\" USING \"btree\" (\"status\", \"due_date\" DESC NULLS LAST,"
                + " (lower(title)), (lower(title)) DESC) INCLUDE (\"priority\") WHERE (due_date IS NOT NULL)", s.sql());
        assertEquals(List.of("DROP INDEX CONCURRENTLY IF EXISTS \"public\".\"tasks_x_idx\""), s.rollbackStatements());
    }

    @Test
    void hostileNamesAreQuoted() throws IOException {
        String hostile = "t\"; DROP TABLE users; --";
        String yamlName = "'\"t\"\"; DROP TABLE users; --\"'";
        CatalogSnapshot snap = catalog(hostile);
        String[] intents = {
                "  - set_not_null: {table: " + yamlName + ", column: due_date, up: \"current_date\"}\n",
                "  - add_check: {table: " + yamlName + ", name: \"c\\\"; x\", check: \"priority > 0\", up: {priority: \"1\"}}\n",
                "  - add_unique: {table: " + yamlName + ", name: \"u\\\"; x\", columns: [title]}\n",
                "  - create_index: {table: " + yamlName + ", name: \"i\\\"; x\", columns: [title]}\n",
                "  - drop_constraint: {table: " + yamlName + ", name: tasks_priority_check}\n"};
        int n = 0;
        for (String intent : intents) {
            MigrationPlan p = planner.plan(migration("000" + (++n) + "_h", intent), Optional.of(snap));
            for (PhasePlan phase : p.phases()) {
                for (Step s : phase.steps()) {
                    if (s.table() != null) {
                        assertTrue(s.sql().contains("\"public\".\"t\"\"; DROP TABLE users; --\""), s.sql());
                    }
                    String words = String.join(" ", dev.tandem.sql.SqlTokens.tokenize(s.sql()).stream()
                            .filter(t -> t.kind() == dev.tandem.sql.SqlTokens.Kind.WORD).map(t -> t.text().toUpperCase()).toList());
                    assertFalse(words.contains("DROP TABLE USERS"), "the hostile name is never SQL: " + s.sql());
                }
            }
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "  - set_not_null: {table: nope, column: due_date}|unknown table public.nope",
            "  - set_not_null: {table: tasks, column: nope}|unknown column nope on table public.tasks",
            "  - set_not_null: {table: tasks, column: title}|already NOT NULL",
            "  - drop_not_null: {table: tasks, column: due_date}|is not NOT NULL",
            "  - drop_not_null: {table: tasks, column: id}|part of the primary key",
            "  - drop_default: {table: tasks, column: due_date}|has no default",
            "  - add_check: {table: tasks, name: tasks_priority_check, check: 'true'}|already taken by a constraint",
            "  - add_check: {table: tasks, name: c1, check: 'true', up: {nope: '1'}}|unknown column nope",
            "  - add_foreign_key: {table: tasks, name: f1, columns: [title], references: {table: users, columns: [email]}}|",
            "  - add_foreign_key: {table: tasks, name: f1, columns: [assigned_to], references: {table: project_members, columns: [user_id]}}|no unique or primary-key constraint",
            "  - add_unique: {table: tasks, name: tasks_status_idx, columns: [title]}|already taken by an index",
            "  - drop_constraint: {table: tasks, name: nope}|unknown constraint nope",
            "  - drop_constraint: {table: tasks, name: tasks_pkey}|primary key",
            "  - drop_index: {name: nope}|unknown index public.nope",
            "  - drop_index: {name: users_email_key}|use drop_constraint",
            "  - drop_index: {name: tasks_status_idx, table: users}|not public.users",
            "  - create_index: {table: tasks, name: tasks_pkey, columns: [title]}|already taken",
            "  - create_index: {table: tasks, name: i2, columns: [nope]}|unknown column nope",
            "  - create_index: {table: tasks, name: i2, columns: [title], unique: true, method: gin}|needs method btree"})
    void refusalsPointAtTheIntent(String intent, String message) throws IOException {
        Migration m = migration("0001_bad", intent);
        if (message == null) {
            planner.plan(m, Optional.of(catalog("tasks"))); // a valid one in the list, to keep the table honest
            return;
        }
        TandemException e = assertThrows(TandemException.class, () -> planner.plan(m, Optional.of(catalog("tasks"))));
        assertEquals(TandemException.BAD_INPUT, e.exitCode());
        String kind = intent.strip().substring(2, intent.strip().indexOf(':'));
        // CsvSource strips the leading spaces: the entry is "- kind: …", its kind key at column 3
        assertTrue(e.getMessage().startsWith(dir.resolve("0001_bad.yaml") + ":3:3: " + kind + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "  - add_foreign_key: {table: tasks, name: f, columns: [a], references: {table: users, columns: [id, x]}}|3:70|names 2 column(s)",
            "  - add_foreign_key: {table: tasks, name: f, columns: [a], references: {table: users, columns: [id]}, on_delete: explode}|3:112|unknown action 'explode'",
            "  - add_check: {table: tasks, name: c, check: 'x > 0', up: [x]}|3:58|expected a mapping",
            "  - create_index: {table: tasks, name: i, columns: [a, a]}|3:54|listed twice",
            "  - create_index: {table: tasks, name: i, columns: [a], unique: maybe}|3:63|expected true or false",
            "  - add_unique: {table: tasks, name: u, columns: []}|3:48|must not be empty",
            "  - drop_index: {name: i, colour: red}|3:25|unknown field 'colour'"})
    void parserErrorsPointAtTheField(String intent, String at, String message) throws IOException {
        TandemException e = assertThrows(TandemException.class, () -> migration("0001_bad", intent));
        assertEquals(TandemException.BAD_INPUT, e.exitCode());
        assertTrue(e.getMessage().startsWith(dir.resolve("0001_bad.yaml") + ":" + at + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void laterMigrationsPlanOnTheProjection() throws IOException {
        List<Migration> ms = new ArrayList<>();
        ms.add(migration("0001_a", "  - add_unique: {table: users, name: users_email_id_key, columns: [email, id]}\n"
                + "  - create_index: {table: tasks, name: tasks_due_idx, columns: [due_date]}\n"
                + "  - set_not_null: {table: tasks, column: due_date, up: \"current_date\"}\n"
                + "  - add_check: {table: tasks, name: tasks_c, check: \"priority < 10\"}\n"));
        ms.add(migration("0002_b", "  - drop_constraint: {table: users, name: users_email_id_key}\n"
                + "  - drop_index: {name: tasks_due_idx}\n"
                + "  - drop_not_null: {table: tasks, column: due_date}\n"
                + "  - drop_constraint: {table: tasks, name: tasks_c}\n"));
        List<MigrationPlan> plans = planner.planAll(ms, Optional.of(catalog("tasks")));
        assertEquals(2, plans.size());
        assertEquals(1, plans.get(1).phase(Phase.EXPAND).steps().stream().filter(s -> s.sql().contains("DROP NOT NULL")).count());
        assertTrue(plans.get(1).phase(Phase.CONTRACT).steps().stream().anyMatch(s -> s.sql().contains("\"users_email_id_key\"")));
        CatalogSnapshot after = planner.project(ms.get(1), planner.project(ms.get(0), catalog("tasks")));
        assertEquals(catalog("tasks").table(new QualifiedName("public", "users")), after.table(new QualifiedName("public", "users")),
                "adding then dropping the unique constraint projects back to the start");
    }

    @Test
    void offlinePlansWarnAndUsePlaceholders() throws IOException {
        for (String intent : INTENTS.keySet()) {
            MigrationPlan p = planner.plan(migration("0001_off", intent), Optional.empty());
            assertTrue(p.offline());
            if (intent.contains("drop_constraint") || intent.contains("drop_index") || intent.contains("default")) {
                assertTrue(p.warnings().stream().anyMatch(w -> w.startsWith("offline")), intent + " " + p.warnings());
            }
        }
    }
}
