package dev.tandem.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.TandemException;
import dev.tandem.catalog.View;
import dev.tandem.intent.ChangelogReader;
import dev.tandem.intent.Migration;
import dev.tandem.sql.QualifiedName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The view rules of {@link ViewGuard} beyond rename_column, planned without a database: Tandem's
 * own views are neither carried nor refused for, a view over a view a retype carries is refused
 * naming both, drop_column and drop_table refuse user views, and a sql step that drops the view
 * lifts each refusal.
 */
class ViewCarryPlanTest {
    static final QualifiedName USERS = ViewGuardTest.USERS;

    @TempDir
    Path dir;

    Migration migration(String id, String yaml) throws IOException {
        Path f = dir.resolve(id + ".yaml");
        Files.writeString(f, yaml);
        return ChangelogReader.readFile(f);
    }

    static View tandemView(String name) {
        View v = ViewGuardTest.complex(name, false);
        return new View(new QualifiedName("public", name), false, v.definition(), v.columns(), v.reads(), v.table(), v.sources(), true);
    }

    static View over(String name, View inner) {
        return new View(new QualifiedName("public", name), false, " SELECT name FROM " + inner.name() + ";", List.of("name"),
                List.of(new View.Read(inner.name(), "name")), Optional.of(inner.name()), List.of("name"));
    }

    MigrationPlan plan(String yaml, View... views) throws IOException {
        return new Planner(PlanOptions.defaults()).plan(migration("0001_x", yaml), Optional.of(ViewGuardTest.catalog(views)));
    }

    static final String RETYPE = """
            changes:
              - change_column_type: {table: users, column: full_name, type: varchar(100)}
            """;

    @Test
    void tandemViewsAreNotUserViews() throws IOException {
        assertTrue(View.tandemComment("tandem 0001_rename: users during its rename to people; dropped at contract"));
        assertTrue(!View.tandemComment("tandem bicycles") && !View.tandemComment(null));
        // a complex user view is refused; the same view marked as Tandem's own is not, and is not carried
        TandemException e = assertThrows(TandemException.class, () -> plan(RETYPE, ViewGuardTest.complex("compat", false)));
        assertTrue(e.getMessage().contains("view reports.compat reads public.users.full_name"), e.getMessage());
        MigrationPlan p = plan(RETYPE, tandemView("compat"));
        assertTrue(java.util.Arrays.stream(Phase.values()).flatMap(ph -> p.phase(ph).steps().stream()).noneMatch(s -> s.description().contains("compat")));
        assertThrows(TandemException.class, () -> plan("""
                changes:
                  - drop_table: {table: users}
                """, ViewGuardTest.simple("names")));
        plan("""
                changes:
                  - drop_table: {table: users}
                """, tandemView("compat"));
    }

    @Test
    void retypeCarriesASimpleViewAndRefusesAViewOverIt() throws IOException {
        View names = ViewGuardTest.simple("names");
        MigrationPlan p = plan(RETYPE, names);
        List<Step> carrying = java.util.Arrays.stream(Phase.values()).flatMap(ph -> p.phase(ph).steps().stream())
                .filter(s -> s.description().contains("view public.names dropped and created again")).toList();
        assertEquals(1, carrying.size(), "one step carries the view");
        assertTrue(carrying.get(0).sql().contains("DROP VIEW \"public\".\"names\""), carrying.get(0).sql());
        assertTrue(String.join("\n", carrying.get(0).rollbackStatements()).contains("CREATE VIEW \"public\".\"names\" AS SELECT id,"),
                "the undo creates it again from its definition: " + carrying.get(0).rollbackStatements());

        TandemException e = assertThrows(TandemException.class, () -> plan(RETYPE, names, over("report", names)));
        assertTrue(e.getMessage().contains("view public.report reads view public.names, which reads public.users.full_name"), e.getMessage());
        assertEquals(TandemException.BAD_INPUT, e.exitCode());
        // a rename keeps the view's shape: the view over it is no obstacle
        plan("""
                changes:
                  - rename_column: {table: users, column: full_name, to: display_name}
                """, names, over("report", names));
        // dropped by a sql step of the migration: no refusal
        plan("""
                changes:
                  - sql: {phase: expand, up: "DROP VIEW report", down: "CREATE VIEW report AS SELECT name FROM public.names"}
                  - change_column_type: {table: users, column: full_name, type: varchar(100)}
                """, names, over("report", names));
    }

    @Test
    void splitCarriesASimpleViewAtContract() throws IOException {
        MigrationPlan p = plan("""
                changes:
                  - split_column:
                      table: users
                      column: full_name
                      into:
                        - {name: first_name, type: text, up: "split_part(full_name, ' ', 1)"}
                        - {name: last_name, type: text, up: "split_part(full_name, ' ', 2)"}
                      down: "concat_ws(' ', first_name, last_name)"
                """, ViewGuardTest.simple("names"));
        Step first = p.phase(Phase.CONTRACT).steps().get(0);
        assertTrue(first.description().startsWith("re-point view public.names"), first.description());
        assertTrue(first.sql().contains("CAST((concat_ws(' ', first_name, last_name)) AS text) AS \"name\""), first.sql());
    }

    @Test
    void aSplitViewReadsTheNewColumnsInTheProjectedCatalog() throws IOException {
        Planner planner = new Planner(PlanOptions.defaults());
        Migration split = migration("0001_split", """
                changes:
                  - split_column:
                      table: users
                      column: full_name
                      into:
                        - {name: first_name, type: text, up: "split_part(full_name, ' ', 1)"}
                        - {name: last_name, type: text, up: "split_part(full_name, ' ', 2)"}
                      down: "concat_ws(' ', first_name, last_name)"
                """);
        var after = planner.project(split, ViewGuardTest.catalog(ViewGuardTest.simple("names")));
        View names = after.views().get(new QualifiedName("public", "names"));
        assertTrue(names.reads(USERS, "first_name") && names.reads(USERS, "last_name") && !names.reads(USERS, "full_name"), names.toString());
        assertTrue(!names.simple(), "an output column is an expression now");
        // so a later drop of a new column is refused naming the view, instead of failing at purge
        TandemException e = assertThrows(TandemException.class, () -> planner.plan(migration("0002_drop", """
                changes:
                  - drop_column: {table: users, column: last_name}
                """), Optional.of(after)));
        assertTrue(e.getMessage().contains("view public.names reads public.users.last_name"), e.getMessage());
    }

    @Test
    void dropColumnRefusesAnyViewUnlessASqlStepDropsIt() throws IOException {
        TandemException e = assertThrows(TandemException.class, () -> plan("""
                changes:
                  - drop_column: {table: users, column: full_name}
                """, ViewGuardTest.simple("names")));
        assertTrue(e.getMessage().contains("view public.names reads public.users.full_name"), e.getMessage());
        plan("""
                changes:
                  - sql: {phase: expand, up: "DROP VIEW names", down: "SELECT 1"}
                  - drop_column: {table: users, column: full_name}
                """, ViewGuardTest.simple("names"));
    }
}
