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
import dev.tandem.catalog.Trigger;
import dev.tandem.intent.Migration;
import dev.tandem.intent.Position;
import dev.tandem.intent.RenameColumn;
import dev.tandem.intent.TableRef;
import dev.tandem.sql.QualifiedName;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The planner is pure: these tests build catalog snapshots by hand and inspect the plan. */
class RenameColumnPlanTest {
    private static final QualifiedName USERS = new QualifiedName("public", "users");
    private final Planner planner = new Planner(PlanOptions.defaults());

    private static Column col(String name, int pos, String type, boolean notNull, String def) {
        return new Column(name, pos, type, notNull, Optional.ofNullable(def), "", "", Optional.empty(), Optional.empty());
    }

    private static Table users(List<Column> extra, List<Constraint> extraConstraints, List<Index> indexes) {
        List<Column> cols = new java.util.ArrayList<>(List.of(
                col("id", 1, "uuid", true, "gen_random_uuid()"),
                col("full_name", 2, "text", true, "'anonymous'::text")));
        cols.addAll(extra);
        List<Constraint> constraints = new java.util.ArrayList<>(List.of(
                new Constraint("users_pkey", "p", "PRIMARY KEY (id)", true, List.of("id"), "", List.of())));
        constraints.addAll(extraConstraints);
        return new Table(USERS, "r", cols, constraints, indexes,
                List.of(new Trigger("users_set_updated_at", "CREATE TRIGGER …", "O", "public.set_updated_at")),
                "", 1000, Optional.empty());
    }

    private static Migration rename(String table, String from, String to) {
        return new Migration("0001_rename", "changelogs/0001_rename.yaml", "d", "abc",
                List.of(new RenameColumn(new Position("changelogs/0001_rename.yaml", 3, 5), new TableRef(Optional.empty(), table), from, to)));
    }

    private MigrationPlan plan(Table t, Migration m) {
        return planner.plan(m, Optional.of(new CatalogSnapshot(170000, Map.of(t.name(), t))));
    }

    @Test
    void fivePhasesWithTheRealTypeAndOrderOfSafetySteps() {
        MigrationPlan p = plan(users(List.of(), List.of(), List.of()), rename("users", "full_name", "display_name"));
        assertEquals(5, p.phases().size());
        Step add = p.phase(Phase.EXPAND).steps().get(0);
        assertEquals("ALTER TABLE \"public\".\"users\" ADD COLUMN \"display_name\" text", add.sql());
        assertEquals(LockLevel.ACCESS_EXCLUSIVE, add.lock());
        assertEquals(List.of("ALTER TABLE \"public\".\"users\" DROP COLUMN \"display_name\""), add.rollbackStatements());
        List<String> dual = p.phase(Phase.DUAL_WRITE).steps().stream().map(Step::sql).toList();
        assertTrue(indexOf(dual, "CREATE TRIGGER") >= 0, dual.toString());
        assertEquals(-1, indexOf(dual, "NOT VALID"), "no check before the copy: it would reject updates of other columns");
        List<String> backfillSql = p.phase(Phase.BACKFILL).steps().stream().map(Step::sql).toList();
        assertTrue(indexOf(backfillSql, "IS NOT NULL) NOT VALID") > 0, "the NOT NULL check comes right after the copy: " + backfillSql);
        assertTrue(p.phase(Phase.BACKFILL).steps().get(0).isBackfill());
        Step dropTrigger = p.phase(Phase.CONTRACT).steps().stream().filter(s -> s.sql().startsWith("DROP TRIGGER")).findFirst().orElseThrow();
        assertEquals("full_name", dropTrigger.undoBackfill().orElseThrow().assignments().get(0).column(),
                "rolling back contract re-syncs the old column in batches");
        assertEquals(List.of("id"), p.phase(Phase.BACKFILL).steps().get(0).backfill().orElseThrow().keyColumns());
        List<String> contract = p.phase(Phase.CONTRACT).steps().stream().map(Step::sql).toList();
        assertTrue(contract.get(0).contains("SET DEFAULT 'anonymous'::text"), "default moves only at contract: " + contract);
        assertTrue(p.phase(Phase.EXPAND).steps().stream().noneMatch(s -> s.sql().contains("DEFAULT")),
                "the new column gets no default before contract");
        assertEquals(Optional.of("public.users.display_name"), p.touches().stream().filter(s -> s.endsWith("display_name")).findFirst());
        assertTrue(p.warnings().stream().anyMatch(w -> w.contains("users_set_updated_at")), p.warnings().toString());
        assertFalse(p.offline());
    }

