package dev.tandem.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ColumnChangeSet}: several changes to one column planned as one new column, trigger, backfill and swap. Pure. */
class ColumnChangeSetPlanTest {
    private static final QualifiedName EVENTS = new QualifiedName("public", "events");

    @TempDir
    Path dir;

    private static Column col(String name, int pos, String type, boolean notNull, String def) {
        return new Column(name, pos, type, notNull, Optional.ofNullable(def), "", "", Optional.empty(), Optional.empty());
    }

    private static CatalogSnapshot catalog(String nameType) {
        Table events = new Table(EVENTS, "r", List.of(col("id", 1, "bigint", true, null), col("name", 2, nameType, false, "'x'::text")),
                List.of(new Constraint("events_pkey", "p", "PRIMARY KEY (id)", true, List.of("id"), "", List.of())),
                List.of(new Index("events_pkey", "CREATE UNIQUE INDEX events_pkey ON public.events USING btree (id)", "btree", true, true, true,
                        List.of("id"), List.of(""), List.of(), Optional.empty(), Optional.of("events_pkey"))),
                List.of(), "", 1000, Optional.empty());
        return new CatalogSnapshot(170000, new java.util.TreeMap<>(Map.of(EVENTS, events)));
    }

    private MigrationPlan plan(String changes, CatalogSnapshot catalog) throws Exception {
        Path file = dir.resolve("0001_events_name.yaml");
        Files.writeString(file, "changes:\n" + changes);
        Migration m = ChangelogReader.readFile(file);
        return new Planner(PlanOptions.defaults()).plan(m, Optional.of(catalog));
    }

    private static List<Step> steps(MigrationPlan p, Phase phase) {
        List<Step> out = new ArrayList<>();
        p.phases().stream().filter(ph -> ph.phase() == phase).forEach(ph -> out.addAll(ph.steps()));
        return out;
    }

    private static long count(MigrationPlan p, String sqlPart) {
        return p.phases().stream().flatMap(ph -> ph.steps().stream()).filter(s -> s.sql().contains(sqlPart)).count();
    }

    static final String ALL = """
              - change_column_type: {table: events, column: name, type: varchar(100), up: "left(name, 100)"}
              - set_default: {table: events, column: name, default: "'unnamed'"}
              - set_not_null: {table: events, column: name, up: "coalesce(name, 'unnamed')"}
              - set_comment: {table: events, column: name, comment: "shown in the list"}
              - add_check: {table: events, name: events_name_not_blank, check: "btrim(name) <> ''"}
              - add_unique: {table: events, name: events_name_key, columns: [name]}
            """;

    @Test
    void oneNewColumnOneTriggerOneBackfillOneSwap() throws Exception {
        MigrationPlan p = plan(ALL, catalog("text"));
        assertEquals(1, count(p, "ADD COLUMN"), "one new column");
        assertEquals(1, count(p, "CREATE TRIGGER"), "one sync trigger");
        assertEquals(1, p.phases().stream().flatMap(ph -> ph.steps().stream()).filter(s -> s.backfill().isPresent()).count(), "one backfill");
        List<Step> swaps = steps(p, Phase.SWITCH_READS).stream().filter(s -> s.description().startsWith("swap:")).toList();
        assertEquals(1, swaps.size(), "one swap");
        String swap = swaps.get(0).sql();
        assertTrue(swap.contains("ALTER COLUMN \"name\" SET DEFAULT 'unnamed'"), swap);
        assertTrue(swap.contains("ADD CONSTRAINT \"events_name_key\" UNIQUE USING INDEX"), swap);
        assertTrue(swap.contains("TO \"events_name_not_blank\""), "the check takes its name at the swap: " + swap);
        String back = String.join(";\n", swaps.get(0).rollbackStatements());
        assertTrue(back.contains("DROP CONSTRAINT \"events_name_key\""), back);
        assertTrue(back.contains("_name\" SET DEFAULT 'x'::text"), "the old default comes back on the old column: " + back);
        String copy = steps(p, Phase.BACKFILL).get(0).sql();
        assertTrue(copy.contains("SET \"tandem_new_0001_events_name_name\" = left((coalesce(\"name\", (coalesce(name, 'unnamed')))), 100)"),
                "set_not_null's up fills the NULLs before the type change's up: " + copy);
        assertTrue(steps(p, Phase.EXPAND).stream().anyMatch(s -> s.sql().contains("IS 'shown in the list'")), "comment on the new column");
        assertTrue(steps(p, Phase.SWITCH_READS).stream().anyMatch(s -> s.sql().endsWith("SET NOT NULL")), "NOT NULL on the new column");
        assertEquals(3, steps(p, Phase.BACKFILL).stream().filter(s -> s.description().startsWith("count ")).count(),
                "NULLs, check violations and duplicates are counted before any constraint is added");
    }

    @Test
    void inPlaceTypeChangeLeavesTheMembersToTheirRecipes() throws Exception {
        MigrationPlan p = plan("""
                  - change_column_type: {table: events, column: name, type: varchar(200)}
                  - set_default: {table: events, column: name, default: "'unnamed'"}
                """, catalog("character varying(100)"));
        assertEquals(0, count(p, "ADD COLUMN"));
        List<Step> expand = steps(p, Phase.EXPAND);
        assertTrue(expand.get(0).sql().contains("TYPE varchar(200)") || expand.get(0).sql().contains("TYPE character varying(200)"), expand.toString());
        assertTrue(expand.stream().anyMatch(s -> s.sql().endsWith("SET DEFAULT 'unnamed'")), expand.toString());
    }

    @Test
    void whatCannotCombineIsRefusedWithTheReason() throws Exception {
        TandemException e = assertThrows(TandemException.class, () -> plan("""
                  - change_column_type: {table: events, column: name, type: varchar(100)}
                  - create_index: {table: events, name: events_name_idx, columns: [name]}
                """, catalog("text")));
        assertEquals(TandemException.BAD_INPUT, e.exitCode());
        assertTrue(e.getMessage().contains("create_index is planned against the old column, which the swap replaces"), e.getMessage());
        e = assertThrows(TandemException.class, () -> plan("""
                  - change_column_type: {table: events, column: name, type: varchar(100)}
                  - add_check: {table: events, name: events_c, check: "name <> ''", up: {name: "'-'"}}
                """, catalog("text")));
        assertTrue(e.getMessage().contains("write the repair into the type change's up"), e.getMessage());
    }

    @Test
    void aSetNotNullOfANotNullColumnIsRefusedAtItsLine() throws Exception {
        Table t = catalog("text").table(EVENTS).orElseThrow();
        Table notNull = new Table(EVENTS, "r", List.of(t.columns().get(0), col("name", 2, "text", true, null)), t.constraints(), t.indexes(),
                List.of(), "", 1000, Optional.empty());
        TandemException e = assertThrows(TandemException.class, () -> plan("""
                  - change_column_type: {table: events, column: name, type: varchar(100)}
                  - set_not_null: {table: events, column: name}
                """, new CatalogSnapshot(170000, new java.util.TreeMap<>(Map.of(EVENTS, notNull)))));
        assertTrue(e.getMessage().contains(":3:") && e.getMessage().contains("already NOT NULL"), e.getMessage());
    }
}
