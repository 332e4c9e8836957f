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
import dev.tandem.intent.AddColumn;
import dev.tandem.intent.DerivedColumn;
import dev.tandem.intent.DropColumn;
import dev.tandem.intent.Intent;
import dev.tandem.intent.MergeColumns;
import dev.tandem.intent.Migration;
import dev.tandem.intent.Position;
import dev.tandem.intent.SplitColumn;
import dev.tandem.intent.TableRef;
import dev.tandem.plan.mechanics.RowExpression;
import dev.tandem.sql.QualifiedName;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Pure planner tests of the four column intents on hand-built catalogs. */
class ColumnIntentsPlanTest {
    private static final QualifiedName USERS = new QualifiedName("public", "users");
    private static final QualifiedName TASKS = new QualifiedName("public", "tasks");
    private static final Position AT = new Position("changelogs/0001_x.yaml", 3, 5);
    private static final TableRef USERS_REF = new TableRef(Optional.empty(), "users");
    private final Planner planner = new Planner(PlanOptions.defaults());

    private static Column col(String name, int pos, String type, boolean notNull, String def) {
        return new Column(name, pos, type, notNull, Optional.ofNullable(def), "", "", Optional.empty(), Optional.empty());
    }

    private static CatalogSnapshot catalog() {
        Table users = new Table(USERS, "r", List.of(col("id", 1, "uuid", true, "gen_random_uuid()"), col("email", 2, "text", true, null),
                col("full_name", 3, "text", true, null), col("nickname", 4, "text", false, "'x'::text")),
                List.of(new Constraint("users_pkey", "p", "PRIMARY KEY (id)", true, List.of("id"), "", List.of())),
                List.of(new Index("users_nick_email_idx", "CREATE INDEX users_nick_email_idx ON public.users USING btree (email, nickname)",
                        "btree", false, false, true, List.of("email", "nickname"), List.of("", ""), List.of(), Optional.empty(), Optional.empty())),
                List.of(), "", 1000, Optional.empty());
        Table tasks = new Table(TASKS, "r", List.of(col("id", 1, "uuid", true, null), col("assigned_to", 2, "uuid", false, null)),
                List.of(new Constraint("tasks_pkey", "p", "PRIMARY KEY (id)", true, List.of("id"), "", List.of()),
                        new Constraint("tasks_assigned_to_fkey", "f", "FOREIGN KEY (assigned_to) REFERENCES users(id)", true,
                                List.of("assigned_to"), "public.users", List.of("id"))),
                List.of(), List.of(), "", 1000, Optional.empty());
        return new CatalogSnapshot(170000, Map.of(USERS, users, TASKS, tasks));
    }

    private static Migration migration(String id, Intent... intents) {
        return new Migration(id, "changelogs/" + id + ".yaml", "d", "abc", List.of(intents));
    }

    private MigrationPlan plan(Intent... intents) {
        return planner.plan(migration("0001_x", intents), Optional.of(catalog()));
    }

    private static AddColumn add(String name, String type, boolean nullable, String def, String up) {
        return new AddColumn(AT, USERS_REF, new AddColumn.NewColumn(name, type, nullable, Optional.ofNullable(def), false,
                Optional.empty(), Optional.empty()), Optional.ofNullable(up));
    }

    private static List<Step> all(MigrationPlan p) {
        List<Step> out = new ArrayList<>();
        p.phases().forEach(ph -> out.addAll(ph.steps()));
        out.addAll(p.purge());
        return out;
    }

    /** The safety rule: nothing scans or rewrites under a lock that blocks writes. */
    private static void assertSafe(MigrationPlan p) {
        for (Step s : all(p)) {
            assertFalse(s.lock().blocksWrites() && (s.scan() || s.rewrite()), "unsafe step: " + s.description() + ": " + s.sql());
        }
    }

    private static List<String> sql(MigrationPlan p, Phase phase) {
        return p.phase(phase).steps().stream().map(Step::sql).toList();
    }

    @Test
    void constantDefaultIsOneMetadataOnlyAlter() {
        MigrationPlan p = plan(add("score", "integer", false, "0", null));
        assertEquals(List.of("ALTER TABLE \"public\".\"users\" ADD COLUMN \"score\" integer DEFAULT 0"), sql(p, Phase.EXPAND));
        assertTrue(p.phase(Phase.BACKFILL).steps().stream().noneMatch(Step::isBackfill), "no fill needed");
        assertTrue(sql(p, Phase.BACKFILL).get(0).contains("CHECK (\"score\" IS NOT NULL) NOT VALID"));
        List<String> sw = sql(p, Phase.SWITCH_READS);
        assertTrue(sw.get(0).contains("VALIDATE CONSTRAINT") && sw.get(1).endsWith("SET NOT NULL") && sw.get(2).contains("DROP CONSTRAINT"), sw.toString());
        assertSafe(p);
    }