    @Test
    void noStepScansOrRewritesUnderALockThatBlocksWritesAndEveryStepButTheBackfillHasAnUndo() {
        Table t = users(List.of(col("email", 3, "text", true, null)),
                List.of(new Constraint("users_full_name_check", "c", "CHECK ((length(full_name) > 0))", true, List.of("full_name"), "", List.of()),
                        new Constraint("users_full_name_key", "u", "UNIQUE (full_name)", true, List.of("full_name"), "", List.of())),
                List.of(new Index("users_full_name_key", "CREATE UNIQUE INDEX users_full_name_key ON public.users USING btree (full_name)",
                        "btree", true, false, true, List.of("full_name"), List.of(""), List.of(), Optional.empty(), Optional.of("users_full_name_key")),
                        new Index("users_lower_idx", "CREATE INDEX users_lower_idx ON public.users USING btree (lower(full_name)) WHERE (email IS NOT NULL)",
                                "btree", false, false, true, java.util.Arrays.asList((String) null), List.of(""), List.of(), Optional.of("(email IS NOT NULL)"), Optional.empty())));
        MigrationPlan p = plan(t, rename("users", "full_name", "display_name"));
        for (PhasePlan phase : p.phases()) {
            for (Step s : phase.steps()) {
                assertFalse(s.lock().blocksWrites() && (s.scan() || s.rewrite()), "unsafe step: " + s);
                if (!s.isBackfill()) {
                    assertFalse(s.rollbackStatements().isEmpty(), "no undo for " + s.description());
                }
                if (s.sql().contains("CONCURRENTLY")) {
                    assertFalse(s.transactional());
                }
            }
        }
        List<String> backfill = p.phase(Phase.BACKFILL).steps().stream().map(Step::sql).toList();
        assertTrue(backfill.contains("CREATE UNIQUE INDEX CONCURRENTLY \"users_display_name_key\" ON \"public\".\"users\" USING btree (\"display_name\")"), backfill.toString());
        assertTrue(backfill.stream().anyMatch(s -> s.contains("(lower(\"display_name\")) WHERE (email IS NOT NULL)")), backfill.toString());
        assertTrue(backfill.stream().anyMatch(s -> s.contains("CHECK ((length(\"display_name\") > 0)) NOT VALID")), backfill.toString());
        assertTrue(p.phase(Phase.SWITCH_READS).steps().stream().anyMatch(s -> s.sql().contains("UNIQUE USING INDEX \"users_display_name_key\"")));
    }

    @Test
    void unknownTableOrColumnIsBadInputWithThePosition() {
        Table t = users(List.of(), List.of(), List.of());
        TandemException e = assertThrows(TandemException.class, () -> plan(t, rename("users", "nope", "x")));
        assertEquals(TandemException.BAD_INPUT, e.exitCode());
        assertTrue(e.getMessage().startsWith("changelogs/0001_rename.yaml:3:5: rename_column: unknown column nope"), e.getMessage());
        e = assertThrows(TandemException.class, () -> plan(t, rename("people", "full_name", "x")));
        assertTrue(e.getMessage().contains("unknown table public.people"), e.getMessage());
        e = assertThrows(TandemException.class, () -> plan(t, rename("users", "full_name", "id")));
        assertTrue(e.getMessage().contains("already exists"), e.getMessage());
        e = assertThrows(TandemException.class, () -> plan(t, rename("users", "id", "key")));
        assertTrue(e.getMessage().contains("primary key"), e.getMessage());
    }

    @Test
    void offlinePlanHasPlaceholdersAndSaysSo() {
        MigrationPlan p = planner.plan(rename("users", "full_name", "display_name"), Optional.empty());
        assertTrue(p.offline());
        assertTrue(p.phase(Phase.EXPAND).steps().get(0).sql().contains("<type of full_name>"));
        assertTrue(p.warnings().stream().anyMatch(w -> w.startsWith("offline plan")));
    }

    @Test
    void hostileAndLongNamesAreQuotedAndGeneratedNamesStayWithin63Bytes() {
        String weird = "we\"ird;name";
        String longTable = "t".repeat(40) + "ü".repeat(11); // 62 bytes
        QualifiedName qn = new QualifiedName("public", longTable);
        Table t = new Table(qn, "r", List.of(col("id", 1, "integer", true, null), col(weird, 2, "text", true, null)),
                List.of(new Constraint("pk", "p", "PRIMARY KEY (id)", true, List.of("id"), "", List.of())),
                List.of(), List.of(), "", 0, Optional.empty());
        Migration m = new Migration("0002_" + "x".repeat(60), "f.yaml", "", "c",
                List.of(new RenameColumn(new Position("f.yaml", 1, 1), new TableRef(Optional.empty(), longTable), weird, "ok name")));
        MigrationPlan p = planner.plan(m, Optional.of(new CatalogSnapshot(170000, Map.of(qn, t))));
        String sql = p.phase(Phase.EXPAND).steps().get(0).sql();
        assertTrue(sql.contains("ADD COLUMN \"ok name\" text"), sql);
        String trigger = p.phase(Phase.DUAL_WRITE).steps().get(1).sql();
        assertTrue(trigger.contains("OF \"we\"\"ird;name\", \"ok name\""), trigger);
        java.util.regex.Matcher quoted = java.util.regex.Pattern.compile("\"((?:[^\"]|\"\")*)\"").matcher(
                p.phases().stream().flatMap(ph -> ph.steps().stream()).map(Step::sql).reduce("", String::concat));
        while (quoted.find()) {
            String name = quoted.group(1).replace("\"\"", "\"");
            assertTrue(name.getBytes(StandardCharsets.UTF_8).length <= 63, "name over 63 bytes: " + name);
        }
    }

    @Test
    void projectionLetsTheNextMigrationSeeTheRenamedColumn() {
        Table t = users(List.of(), List.of(), List.of());
        CatalogSnapshot before = new CatalogSnapshot(170000, Map.of(USERS, t));
        List<MigrationPlan> plans = planner.planAll(List.of(rename("users", "full_name", "display_name"),
                new Migration("0002_again", "f2.yaml", "", "c2", List.of(new RenameColumn(new Position("f2.yaml", 1, 1),
                        new TableRef(Optional.empty(), "users"), "display_name", "name")))), Optional.of(before));
        assertEquals(2, plans.size());
        assertNotNull(plans.get(1).phase(Phase.EXPAND).steps().get(0));
        assertThrows(TandemException.class, () -> planner.planAll(List.of(rename("users", "full_name", "display_name"),
                rename("users", "full_name", "again")), Optional.of(before)), "full_name is gone after the first migration");
    }

    private static int indexOf(List<String> sqls, String fragment) {
        for (int i = 0; i < sqls.size(); i++) {
            if (sqls.get(i).contains(fragment)) {
                return i;
            }
        }
        return -1;
    }
}
