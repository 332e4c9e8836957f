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
import dev.tandem.intent.ChangeColumnType;
import dev.tandem.intent.Migration;
import dev.tandem.intent.Position;
import dev.tandem.intent.TableRef;
import dev.tandem.plan.mechanics.RowExpression;
import dev.tandem.plan.mechanics.TypeChange;
import dev.tandem.sql.QualifiedName;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The change_column_type planner, pure: hand-built catalogs in, plans out. */
class ChangeColumnTypePlanTest {
    private static final QualifiedName TASKS = new QualifiedName("public", "tasks");
    private static final QualifiedName COMMENTS = new QualifiedName("public", "comments");
    private static final QualifiedName REACTIONS = new QualifiedName("public", "comment_reactions");
    private static final String FILE = "changelogs/0001_retype.yaml";
    private final Planner planner = new Planner(PlanOptions.defaults());

    private static Column col(String name, int pos, String type, boolean notNull, String def) {
        return new Column(name, pos, type, notNull, Optional.ofNullable(def), "", "", Optional.empty(), Optional.empty());
    }

    private static Table tasks(String priorityType, List<Constraint> extra) {
        List<Constraint> k = new ArrayList<>(List.of(new Constraint("tasks_pkey", "p", "PRIMARY KEY (id)", true, List.of("id"), "", List.of())));
        k.addAll(extra);
        return new Table(TASKS, "r", List.of(col("id", 1, "uuid", true, "gen_random_uuid()"),
                col("priority", 2, priorityType, true, "1"), col("title", 3, "text", true, null)), k,
                List.of(new Index("tasks_pkey", "CREATE UNIQUE INDEX tasks_pkey ON public.tasks USING btree (id)", "btree", true, true, true,
                                List.of("id"), List.of(""), List.of(), Optional.empty(), Optional.of("tasks_pkey")),
                        new Index("tasks_priority_idx", "CREATE INDEX tasks_priority_idx ON public.tasks USING btree (priority)", "btree",
                                false, false, true, List.of("priority"), List.of(""), List.of(), Optional.empty(), Optional.empty())),
                List.of(), "", 1000, Optional.empty());
    }

    private static final Constraint PRIORITY_CHECK = new Constraint("tasks_priority_check", "c",
            "CHECK (((priority >= 1) AND (priority <= 5)))", true, List.of("priority"), "", List.of());

    private static Migration change(String table, String column, String type, String up, String down) {
        return new Migration("0001_retype", FILE, "d", "abc", List.of(new ChangeColumnType(new Position(FILE, 3, 5),
                new TableRef(Optional.empty(), table), column, type, Optional.ofNullable(up), Optional.ofNullable(down))));
    }

    private MigrationPlan plan(Migration m, Table... tables) {
        Map<QualifiedName, Table> map = new java.util.TreeMap<>();
        for (Table t : tables) {
            map.put(t.name(), t);
        }
        return planner.plan(m, Optional.of(new CatalogSnapshot(170000, map)));
    }

    private static List<Step> all(MigrationPlan p) {
        List<Step> steps = new ArrayList<>();
        p.phases().forEach(ph -> steps.addAll(ph.steps()));
        return steps;
    }