    @Test
    void volatileDefaultAddsWithoutRewriteAndFillsInBatches() {
        MigrationPlan p = plan(add("token", "uuid", true, "gen_random_uuid()", null));
        assertEquals("ALTER TABLE \"public\".\"users\" ADD COLUMN \"token\" uuid, ALTER COLUMN \"token\" SET DEFAULT gen_random_uuid()",
                sql(p, Phase.EXPAND).get(0));
        Step fill = p.phase(Phase.BACKFILL).steps().get(0);
        assertEquals("coalesce(\"token\", gen_random_uuid())", fill.backfill().orElseThrow().assignments().get(0).expression());
        assertEquals(List.of("id"), fill.backfill().orElseThrow().keyColumns());
        assertSafe(p);
    }

    @Test
    void upFillsThroughAOneWayTriggerAndTheDefaultWaitsForContract() {
        MigrationPlan p = plan(add("slug", "text", false, "'none'", "lower(email)"));
        assertFalse(sql(p, Phase.EXPAND).get(0).contains("DEFAULT"), sql(p, Phase.EXPAND).toString());
        String trigger = sql(p, Phase.DUAL_WRITE).get(1);
        assertTrue(trigger.contains("BEFORE INSERT OR UPDATE OF \"email\", \"slug\""), trigger);
        assertTrue(sql(p, Phase.DUAL_WRITE).get(0).contains("(SELECT (lower(email)) FROM (SELECT NEW.*) AS tandem_row)"));
        assertEquals("(lower(email))", p.phase(Phase.BACKFILL).steps().get(0).backfill().orElseThrow().assignments().get(0).expression());
        assertTrue(sql(p, Phase.CONTRACT).get(0).endsWith("SET DEFAULT 'none'"), sql(p, Phase.CONTRACT).toString());
        assertSafe(p);
    }

    @Test
    void addColumnRefusals() {
        TandemException e = assertThrows(TandemException.class, () -> plan(add("score", "integer", false, null, null)));
        assertEquals(TandemException.BAD_INPUT, e.exitCode());
        assertTrue(e.getMessage().startsWith("changelogs/0001_x.yaml:3:5: add_column: "), e.getMessage());
        assertTrue(e.getMessage().contains("neither a default nor up"), e.getMessage());
        e = assertThrows(TandemException.class, () -> plan(add("email", "text", true, null, null)));
        assertTrue(e.getMessage().contains("already exists"), e.getMessage());
    }

    @Test
    void dropColumnRefusesKeysAndSaysWhatPurgeDrops() {
        TandemException pk = assertThrows(TandemException.class, () -> plan(new DropColumn(AT, USERS_REF, "id", Optional.empty())));
        assertTrue(pk.getMessage().contains("primary key") || pk.getMessage().contains("referenced by foreign key"), pk.getMessage());
        MigrationPlan p = plan(new DropColumn(AT, USERS_REF, "nickname", Optional.of("'n/a'")));
        assertTrue(p.warnings().stream().anyMatch(w -> w.contains("users_nick_email_idx")), p.warnings().toString());
        assertEquals("ALTER TABLE \"public\".\"users\" ALTER COLUMN \"nickname\" DROP DEFAULT", sql(p, Phase.EXPAND).get(0),
                "with down, the default goes so the trigger sees new-app inserts");
        assertTrue(sql(p, Phase.CONTRACT).get(0).startsWith("DO "), "rename and re-pointed function in one transaction");
        assertTrue(p.purge().stream().anyMatch(s -> s.sql().startsWith("DROP TRIGGER")));
        MigrationPlan nn = plan(new DropColumn(AT, USERS_REF, "full_name", Optional.empty()));
        Step relax = nn.phase(Phase.EXPAND).steps().get(0);
        assertTrue(relax.sql().endsWith("DROP NOT NULL"));
        assertTrue(relax.rollbackStatements().get(0).startsWith("DO "), "the restore first refuses NULL rows clearly");
        assertTrue(nn.phase(Phase.DUAL_WRITE).steps().isEmpty());
        assertSafe(p);
        assertSafe(nn);
    }

    @Test
    void splitFillsAllNewColumnsInOnePassAndResyncsOnlyChangedRowsOnUndo() {
        MigrationPlan p = plan(new SplitColumn(AT, USERS_REF, "full_name", List.of(
                new DerivedColumn("first_name", "text", "split_part(full_name, ' ', 1)", false),
                new DerivedColumn("last_name", "text", "substr(full_name, 2)", true)), "first_name || ' ' || last_name"));
        assertEquals(1, sql(p, Phase.EXPAND).size());
        List<Step> backfills = p.phase(Phase.BACKFILL).steps().stream().filter(Step::isBackfill).toList();
        assertEquals(1, backfills.size());
        assertEquals(2, backfills.get(0).backfill().orElseThrow().assignments().size());
        Step dropTrigger = p.phase(Phase.CONTRACT).steps().stream().filter(s -> s.sql().startsWith("DROP TRIGGER")).findFirst().orElseThrow();
        String undo = dropTrigger.undoBackfill().orElseThrow().assignments().get(0).expression();
        assertTrue(undo.startsWith("CASE WHEN (\"first_name\" IS NOT DISTINCT FROM (split_part(full_name, ' ', 1)))"), undo);
        assertTrue(sql(p, Phase.CONTRACT).stream().anyMatch(s -> s.contains("RENAME COLUMN \"full_name\" TO \"tandem_retired_0001_x_full_name\"")));
        assertEquals(1, p.phase(Phase.SWITCH_READS).steps().stream().filter(s -> s.sql().endsWith("SET NOT NULL")).count(), "only first_name");
        assertSafe(p);
    }

