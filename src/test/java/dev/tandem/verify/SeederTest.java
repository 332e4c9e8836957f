package dev.tandem.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.sql.QualifiedName;
import dev.tandem.testing.Db;
import dev.tandem.testing.SampleSchema;
import dev.tandem.testing.TestDatabase;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The synthetic seed on the sample schema and on tables whose constraints it cannot satisfy. */
class SeederTest {
    private static QualifiedName t(String name) {
        return new QualifiedName("public", name);
    }

    @Test
    void seedsParentsFirstAndRespectsKeysAndChecks() throws Exception {
        TestDatabase db = TestDatabase.create("seeder");
        try (Connection c = db.connect()) {
            SampleSchema.load(c);
            List<String> warnings = new ArrayList<>();
            Map<QualifiedName, Long> rows = new Seeder(c, 150, warnings::add)
                    .seed(List.of(t("comment_reactions"), t("user_profiles"), t("project_members")));
            for (String table : List.of("users", "projects", "tasks", "comments", "comment_reactions", "user_profiles",
                    "project_members")) {
                assertTrue(rows.getOrDefault(t(table), 0L) > 0, table + " seeded: " + rows + " " + warnings);
                assertEquals((long) rows.get(t(table)), Db.count(c, "SELECT count(*) FROM public." + table), table);
            }
            assertEquals(150L, rows.get(t("users")));
            List<QualifiedName> order = new ArrayList<>(rows.keySet());
            assertTrue(order.indexOf(t("users")) < order.indexOf(t("projects")), order.toString());
            assertTrue(order.indexOf(t("tasks")) < order.indexOf(t("comments")), order.toString());
            assertTrue(order.indexOf(t("comments")) < order.indexOf(t("comment_reactions")), order.toString());
            assertEquals(0, Db.count(c, "SELECT count(*) FROM public.tasks WHERE priority NOT BETWEEN 1 AND 5"));
            assertEquals(Db.count(c, "SELECT count(*) FROM public.users"), Db.count(c, "SELECT count(DISTINCT email) FROM public.users"));
            assertTrue(Db.count(c, "SELECT count(*) FROM public.tasks WHERE assigned_to IS NULL") > 0, "nullable FKs sometimes NULL");
            assertTrue(Db.count(c, "SELECT count(*) FROM public.users WHERE full_name LIKE '%O''Brien%'") > 0, "quotes in text");
            assertTrue(Db.count(c, "SELECT count(DISTINCT status) FROM public.tasks") > 1, "enum values vary");
        }
    }

    @Test
    void constraintsItCannotSatisfyGiveWarningsNotFailures() throws Exception {
        TestDatabase db = TestDatabase.create("seeder_odd");
        try (Connection c = db.connect()) {
            Db.exec(c, "CREATE TABLE public.odd (id integer PRIMARY KEY, code text NOT NULL CONSTRAINT odd_code_check"
                    + " CHECK (code = 'exactly-this'))");
            Db.exec(c, "CREATE TABLE public.shapes (id integer PRIMARY KEY, centre point NOT NULL)");
            Db.exec(c, "CREATE TABLE public.half (id integer PRIMARY KEY, n integer NOT NULL CHECK (n % 2 = 0))");
            List<String> warnings = new ArrayList<>();
            Map<QualifiedName, Long> rows = new Seeder(c, 100, warnings::add).seed(List.of(t("odd"), t("shapes"), t("half")));
            assertEquals(0L, rows.get(t("odd")));
            assertTrue(warnings.stream().anyMatch(w -> w.contains("seeded 0 of 100 rows into public.odd")
                    && w.contains("odd_code_check")), warnings.toString());
            assertTrue(warnings.stream().anyMatch(w -> w.contains("could not seed public.shapes")
                    && w.contains("cannot generate values of type point for NOT NULL column centre")), warnings.toString());
            assertTrue(rows.get(t("half")) > 0 && rows.get(t("half")) < 100, "rows failing the check are filtered: " + rows);
            assertEquals(0, Db.count(c, "SELECT count(*) FROM public.shapes"));
        }
    }
}
