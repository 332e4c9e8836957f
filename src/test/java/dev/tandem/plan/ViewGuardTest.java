package dev.tandem.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.TandemException;
import dev.tandem.catalog.CatalogSnapshot;
import dev.tandem.catalog.Column;
import dev.tandem.catalog.Constraint;
import dev.tandem.catalog.Table;
import dev.tandem.catalog.View;
import dev.tandem.intent.ChangelogReader;
import dev.tandem.intent.Migration;
import dev.tandem.sql.QualifiedName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ViewGuard and the view carry of rename_column, planned without a database. */
class ViewGuardTest {
    @TempDir
    Path dir;

    static final QualifiedName USERS = new QualifiedName("public", "users");

    Migration migration(String id, String yaml) throws IOException {
        Path f = dir.resolve(id + ".yaml");
        Files.writeString(f, yaml);
        return ChangelogReader.readFile(f);
    }

    static CatalogSnapshot catalog(View... views) {
        Table users = new Table(USERS, "r", List.of(
                new Column("id", 1, "integer", true, Optional.empty(), "", "", Optional.empty(), Optional.empty()),
                new Column("full_name", 2, "text", false, Optional.empty(), "", "", Optional.empty(), Optional.empty())),
                List.of(new Constraint("users_pkey", "p", "PRIMARY KEY (id)", true, List.of("id"), "", List.of())),
                List.of(), List.of(), "", 10, Optional.empty());
        Map<QualifiedName, View> vs = new java.util.TreeMap<>();
        for (View v : views) {
            vs.put(v.name(), v);
        }
        return new CatalogSnapshot(170000, Map.of(USERS, users), vs);
    }

    static View simple(String name) {
        return new View(new QualifiedName("public", name), false, " SELECT id,\n    full_name AS name\n   FROM public.users;",
                List.of("id", "name"), List.of(new View.Read(USERS, "id"), new View.Read(USERS, "full_name")),
                Optional.of(USERS), List.of("id", "full_name"));
    }

    static View complex(String name, boolean materialized) {
        return new View(new QualifiedName("reports", name), materialized, " SELECT upper(full_name) AS u FROM public.users;",
                List.of("u"), List.of(new View.Read(USERS, "full_name")), Optional.empty(), List.of());
    }

    @Test
    void sqlStepsThatDropOrReplaceViewsAreRecognised() throws IOException {
        Migration m = migration("0001_x", """
                changes:
                  - sql: {phase: expand, up: 'drop view if exists a, reports."B c" cascade; CREATE OR REPLACE VIEW "Q".v2 (x) AS SELECT 1', down: "SELECT 1"}
                  - sql: {phase: contract, up: "DROP MATERIALIZED VIEW m", down: "SELECT 1"}
                  - sql: {phase: expand, up: "CREATE VIEW not_replaced AS SELECT 1", down: "SELECT 1"}
                """);
        assertEquals(Set.of(new QualifiedName("public", "a"), new QualifiedName("reports", "B c"), new QualifiedName("Q", "v2"),
                new QualifiedName("public", "m")), ViewGuard.handledBySql(m, "public"));
    }

    @Test
    void renameCarriesASimpleViewWithAnExactUndo() throws IOException {
        MigrationPlan plan = new Planner(PlanOptions.defaults()).plan(migration("0001_rename", """
                changes:
                  - rename_column: {table: users, column: full_name, to: display_name}
                """), Optional.of(catalog(simple("names"))));
        Step step = plan.phase(Phase.CONTRACT).steps().get(0);
        assertEquals("CREATE OR REPLACE VIEW \"public\".\"names\" AS SELECT \"id\" AS \"id\", \"display_name\" AS \"name\""
                + " FROM \"public\".\"users\"", step.sql());
        assertEquals(List.of("CREATE OR REPLACE VIEW \"public\".\"names\" AS SELECT id,\n    full_name AS name\n   FROM public.users"),
                step.rollbackStatements());
    }

    @Test
    void viewsThatCannotBeCarriedAreRefusedNamingThem() throws IOException {
        Planner planner = new Planner(PlanOptions.defaults());
        TandemException e = assertThrows(TandemException.class, () -> planner.plan(migration("0001_rename", """
                changes:
                  - rename_column: {table: users, column: full_name, to: display_name}
                """), Optional.of(catalog(simple("names"), complex("shouting", false)))));
        assertTrue(e.getMessage().contains("view reports.shouting reads public.users.full_name; it is not a simple view"), e.getMessage());
        assertTrue(e.getMessage().contains("0001_rename.yaml:2:"), e.getMessage());
        assertEquals(2, e.exitCode());

        e = assertThrows(TandemException.class, () -> planner.plan(migration("0002_drop", """
                changes:
                  - drop_column: {table: users, column: full_name}
                """), Optional.of(catalog(complex("cached", true)))));
        assertTrue(e.getMessage().contains("materialized view reports.cached reads public.users.full_name"), e.getMessage());

        // a drop in the same migration counts, whatever the phase
        planner.plan(migration("0003_drop", """
                changes:
                  - drop_column: {table: users, column: full_name}
                  - sql: {phase: contract, up: "DROP MATERIALIZED VIEW reports.cached", down: "SELECT 1"}
                """), Optional.of(catalog(complex("cached", true))));
    }
}