    @Test
    void mergeRetiresEveryOldColumn() {
        MigrationPlan p = plan(new MergeColumns(AT, USERS_REF, List.of("email", "nickname"),
                new DerivedColumn("contact", "text", "email || nickname", true), Map.of("email", "contact", "nickname", "contact")));
        assertEquals(2, p.purge().stream().filter(s -> s.sql().contains("DROP COLUMN \"tandem_retired_")).count());
        assertTrue(sql(p, Phase.CONTRACT).stream().anyMatch(s -> s.endsWith("\"email\" DROP NOT NULL")), "email was NOT NULL");
        assertSafe(p);
    }

    @Test
    void twoIntentsOnOneTableGetDistinctTriggersAndFunctions() {
        MigrationPlan p = plan(add("slug", "text", true, null, "lower(email)"),
                new SplitColumn(AT, USERS_REF, "full_name", List.of(new DerivedColumn("first_name", "text", "full_name", true)), "first_name"));
        List<String> creates = sql(p, Phase.DUAL_WRITE);
        assertEquals(4, creates.size());
        assertEquals(4, creates.stream().map(s -> s.substring(0, s.indexOf('('))).distinct().count(), creates.toString());
    }

    @Test
    void laterMigrationsPlanOnTheProjectedCatalog() {
        List<MigrationPlan> plans = planner.planAll(List.of(
                migration("0001_a", add("slug", "text", true, null, "lower(email)"),
                        new SplitColumn(AT, USERS_REF, "full_name", List.of(new DerivedColumn("first_name", "text", "full_name", false)), "first_name")),
                migration("0002_b", new DropColumn(AT, USERS_REF, "slug", Optional.empty()),
                        new DropColumn(AT, USERS_REF, "first_name", Optional.empty()))), Optional.of(catalog()));
        assertTrue(plans.get(1).phase(Phase.EXPAND).steps().get(0).sql().contains("\"first_name\" DROP NOT NULL"),
                "first_name is NOT NULL after 0001 and known to 0002");
        assertThrows(TandemException.class, () -> planner.planAll(List.of(migration("0001_a",
                new SplitColumn(AT, USERS_REF, "full_name", List.of(new DerivedColumn("first_name", "text", "full_name", true)), "first_name")),
                migration("0002_b", new DropColumn(AT, USERS_REF, "full_name", Optional.empty()))), Optional.of(catalog())),
                "full_name is gone after the split");
    }

    @Test
    void offlinePlansAllFour() {
        MigrationPlan p = planner.plan(migration("0001_x", add("slug", "text", false, null, "lower(email)"),
                new DropColumn(AT, USERS_REF, "legacy", Optional.of("'n/a'")),
                new SplitColumn(AT, USERS_REF, "full_name", List.of(new DerivedColumn("first_name", "text", "full_name", true)), "first_name"),
                new MergeColumns(AT, USERS_REF, List.of("a", "b"), new DerivedColumn("c", "text", "a || b", true), Map.of("a", "c", "b", "c"))),
                Optional.empty());
        assertTrue(p.offline());
        assertFalse(p.warnings().isEmpty());
        assertTrue(sql(p, Phase.DUAL_WRITE).get(1).contains("UPDATE OF \"email\", \"slug\""), "offline, up's columns come from the tokenizer");
    }

    @Test
    void volatilityIsJudgedConservatively() {
        assertFalse(RowExpression.mayBeVolatile("0"));
        assertFalse(RowExpression.mayBeVolatile("now()"));
        assertFalse(RowExpression.mayBeVolatile("'{}'::jsonb"));
        assertFalse(RowExpression.mayBeVolatile("0::numeric(10,2)"));
        assertTrue(RowExpression.mayBeVolatile("gen_random_uuid()"));
        assertTrue(RowExpression.mayBeVolatile("clock_timestamp()"));
        assertTrue(RowExpression.mayBeVolatile("nextval('s')"));
        assertTrue(RowExpression.mayBeVolatile("my_function()"), "unknown functions count as volatile");
        assertEquals(List.of("full name", "x"), RowExpression.columnsOf("split_part(\"full name\", ' ', 1) || x::text || 'lit'", Optional.empty()));
    }
}
