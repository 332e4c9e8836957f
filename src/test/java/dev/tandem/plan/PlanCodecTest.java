package dev.tandem.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.sql.QualifiedName;
import dev.tandem.util.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PlanCodecTest {
    static final String HOSTILE = "it's \"quoted\" \\ back|slash; -- comment\n/* c */ $$ body $$ \t\u0000\u001b é 😀 \u2028 \ud800";

    static MigrationPlan samplePlan() {
        Step addColumn = Step.ddl("add column display_name",
                "ALTER TABLE \"public\".\"users\" ADD COLUMN \"display_name\" text",
                "ALTER TABLE \"public\".\"users\" DROP COLUMN \"display_name\"",
                LockLevel.ACCESS_EXCLUSIVE, "public.users");
        Step function = Step.ddl("create sync function", "CREATE FUNCTION f() RETURNS trigger AS $$\nBEGIN\n  RETURN NEW;\nEND;\n$$ LANGUAGE plpgsql",
                "DROP FUNCTION f()", LockLevel.NONE, null);
        Step index = new Step("build index", "CREATE INDEX CONCURRENTLY \"i\" ON \"public\".\"users\" (\"display_name\")",
                List.of("DROP INDEX CONCURRENTLY \"public\".\"i\""), LockLevel.SHARE_UPDATE_EXCLUSIVE, "public.users",
                false, true, false, Optional.empty());
        BackfillSpec spec = new BackfillSpec(new QualifiedName("my.schema", "odd.table \"x\""), List.of("id", "tenant id"),
                List.of(new BackfillSpec.Assignment("display_name", "\"full_name\""),
                        new BackfillSpec.Assignment("weird \"col\"", HOSTILE)));
        Step backfill = new Step("backfill display_name", "UPDATE \"my.schema\".\"odd.table \"\"x\"\"\" SET \"display_name\" = \"full_name\"",
                List.of(), LockLevel.ROW_EXCLUSIVE, "my.schema.odd.table \"x\"", false, true, true, Optional.of(spec));
        Step ctidBackfill = new Step("ctid backfill", "UPDATE t SET a = b", List.of(), LockLevel.ROW_EXCLUSIVE, "public.t",
                true, true, true, Optional.of(new BackfillSpec(new QualifiedName("public", "t"), List.of(),
                        List.of(new BackfillSpec.Assignment("a", "b")))));
        Step notNull = new Step(HOSTILE, HOSTILE,
                List.of("ALTER TABLE t ADD CONSTRAINT c CHECK (x IS NOT NULL) NOT VALID", "SELECT ';\n' AS tricky", HOSTILE),
                LockLevel.ACCESS_EXCLUSIVE, HOSTILE, true, false, true, Optional.empty()).withUndoBackfill(spec);
        Step purge = Step.ddl("drop old column", "ALTER TABLE \"public\".\"users\" DROP COLUMN \"__tandem_old_full_name\"",
                null, LockLevel.ACCESS_EXCLUSIVE, "public.users");
        List<PhasePlan> phases = List.of(
                new PhasePlan(Phase.EXPAND, List.of(addColumn, function, index), "nothing to deploy"),
                new PhasePlan(Phase.DUAL_WRITE, List.of(), ""),
                new PhasePlan(Phase.BACKFILL, List.of(backfill, ctidBackfill), null),
                new PhasePlan(Phase.SWITCH_READS, List.of(notNull), HOSTILE),
                new PhasePlan(Phase.CONTRACT, List.of(), "deploy the version that reads display_name"));
        return new MigrationPlan("0001_rename_full_name", "Rename " + HOSTILE, "sha256:abc", true, phases, List.of(purge),
                Set.of("public.users.full_name", "public.users.display_name", "a.b.c"), List.of("trigger audit fires", HOSTILE));
    }

    static MigrationPlan minimalPlan() {
        List<PhasePlan> phases = new ArrayList<>();
        for (Phase p : Phase.values()) {
            phases.add(new PhasePlan(p, List.of(), ""));
        }
        return new MigrationPlan("0002_empty", null, null, false, phases, List.of(), Set.of(), List.of());
    }

    @Test
    void roundTripsThroughMap() {
        MigrationPlan plan = samplePlan();
        assertEquals(plan, PlanCodec.fromMap(PlanCodec.toMap(plan)));
        assertEquals(minimalPlan(), PlanCodec.fromMap(PlanCodec.toMap(minimalPlan())));
    }

    @Test
    void roundTripsThroughJson() {
        for (MigrationPlan plan : List.of(samplePlan(), minimalPlan())) {
            String json = PlanCodec.toJson(plan);
            assertEquals(plan, PlanCodec.fromJson(json));
            assertEquals(plan, PlanCodec.fromJson(Json.pretty(PlanCodec.toMap(plan))));
            assertEquals(json, PlanCodec.toJson(PlanCodec.fromJson(json)), "stable output");
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void hasTheContractShape() {
        Map<String, Object> m = (Map<String, Object>) Json.parse(PlanCodec.toJson(samplePlan()));
        assertEquals(List.of("id", "description", "checksum", "offline", "phases", "purge", "touches", "warnings",
                "format_version"),
                new ArrayList<>(m.keySet()));
        assertEquals("0001_rename_full_name", m.get("id"));
        assertEquals(true, m.get("offline"));
        assertEquals(List.of("a.b.c", "public.users.display_name", "public.users.full_name"), m.get("touches"), "sorted");

        List<Map<String, Object>> phases = (List<Map<String, Object>>) m.get("phases");
        assertEquals(List.of("expand", "dual-write", "backfill", "switch-reads", "contract"),
                phases.stream().map(p -> p.get("name")).toList());
        assertEquals("nothing to deploy", phases.get(0).get("deploy_note"));
        assertEquals("", phases.get(2).get("deploy_note"));
        assertEquals(List.of(), phases.get(1).get("steps"));

        Map<String, Object> step = ((List<Map<String, Object>>) phases.get(0).get("steps")).get(0);
        assertEquals(List.of("description", "sql", "rollback", "rollback_statements", "lock", "table", "rewrite", "scan",
                "transactional", "backfill", "rollback_backfill", "irreversible"), new ArrayList<>(step.keySet()));
        assertEquals("ACCESS EXCLUSIVE", step.get("lock"));
        assertEquals("public.users", step.get("table"));
        assertEquals("ALTER TABLE \"public\".\"users\" DROP COLUMN \"display_name\"", step.get("rollback"));
        assertEquals(false, step.get("rewrite"));
        assertEquals(false, step.get("scan"));
        assertEquals(true, step.get("transactional"));
        assertNull(step.get("backfill"));
        assertTrue(step.containsKey("backfill"));

        Map<String, Object> function = ((List<Map<String, Object>>) phases.get(0).get("steps")).get(1);
        assertEquals("NONE", function.get("lock"));
        assertNull(function.get("table"));
        Map<String, Object> index = ((List<Map<String, Object>>) phases.get(0).get("steps")).get(2);
        assertEquals(false, index.get("transactional"));
        assertEquals("SHARE UPDATE EXCLUSIVE", index.get("lock"));

        Map<String, Object> backfillStep = ((List<Map<String, Object>>) phases.get(2).get("steps")).get(0);
        assertNull(backfillStep.get("rollback"), "no undo needed");
        assertEquals(List.of(), backfillStep.get("rollback_statements"));
        Map<String, Object> backfill = (Map<String, Object>) backfillStep.get("backfill");
        assertEquals(List.of("table", "schema", "name", "key_columns", "assignments"), new ArrayList<>(backfill.keySet()));
        assertEquals("my.schema.odd.table \"x\"", backfill.get("table"));
        assertEquals("my.schema", backfill.get("schema"));
        assertEquals("odd.table \"x\"", backfill.get("name"));
        assertEquals(List.of("id", "tenant id"), backfill.get("key_columns"));
        assertEquals(Map.of("column", "display_name", "expression", "\"full_name\""),
                ((List<Object>) backfill.get("assignments")).get(0));

        Map<String, Object> purge = ((List<Map<String, Object>>) m.get("purge")).get(0);
        assertNull(purge.get("rollback"));
    }

    @Test
    void multiStatementRollbackSurvivesExactly() {
        Step s = samplePlan().phase(Phase.SWITCH_READS).steps().get(0);
        Step back = PlanCodec.fromJson(PlanCodec.toJson(samplePlan())).phase(Phase.SWITCH_READS).steps().get(0);
        assertEquals(3, back.rollbackStatements().size());
        assertEquals(s.rollbackStatements(), back.rollbackStatements());
    }

    @Test
    @SuppressWarnings("unchecked")
    void readsASingleRollbackWhenStatementsAreAbsent() {
        Map<String, Object> m = PlanCodec.toMap(samplePlan());
        Map<String, Object> step = (Map<String, Object>) ((List<Object>) ((Map<String, Object>) ((List<Object>) m.get("phases")).get(0)).get("steps")).get(0);
        step.remove("rollback_statements");
        Step read = PlanCodec.fromMap(m).phase(Phase.EXPAND).steps().get(0);
        assertEquals(List.of("ALTER TABLE \"public\".\"users\" DROP COLUMN \"display_name\""), read.rollbackStatements());
    }

    @Test
    void ignoresUnknownKeys() {
        Map<String, Object> m = PlanCodec.toMap(samplePlan());
        m.put("future_field", List.of(1, 2));
        assertEquals(samplePlan(), PlanCodec.fromMap(m));
    }

    @Test
    @SuppressWarnings("unchecked")
    void rejectsMalformedDataWithAPath() {
        Map<String, Object> noId = PlanCodec.toMap(minimalPlan());
        noId.remove("id");
        assertMessage("missing key \"id\"", noId);

        Map<String, Object> badOffline = PlanCodec.toMap(minimalPlan());
        badOffline.put("offline", "false");
        assertMessage("plan.offline", badOffline);

        Map<String, Object> fourPhases = PlanCodec.toMap(minimalPlan());
        ((List<Object>) fourPhases.get("phases")).remove(4);
        assertMessage("expected 5 phases", fourPhases);

        Map<String, Object> swapped = PlanCodec.toMap(minimalPlan());
        List<Object> phases = (List<Object>) swapped.get("phases");
        phases.add(0, phases.remove(1));
        assertMessage("expected phase expand", swapped);

        Map<String, Object> unknownPhase = PlanCodec.toMap(minimalPlan());
        ((Map<String, Object>) ((List<Object>) unknownPhase.get("phases")).get(0)).put("name", "explode");
        assertMessage("unknown phase", unknownPhase);

        Map<String, Object> badLock = PlanCodec.toMap(samplePlan());
        stepOf(badLock, 0, 0).put("lock", "MEGA LOCK");
        assertMessage("phases[0].steps[0].lock", badLock);

        Map<String, Object> badBackfill = PlanCodec.toMap(samplePlan());
        ((Map<String, Object>) stepOf(badBackfill, 2, 0).get("backfill")).remove("schema");
        assertMessage("phases[2].steps[0].backfill: missing key \"schema\"", badBackfill);

        Map<String, Object> badTouches = PlanCodec.toMap(samplePlan());
        badTouches.put("touches", List.of(1));
        assertMessage("plan.touches[0]", badTouches);

        assertThrows(IllegalArgumentException.class, () -> PlanCodec.fromJson("[]"));
        assertThrows(IllegalArgumentException.class, () -> PlanCodec.fromJson("{\"id\": "));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> stepOf(Map<String, Object> plan, int phase, int step) {
        Map<String, Object> p = (Map<String, Object>) ((List<Object>) plan.get("phases")).get(phase);
        return (Map<String, Object>) ((List<Object>) p.get("steps")).get(step);
    }

    private static void assertMessage(String expected, Map<String, Object> data) {
        Map<String, Object> copy = new LinkedHashMap<>(data);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PlanCodec.fromMap(copy));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    @SuppressWarnings("unchecked")
    void versionsTheFormat() {
        Map<String, Object> m = (Map<String, Object>) Json.parse(PlanCodec.toJson(samplePlan()));
        assertEquals((long) PlanCodec.FORMAT_VERSION, m.get("format_version"));
        assertEquals(PlanCodec.FORMAT_VERSION, PlanCodec.formatVersion(m));

        Map<String, Object> unversioned = new java.util.LinkedHashMap<>(m);
        unversioned.remove("format_version");
        assertEquals(0, PlanCodec.formatVersion(unversioned));
        assertEquals(samplePlan(), PlanCodec.fromMap(unversioned), "a plan stored before versioning reads as version 1");

        Map<String, Object> future = new java.util.LinkedHashMap<>(m);
        future.put("format_version", (long) PlanCodec.FORMAT_VERSION + 1);
        PlanCodec.UnsupportedPlanFormatException e = org.junit.jupiter.api.Assertions.assertThrows(
                PlanCodec.UnsupportedPlanFormatException.class, () -> PlanCodec.fromMap(future));
        assertEquals(PlanCodec.FORMAT_VERSION + 1, e.version());

        for (Object bad : java.util.Arrays.asList("1", -1L, 1.5, null)) {
            Map<String, Object> b = new java.util.LinkedHashMap<>(m);
            b.put("format_version", bad);
            IllegalArgumentException x = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> PlanCodec.fromMap(b), String.valueOf(bad));
            org.junit.jupiter.api.Assertions.assertTrue(x.getMessage().contains("format_version"), x.getMessage());
        }
    }
}