    // ------------------------------------------------------------------ metadata-only detection

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "character varying(50)|varchar(100)", "character varying(50)|varchar", "character varying(50)|text",
            "character varying|text", "text|varchar", "text|character varying", "numeric(10,2)|numeric(12,2)",
            "numeric(10,2)|numeric", "numeric(10,2)|decimal(14,2)", "timestamp(3) without time zone|timestamp(6)",
            "timestamp(0) with time zone|timestamptz", "time(2) without time zone|time(4)", "bit varying(5)|varbit(10)", "cidr|inet"})
    void metadataOnlyCases(String from, String to) {
        assertTrue(TypeChange.metadataOnly(from, TypeChange.canonical(to)).isPresent(), from + " -> " + to);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "integer|bigint", "character varying(100)|varchar(50)", "text|varchar(10)", "numeric(10,2)|numeric(12,3)",
            "numeric(10,2)|numeric(8,2)", "numeric|numeric(20,2)", "character(5)|char(10)", "timestamp without time zone|timestamptz",
            "timestamp(6) without time zone|timestamp(3)", "inet|cidr", "text|jsonb", "text|public.citext", "integer|numeric"})
    void rewriteCases(String from, String to) {
        assertTrue(TypeChange.metadataOnly(from, TypeChange.canonical(to)).isEmpty(), from + " -> " + to);
    }

    @Test
    void canonicalSpellings() {
        assertEquals("character varying(100)", TypeChange.canonical("VARCHAR ( 100 )"));
        assertEquals("bigint", TypeChange.canonical("int8"));
        assertEquals("timestamp(3) with time zone", TypeChange.canonical("timestamptz(3)"));
        assertEquals("timestamp without time zone", TypeChange.canonical("timestamp"));
        assertEquals("numeric(12,0)", TypeChange.canonical("decimal(12)"));
        assertEquals("public.my_type", TypeChange.canonical(" public.my_type "));
    }

    @Test
    void metadataOnlyPlanIsOneBriefStepWithAnExactRollback() {
        Table t = new Table(TASKS, "r", List.of(col("id", 1, "uuid", true, null),
                new Column("title", 2, "character varying(50)", true, Optional.empty(), "", "", Optional.of("C"), Optional.empty())),
                List.of(new Constraint("tasks_pkey", "p", "PRIMARY KEY (id)", true, List.of("id"), "", List.of())), List.of(), List.of(),
                "", 10, Optional.empty());
        MigrationPlan p = plan(change("tasks", "title", "varchar(100)", "title::varchar(100)", null), t);
        List<Step> steps = all(p);
        assertEquals(1, steps.size());
        Step s = steps.get(0);
        assertEquals(p.phase(Phase.EXPAND).steps().get(0), s);
        assertEquals("ALTER TABLE \"public\".\"tasks\" ALTER COLUMN \"title\" TYPE character varying(100) COLLATE \"C\"", s.sql());
        assertEquals(List.of("ALTER TABLE \"public\".\"tasks\" ALTER COLUMN \"title\" TYPE character varying(50) COLLATE \"C\""),
                s.rollbackStatements());
        assertEquals(LockLevel.ACCESS_EXCLUSIVE, s.lock());
        assertFalse(s.rewrite() || s.scan());
        assertTrue(s.description().contains("rollback back to character varying(50) rewrites"), s.description());
        assertTrue(p.purge().isEmpty());
    }

    @Test
    void aCheckOnTheColumnOrACustomUpMeansTheSwapPath() {
        Table checked = new Table(TASKS, "r", List.of(col("id", 1, "uuid", true, null), col("title", 2, "character varying(50)", false, null)),
                List.of(new Constraint("tasks_pkey", "p", "PRIMARY KEY (id)", true, List.of("id"), "", List.of()),
                        new Constraint("tasks_title_check", "c", "CHECK ((length((title)::text) > 0))", true, List.of("title"), "", List.of())),
                List.of(), List.of(), "", 10, Optional.empty());
        assertTrue(all(plan(change("tasks", "title", "text", null, null), checked)).size() > 1);
        Table plain = new Table(TASKS, "r", checked.columns(), checked.constraints().subList(0, 1), List.of(), List.of(), "", 10, Optional.empty());
        assertEquals(1, all(plan(change("tasks", "title", "text", null, null), plain)).size());
        assertTrue(all(plan(change("tasks", "title", "text", "upper(title)", null), plain)).size() > 1);
    }

    // ------------------------------------------------------------------ the swap path

    @Test
    void swapPathPhasesLocksAndSafetyRule() {
        MigrationPlan p = plan(change("tasks", "priority", "bigint", null, null), tasks("integer", List.of(PRIORITY_CHECK)));
        String n = "tandem_new_0001_retype_priority";
        String r = "tandem_old_0001_retype_priority";
        List<Step> expand = p.phase(Phase.EXPAND).steps();
        assertEquals("ALTER TABLE \"public\".\"tasks\" ADD COLUMN \"" + n + "\" bigint", expand.get(0).sql());
        List<Step> dual = p.phase(Phase.DUAL_WRITE).steps();
        assertTrue(dual.get(0).sql().contains("NEW.\"" + n + "\" := CAST(NEW.\"priority\" AS bigint);"), dual.get(0).sql());
        assertTrue(dual.get(0).sql().contains("NEW.\"priority\" := CAST(NEW.\"" + n + "\" AS integer);"), dual.get(0).sql());
        List<Step> backfill = p.phase(Phase.BACKFILL).steps();
        assertTrue(backfill.get(0).isBackfill());
        assertEquals(List.of(new BackfillSpec.Assignment(n, "CAST(\"priority\" AS bigint)")), backfill.get(0).backfill().get().assignments());
        assertTrue(backfill.stream().anyMatch(s -> s.sql().contains("CHECK (((\"" + n + "\" >= 1) AND (\"" + n + "\" <= 5))) NOT VALID")));
        assertTrue(backfill.stream().anyMatch(s -> s.sql().startsWith("CREATE INDEX CONCURRENTLY") && !s.transactional()));

        List<Step> sr = p.phase(Phase.SWITCH_READS).steps();
        Step swap = sr.stream().filter(s -> s.description().startsWith("swap")).findFirst().orElseThrow();
        assertEquals(LockLevel.ACCESS_EXCLUSIVE, swap.lock());
        assertFalse(swap.scan() || swap.rewrite());
        String sql = swap.sql();
        assertTrue(sql.indexOf("RENAME COLUMN \"priority\" TO \"" + r + "\"") < sql.indexOf("RENAME COLUMN \"" + n + "\" TO \"priority\""));
        assertTrue(sql.contains("RENAME CONSTRAINT \"tandem_new_0001_retype_tasks_priority_check\" TO \"tasks_priority_check\""), sql);
        assertTrue(sql.contains("ALTER INDEX \"public\".\"tandem_new_0001_retype_tasks_priority_idx\" RENAME TO \"tasks_priority_idx\""), sql);
        assertTrue(sql.contains("ALTER COLUMN \"" + r + "\" DROP DEFAULT") && sql.contains("ALTER COLUMN \"priority\" SET DEFAULT CAST((1) AS bigint)"), sql);
        assertTrue(sql.contains("NEW.\"priority\" := CAST(NEW.\"" + r + "\" AS bigint);"), "the function follows the swapped names: " + sql);
        assertTrue(swap.rollback().contains("RENAME COLUMN \"" + r + "\" TO \"priority\""));
        // validations before the swap
        assertTrue(sr.indexOf(swap) > 0 && sr.subList(0, sr.indexOf(swap)).stream().allMatch(s -> !s.description().startsWith("swap")));

        List<Step> contract = p.phase(Phase.CONTRACT).steps();
        assertTrue(contract.stream().anyMatch(s -> s.sql().contains("DROP TRIGGER") && s.undoBackfill().isPresent()
                && s.undoBackfill().get().assignments().equals(List.of(new BackfillSpec.Assignment(r, "CAST(\"priority\" AS integer)")))));
        assertEquals("ALTER TABLE \"public\".\"tasks\" DROP COLUMN \"" + r + "\"", p.purge().get(0).sql());

        for (Step s : all(p)) {
            if (s.rewrite() || s.scan()) {
                assertFalse(s.lock().blocksWrites(), "safety rule: " + s.description() + " scans under " + s.lock());
            }
            assertTrue(!s.rollbackStatements().isEmpty() || s.isBackfill(), "every step has an undo: " + s.description());
        }
    }

    @Test
    void primaryKeyReferencedByAnotherTable() {
        Column id = new Column("id", 1, "integer", true, Optional.empty(), "d", "", Optional.empty(), Optional.empty());
        Table comments = new Table(COMMENTS, "r", List.of(id, col("body", 2, "text", true, null)),
                List.of(new Constraint("comments_pkey", "p", "PRIMARY KEY (id)", true, List.of("id"), "", List.of())),
                List.of(new Index("comments_pkey", "CREATE UNIQUE INDEX comments_pkey ON public.comments USING btree (id)", "btree", true, true,
                        true, List.of("id"), List.of(""), List.of(), Optional.empty(), Optional.of("comments_pkey"))), List.of(), "", 10, Optional.empty());
        Constraint fk = new Constraint("comment_reactions_comment_id_fkey", "f",
                "FOREIGN KEY (comment_id) REFERENCES public.comments(id) ON DELETE CASCADE", true, List.of("comment_id"), "public.comments", List.of("id"));
        Table reactions = new Table(REACTIONS, "r", List.of(col("id", 1, "integer", true, null), col("comment_id", 2, "integer", true, null)),
                List.of(new Constraint("comment_reactions_pkey", "p", "PRIMARY KEY (id)", true, List.of("id"), "", List.of()), fk),
                List.of(), List.of(), "", 10, Optional.empty());
        MigrationPlan p = plan(change("comments", "id", "bigint", null, null), comments, reactions);
        Step swap = p.phase(Phase.SWITCH_READS).steps().stream().filter(s -> s.description().startsWith("swap")).findFirst().orElseThrow();
        String sql = swap.sql();
        int dropFk = sql.indexOf("ALTER TABLE \"public\".\"comment_reactions\" DROP CONSTRAINT \"comment_reactions_comment_id_fkey\"");
        int dropPk = sql.indexOf("DROP CONSTRAINT \"comments_pkey\"");
        int attach = sql.indexOf("ADD CONSTRAINT \"comments_pkey\" PRIMARY KEY USING INDEX \"tandem_new_0001_retype_comments_pkey\"");
        int identity = sql.indexOf("ADD GENERATED");
        int addFk = sql.indexOf("ADD CONSTRAINT \"comment_reactions_comment_id_fkey\" FOREIGN KEY (comment_id) REFERENCES public.comments(id) ON DELETE CASCADE NOT VALID");
        assertTrue(dropFk >= 0 && dropFk < dropPk && dropPk < attach && attach < identity && identity < addFk, sql);
        assertTrue(swap.rollbackStatements().get(0).startsWith("CREATE UNIQUE INDEX CONCURRENTLY \"tandem_pk_0001_retype_comments_pkey\""),
                swap.rollbackStatements().get(0));
        assertTrue(p.phase(Phase.SWITCH_READS).steps().stream().anyMatch(s -> s.sql().equals(
                "ALTER TABLE \"public\".\"comment_reactions\" VALIDATE CONSTRAINT \"comment_reactions_comment_id_fkey\"")
                && s.lock() == LockLevel.SHARE_UPDATE_EXCLUSIVE && s.scan()));
        assertTrue(p.warnings().stream().anyMatch(w -> w.contains("change public.comment_reactions.comment_id to bigint")), p.warnings().toString());
    }

    @Test
    void offlinePlansTheSwapWithAWarning() {
        MigrationPlan p = planner.plan(change("tasks", "priority", "bigint", null, null), Optional.empty());
        assertFalse(p.phase(Phase.DUAL_WRITE).steps().isEmpty());
        assertTrue(p.warnings().stream().anyMatch(w -> w.startsWith("offline plan")));
        assertEquals(Set.of("public.tasks.priority"), p.touches());
    }

    @Test
    void refusals() {
        TandemException e = assertThrows(TandemException.class,
                () -> plan(change("tasks", "nope", "bigint", null, null), tasks("integer", List.of())));
        assertEquals(TandemException.BAD_INPUT, e.exitCode());
        assertTrue(e.getMessage().startsWith(FILE + ":3:5: change_column_type: unknown column nope"), e.getMessage());
        e = assertThrows(TandemException.class, () -> plan(change("tasks", "priority", "int4", null, null), tasks("integer", List.of())));
        assertTrue(e.getMessage().contains("already has type integer"), e.getMessage());
        Table noPk = new Table(TASKS, "r", List.of(col("priority", 1, "integer", false, null)), List.of(), List.of(), List.of(), "", 1, Optional.empty());
        // a table without a primary key is no longer refused: its backfill has no key columns (ctid pages)
        MigrationPlan p = plan(change("tasks", "priority", "bigint", null, null), noPk);
        assertTrue(p.phase(Phase.BACKFILL).steps().stream().flatMap(s -> s.backfill().stream())
                .allMatch(b -> b.keyColumns().isEmpty()), "no key: ctid pages");
        assertTrue(p.phase(Phase.BACKFILL).steps().stream().anyMatch(s -> s.backfill().isPresent()));
    }

    @Test
    void projectionMovesTheColumnLastWithTheNewType() {
        CatalogSnapshot before = new CatalogSnapshot(170000, Map.of(TASKS, tasks("integer", List.of(PRIORITY_CHECK))));
        Migration m = change("tasks", "priority", "int8", null, null);
        Table after = planner.project(m, before).table(TASKS).orElseThrow();
        assertEquals(List.of("id", "title", "priority"), after.columns().stream().map(Column::name).toList());
        assertEquals("bigint", after.column("priority").orElseThrow().type());
        assertEquals(3, after.column("priority").orElseThrow().position());
    }

    // ------------------------------------------------------------------ expressions over NEW

    @Test
    void expressionsOverNew() {
        Set<String> cols = Set.of("priority", "title", "bigint");
        assertEquals("NEW.\"priority\"::bigint", RowExpression.overNewRenamed("priority::bigint", cols, Map.of()));
        assertEquals("CAST(NEW.\"x\" AS bigint)", RowExpression.overNewRenamed("CAST(priority AS bigint)", cols, Map.of("priority", "x")));
        assertEquals("coalesce(NEW.\"priority\", length(NEW.\"title\")) || 'priority'",
                RowExpression.overNewRenamed("coalesce(priority, length(title)) || 'priority'", cols, Map.of()));
        assertEquals("t.priority + NEW.\"priority\"", RowExpression.overNewRenamed("t.priority + \"priority\"", cols, Map.of()));
        assertEquals("title(NEW.\"title\")", RowExpression.overNewRenamed("title(title)", cols, Map.of()));
    }
}
