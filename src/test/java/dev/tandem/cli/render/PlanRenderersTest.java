package dev.tandem.cli.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.plan.BackfillSpec;
import dev.tandem.plan.LockLevel;
import dev.tandem.plan.MigrationPlan;
import dev.tandem.plan.Phase;
import dev.tandem.plan.PhasePlan;
import dev.tandem.plan.PlanCodec;
import dev.tandem.plan.Step;
import dev.tandem.sql.QualifiedName;
import dev.tandem.util.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PlanRenderersTest {
    /** SQL with a pipe, both quote kinds, backticks, line breaks and a trailing line comment. */
    static final String HOSTILE_SQL = "UPDATE \"public\".\"users\" SET \"bio\" = 'a | b ''quoted'' \"x\" ```'\n"
            + "  WHERE \"note\" <> 'line\nbreak' -- trailing | comment";
    static final String HOSTILE_DESCRIPTION = "fix a | b \"quoted\" *bold* <b>html</b>\nDROP TABLE users; \u001b[31mred";

    static final Step ADD_COLUMN = Step.ddl("add column display_name",
            "ALTER TABLE \"public\".\"users\" ADD COLUMN \"display_name\" text",
            "ALTER TABLE \"public\".\"users\" DROP COLUMN \"display_name\"", LockLevel.ACCESS_EXCLUSIVE, "public.users");
    static final Step SYNC_FUNCTION = Step.ddl("create sync function", "CREATE FUNCTION \"public\".\"sync\"() RETURNS trigger AS $$\n"
            + "BEGIN\n  NEW.\"display_name\" := NEW.\"full_name\";\n  RETURN NEW;\nEND\n$$ LANGUAGE plpgsql",
            "DROP FUNCTION \"public\".\"sync\"()", LockLevel.NONE, null);
    static final Step INDEX = new Step("build index concurrently",
            "CREATE INDEX CONCURRENTLY \"users_display_name_idx\" ON \"public\".\"users\" (\"display_name\")",
            List.of("DROP INDEX CONCURRENTLY \"public\".\"users_display_name_idx\""), LockLevel.SHARE_UPDATE_EXCLUSIVE,
            "public.users", false, true, false, Optional.empty());
    static final Step BACKFILL = new Step("backfill display_name",
            "UPDATE \"public\".\"users\" SET \"display_name\" = \"full_name\" WHERE \"display_name\" IS DISTINCT FROM \"full_name\"",
            List.of(), LockLevel.ROW_EXCLUSIVE, "public.users", false, true, true,
            Optional.of(new BackfillSpec(new QualifiedName("public", "users"), List.of("id"),
                    List.of(new BackfillSpec.Assignment("display_name", "\"full_name\"")))));
    static final Step HOSTILE = new Step(HOSTILE_DESCRIPTION, HOSTILE_SQL,
            List.of("SELECT 'undo | it'", "SELECT 2"), LockLevel.ACCESS_EXCLUSIVE, "public.users", true, true, true,
            Optional.empty());
    static final Step HIDE_OLD = Step.ddl("hide old column", "ALTER TABLE \"public\".\"users\" RENAME \"full_name\" TO \"__old\"",
            "ALTER TABLE \"public\".\"users\" RENAME \"__old\" TO \"full_name\"", LockLevel.ACCESS_EXCLUSIVE, "public.users");
    static final Step PURGE = Step.ddl("drop old column", "ALTER TABLE \"public\".\"users\" DROP COLUMN \"__old\"", null,
            LockLevel.ACCESS_EXCLUSIVE, "public.users");

    static MigrationPlan first() {
        return new MigrationPlan("0001_rename_full_name", "Rename users.full_name to display_name", "c1", true,
                List.of(new PhasePlan(Phase.EXPAND, List.of(ADD_COLUMN, SYNC_FUNCTION, INDEX), ""),
                        new PhasePlan(Phase.DUAL_WRITE, List.of(), ""),
                        new PhasePlan(Phase.BACKFILL, List.of(BACKFILL), "nothing to deploy"),
                        new PhasePlan(Phase.SWITCH_READS, List.of(HOSTILE), "deploy the version reading display_name"),
                        new PhasePlan(Phase.CONTRACT, List.of(HIDE_OLD), "")),
                List.of(PURGE), Set.of("public.users.full_name", "public.users.display_name"),
                List.of("trigger \"audit\" fires during backfill | careful"));
    }

    static MigrationPlan second() {
        List<PhasePlan> phases = new ArrayList<>();
        for (Phase p : Phase.values()) {
            phases.add(new PhasePlan(p, p == Phase.EXPAND
                    ? List.of(Step.ddl("add table", "CREATE TABLE \"public\".\"t\" (id bigint)", "DROP TABLE \"public\".\"t\"",
                            LockLevel.NONE, null))
                    : List.of(), ""));
        }
        return new MigrationPlan("0002_add_table", "Add | table", "c2", false, phases, List.of(), Set.of(), List.of());
    }

    static List<MigrationPlan> plans() {
        return List.of(first(), second());
    }

    static String render(Format f) {
        String out = PlanRenderers.forFormat(f).render(plans());
        assertTrue(out.endsWith("\n"), f + " ends with a newline");
        return out;
    }

    // ------------------------------------------------------------------ JSON

    @Test
    @SuppressWarnings("unchecked")
    void jsonHasTheContractShape() {
        Map<String, Object> doc = (Map<String, Object>) Json.parse(render(Format.JSON));
        assertEquals(List.of("migrations"), new ArrayList<>(doc.keySet()));
        List<Map<String, Object>> migrations = (List<Map<String, Object>>) doc.get("migrations");
        assertEquals(2, migrations.size());
        Map<String, Object> m = migrations.get(0);
        assertEquals("0001_rename_full_name", m.get("id"));
        List<Map<String, Object>> phases = (List<Map<String, Object>>) m.get("phases");
        assertEquals(List.of("expand", "dual-write", "backfill", "switch-reads", "contract"),
                phases.stream().map(p -> p.get("name")).toList());
        Map<String, Object> step = ((List<Map<String, Object>>) phases.get(0).get("steps")).get(0);
        for (String key : List.of("sql", "rollback", "lock", "table", "rewrite", "scan", "transactional")) {
            assertTrue(step.containsKey(key), key);
        }
        assertEquals(ADD_COLUMN.sql(), step.get("sql"));
        assertEquals(ADD_COLUMN.rollback(), step.get("rollback"));
        assertEquals("ACCESS EXCLUSIVE", step.get("lock"));
        assertEquals("public.users", step.get("table"));
        assertEquals(false, step.get("rewrite"));
        assertEquals(false, step.get("scan"));
        assertEquals(true, step.get("transactional"));
        Map<String, Object> hostile = ((List<Map<String, Object>>) phases.get(3).get("steps")).get(0);
        assertEquals(HOSTILE_SQL, hostile.get("sql"));
        assertEquals(HOSTILE_DESCRIPTION, hostile.get("description"));
        assertEquals(List.of(), phases.get(1).get("steps"));
        // each element is exactly PlanCodec's form, so it reads back into the same plan
        assertEquals(first(), PlanCodec.fromMap(m));
        assertEquals(second(), PlanCodec.fromMap(migrations.get(1)));
    }

    // ------------------------------------------------------------------ TEXT

    @Test
    void textShowsPhasesLocksAndFlags() {
        String text = render(Format.TEXT);
        assertInOrder(text, "0001_rename_full_name — Rename users.full_name to display_name",
                "(offline: types are placeholders; pass --url for the real statements)",
                "== expand ==", "== dual-write ==", "== backfill ==", "== switch-reads ==", "== contract ==",
                "0002_add_table — Add | table", "== expand ==", "== dual-write ==", "== backfill ==",
                "== switch-reads ==", "== contract ==");
        assertEquals(1, count(text, "(offline:"), "only the offline plan says so");
        assertTrue(text.contains("lock ACCESS EXCLUSIVE on public.users · brief · in transaction"), text);
        assertTrue(text.contains("lock SHARE UPDATE EXCLUSIVE on public.users · SCAN · outside transaction"), text);
        assertTrue(text.contains("lock ROW EXCLUSIVE on public.users · batched backfill keyed on (id) · SCAN · in transaction"), text);
        assertTrue(text.contains("SCAN · REWRITE"), text);
        assertTrue(text.contains("(nothing to do)"));
        assertTrue(text.contains("rollback: none needed"));
        assertTrue(text.contains("→ deploy the version reading display_name"));
        assertInOrder(text, "== dual-write ==\n  (nothing to do)\n\n== backfill ==");
        assertTrue(text.contains("purge"));
        assertTrue(text.contains("trigger \"audit\" fires during backfill | careful"));
        assertFalse(text.contains("\u001b"), "no escape sequences, from us or from hostile text");
        // SQL lines are shown verbatim (indented)
        for (String line : HOSTILE_SQL.split("\n")) {
            assertTrue(text.contains(line.strip()), line);
        }
    }

    // ------------------------------------------------------------------ SQL

    @Test
    void sqlTerminatesEveryStatementAndKeepsOnlyForwardSqlLive() {
        String sql = render(Format.SQL);
        // every live (non-comment) line belongs to a forward statement of a non-backfill phase step
        Set<String> allowed = new HashSet<>();
        for (MigrationPlan p : plans()) {
            for (PhasePlan ph : p.phases()) {
                for (Step s : ph.steps()) {
                    if (!s.isBackfill()) {
                        allowed.addAll(Arrays.asList(SqlPlanRenderer.terminate(s.sql()).split("\n")));
                    }
                }
            }
        }
        List<List<String>> statements = new ArrayList<>();
        List<String> current = new ArrayList<>();
        for (String line : sql.split("\n", -1)) {
            if (line.isEmpty() || line.startsWith("--")) {
                if (!current.isEmpty()) {
                    statements.add(current);
                    current = new ArrayList<>();
                }
                continue;
            }
            assertTrue(allowed.contains(line), "unexpected live SQL line: " + line);
            current.add(line);
        }
        assertTrue(current.isEmpty());
        assertEquals(6, statements.size(), "five forward statements of 0001 (not the backfill) and one of 0002");
        for (List<String> st : statements) {
            assertTrue(st.get(st.size() - 1).endsWith(";"), "terminated: " + st);
        }
        assertTrue(sql.contains(ADD_COLUMN.sql() + ";\n"));
        assertTrue(sql.contains(HOSTILE_SQL + "\n;\n"), "a trailing -- comment gets the semicolon on its own line");
        assertFalse(sql.contains(";;"));
    }

    @Test
    void sqlMarksPhasesBackfillsTransactionsAndPurge() {
        String sql = render(Format.SQL);
        assertInOrder(sql, "-- phase: expand", "-- phase: dual-write", "-- phase: backfill", "-- phase: switch-reads",
                "-- phase: contract", "-- phase: expand", "-- phase: dual-write");
        assertInOrder(sql, "-- lock ACCESS EXCLUSIVE on public.users", ADD_COLUMN.sql() + ";");
        assertInOrder(sql, "-- non-transactional", INDEX.sql() + ";");
        assertEquals(1, count(sql, "-- non-transactional"));
        assertInOrder(sql, "-- phase: backfill", "batches keyed on (id)", "-- " + BACKFILL.sql() + ";", "-- phase: switch-reads");
        assertInOrder(sql, "-- purge: IRREVERSIBLE", "-- " + PURGE.sql() + ";");
        // the hostile description is commented line by line
        assertTrue(sql.contains("-- 1. fix a | b \"quoted\" *bold* <b>html</b>\n-- DROP TABLE users;"), sql);
    }

    @Test
    void sqlRollsBackInReversePhaseAndStepOrder() {
        String sql = render(Format.SQL);
        String firstMigration = sql.substring(0, sql.indexOf("0002_add_table"));
        int forwardEnd = firstMigration.indexOf(HIDE_OLD.sql() + ";");
        assertInOrder(firstMigration.substring(forwardEnd),
                "-- rollback (reverse order)",
                "-- rollback (reverse order): contract", "-- " + HIDE_OLD.rollback() + ";",
                "-- rollback (reverse order): switch-reads", "-- SELECT 'undo | it';", "-- SELECT 2;",
                "-- rollback (reverse order): backfill",
                "-- rollback (reverse order): expand",
                "-- " + INDEX.rollback() + ";", "-- " + SYNC_FUNCTION.rollback() + ";", "-- " + ADD_COLUMN.rollback() + ";");
        assertFalse(firstMigration.contains("-- rollback (reverse order): dual-write"), "empty phases have nothing to undo");
    }

    // ------------------------------------------------------------------ MARKDOWN

    @Test
    void markdownHasHeadingsTablesFencesAndEscapedPipes() {
        String md = render(Format.MARKDOWN);
        assertInOrder(md, "## 0001_rename_full_name — Rename users.full_name to display_name",
                "### expand", "| # | step | lock | table | scan | rewrite | tx |", "```sql", "### dual-write",
                "### backfill", "### switch-reads", "### contract", "## 0002_add_table — Add \\| table");
        assertTrue(md.contains("| 3 | build index concurrently | SHARE UPDATE EXCLUSIVE | public.users | yes | no | no |"), md);
        assertTrue(md.contains("fix a \\| b"), "pipe escaped in the cell");
        assertTrue(md.contains("\\<b\\>html\\</b\\>"), "HTML escaped");
        for (String line : md.split("\n")) {
            if (line.startsWith("| ") && !line.startsWith("| #")) {
                assertEquals(8, unescapedPipes(line), "a table row keeps its 7 cells: " + line);
            }
        }
        // SQL holding ``` is fenced by a longer fence, so it cannot close the block
        assertTrue(md.contains("````sql\n"), md);
        assertTrue(md.contains(HOSTILE_SQL + "\n;"), "SQL inside fences is verbatim");
        assertTrue(md.contains("_Nothing to do._"));
    }

    // ------------------------------------------------------------------ misc

    @Test
    void everyFormatHasARendererAndHandlesNoPlans() {
        for (Format f : Format.values()) {
            PlanRenderer r = PlanRenderers.forFormat(f);
            assertNotNull(r);
            assertFalse(r.render(List.of()).isBlank());
        }
        assertEquals(Map.of("migrations", List.of()), Json.parse(PlanRenderers.forFormat(Format.JSON).render(List.of())));
        assertEquals(Format.MARKDOWN, Format.parse("md"));
        assertEquals(Format.JSON, Format.parse(" Json "));
        assertThrows(IllegalArgumentException.class, () -> Format.parse("yaml"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void statusRendersAlignedTextAndJson() {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("id", "0001_rename_full_name");
        a.put("phase", "backfill");
        a.put("status", "running");
        a.put("checksum_ok", true);
        a.put("applied_by", "alice");
        a.put("updated_at", Instant.parse("2024-05-01T10:00:00Z"));
        Map<String, Object> progress = new LinkedHashMap<>();
        progress.put("rows_done", 500L);
        progress.put("rows_total", 1000L);
        a.put("backfill", progress);
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("status", "pending");
        b.put("id", "0002_x");
        b.put("phase", null);
        b.put("checksum_ok", false);
        b.put("applied_by", null);
        b.put("updated_at", null);
        b.put("backfill", null);
        b.put("extra", "kept");

        String text = StatusRenderer.render(List.of(a, b), Format.TEXT);
        String[] lines = text.split("\n");
        assertEquals(3, lines.length);
        assertTrue(lines[0].startsWith("ID "));
        int phaseCol = lines[0].indexOf("PHASE");
        assertEquals(phaseCol, lines[1].indexOf("backfill"));
        assertEquals(phaseCol, lines[2].indexOf("-"));
        int checksumCol = lines[0].indexOf("CHECKSUM");
        assertEquals(checksumCol, lines[1].indexOf("ok"));
        assertEquals(checksumCol, lines[2].indexOf("CHANGED"));
        assertTrue(lines[1].contains("rows_done=500 rows_total=1000"));
        assertTrue(lines[1].contains("2024-05-01T10:00:00Z"));
        for (String line : lines) {
            assertEquals(line.stripTrailing(), line, "no trailing spaces");
        }

        Map<String, Object> doc = (Map<String, Object>) Json.parse(StatusRenderer.render(List.of(a, b), Format.JSON));
        List<Map<String, Object>> rows = (List<Map<String, Object>>) doc.get("migrations");
        assertEquals(List.of("id", "phase", "status", "checksum_ok", "applied_by", "updated_at", "backfill", "extra"),
                new ArrayList<>(rows.get(1).keySet()));
        assertEquals("0002_x", rows.get(1).get("id"));
        assertEquals(null, rows.get(1).get("phase"));
        assertEquals(false, rows.get(1).get("checksum_ok"));
        assertEquals("2024-05-01T10:00:00Z", rows.get(0).get("updated_at"));
        assertEquals(Map.of("rows_done", 500L, "rows_total", 1000L), rows.get(0).get("backfill"));

        assertTrue(StatusRenderer.render(List.of(a), Format.MARKDOWN).contains("| 0001_rename_full_name | backfill |"));
        assertThrows(IllegalArgumentException.class, () -> StatusRenderer.render(List.of(a), Format.SQL));
        assertEquals("no migrations\n", StatusRenderer.text(List.of()));
    }

    // ------------------------------------------------------------------ helpers

    private static void assertInOrder(String haystack, String... needles) {
        int from = 0;
        for (String n : needles) {
            int i = haystack.indexOf(n, from);
            assertTrue(i >= 0, "expected \"" + n + "\" after offset " + from + " in:\n" + haystack);
            from = i + n.length();
        }
    }

    private static int count(String haystack, String needle) {
        int n = 0;
        for (int i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }

    private static int unescapedPipes(String line) {
        int n = 0;
        for (int i = 0; i < line.length(); i++) {
            if (line.charAt(i) == '\\') {
                i++;
            } else if (line.charAt(i) == '|') {
                n++;
            }
        }
        return n;
    }
}
