package dev.tandem.fleet;

import static dev.tandem.fleet.FleetFixture.ID;
import static dev.tandem.fleet.FleetFixture.byTarget;
import static dev.tandem.fleet.FleetFixture.fleet;
import static dev.tandem.fleet.FleetFixture.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.fleet.FleetFixture.Db1;
import dev.tandem.sql.Ident;
import dev.tandem.testing.Cli;
import dev.tandem.testing.Db;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Timestamp;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One migration rolled out over 12 databases on two PostgreSQL servers, canary first, then two
 * waves: a target whose table is held by an ACCESS EXCLUSIVE lock exits 3 while the rest of its
 * wave finishes, later waves wait for it unless --continue-on-error, the next run resumes it;
 * {@code fleet status} JSON counts targets per phase and shows the last error; contract refuses
 * on the one target whose old shape is still written and goes on elsewhere; rollback by phase is
 * idempotent across re-runs.
 */
class FleetRolloutTest {
    static final int ROWS = 300;

    @TempDir
    Path tmp;

    @Test
    @SuppressWarnings("unchecked")
    void canaryThenWavesLockedTargetResumesStatusContractAndRollback() throws Exception {
        List<Db1> dbs = FleetFixture.databases("fleet_rollout", 6, 6, ROWS);
        // canary a1; wave 2: a2..a6 + b1; wave 3: b2..b6 — both servers in the later waves
        List<String> w2 = List.of("a2", "a3", "a4", "a5", "a6", "b1");
        List<String> w3 = List.of("b2", "b3", "b4", "b5", "b6");
        Path file = FleetFixture.fleetFile(tmp, dbs, List.of(List.of("a1"), w2, w3));
        Path cl = FleetFixture.changelog(tmp);
        Db1 any = dbs.get(0);
        Db1 held = dbs.stream().filter(d -> d.name().equals("a4")).findFirst().orElseThrow();

        Cli.Result plan = fleet(file, any, "plan", cl.toString(), "--format", "json");
        assertEquals(0, plan.code(), plan.describe());
        Map<String, Object> planDoc = json(plan);
        assertEquals(12, ((List<?>) planDoc.get("targets")).size());
        assertEquals(Map.of("none", 12L), toLongs(((Map<String, Object>) planDoc.get("migrations")).get(ID)), planDoc.toString());
        Cli.Result planText = fleet(file, any, "plan", cl.toString());
        assertTrue(planText.out().contains(ID), planText.describe());

        try (Connection locker = held.connect()) {
            locker.setAutoCommit(false);
            Db.exec(locker, "LOCK TABLE accounts IN ACCESS EXCLUSIVE MODE");

            Cli.Result first = fleet(file, any, "apply", cl.toString(), "--parallel", "3", "--lock-timeout", "100", "--format", "json");
            assertEquals(3, first.code(), first.describe());
            Map<String, Map<String, Object>> t = byTarget(json(first));
            assertEquals("ok", t.get("a1").get("status"));
            assertEquals("locked", t.get("a4").get("status"), first.describe());
            assertEquals(3L, ((Number) t.get("a4").get("exit_code")).longValue());
            for (String n : w2) {
                if (!n.equals("a4")) {
                    assertEquals("ok", t.get(n).get("status"), n + ": " + first.describe());
                }
            }
            for (String n : w3) {
                assertEquals("skipped", t.get(n).get("status"), "wave 3 waits for wave 2: " + first.describe());
                assertEquals("none", FleetFixture.phaseOf(byName(dbs, n)));
            }
            assertEquals(2L, ((Number) json(first).get("stopped_after_wave")).longValue());
            // the canary finished before any target of wave 2 started
            Timestamp canaryDone = at(byName(dbs, "a1"), "max", "apply-done");
            for (String n : w2) {
                if (!n.equals("a4")) {
                    Timestamp started = at(byName(dbs, n), "min", "apply-start");
                    assertTrue(started.after(canaryDone), n + " started " + started + " before the canary was done " + canaryDone);
                }
            }

            // --continue-on-error: wave 3 runs although a4 is still held
            Cli.Result second = fleet(file, any, "apply", cl.toString(), "--parallel", "4", "--lock-timeout", "100",
                    "--continue-on-error", "--format", "json");
            assertEquals(3, second.code(), second.describe());
            Map<String, Map<String, Object>> t2 = byTarget(json(second));
            for (String n : w3) {
                assertEquals("ok", t2.get(n).get("status"), n + ": " + second.describe());
            }
            assertTrue(String.valueOf(t2.get("a1").get("message")).contains("already at backfill"), second.describe());

            // status shows the held target's last error and counts targets per phase
            Cli.Result status = fleet(file, any, "status", cl.toString(), "--format", "json");
            assertEquals(0, status.code(), status.describe());
            Map<String, Object> sdoc = json(status);
            Map<String, Object> a4 = (Map<String, Object>) byTarget(sdoc).get("a4").get("result");
            assertNotNull(a4.get("last_error"), sdoc.toString());
            assertTrue(String.valueOf(((Map<String, Object>) a4.get("last_error")).get("detail")).contains("apply exit 3"), sdoc.toString());
            assertNull(((Map<String, Object>) byTarget(sdoc).get("a1").get("result")).get("last_error"));
            Map<String, Long> counts = toLongs(((Map<String, Object>) sdoc.get("migrations")).get(ID));
            assertEquals(11L, counts.get("backfill"), counts.toString());
            assertEquals(12L, counts.values().stream().mapToLong(Long::longValue).sum(), counts.toString());
            Cli.Result statusText = fleet(file, any, "status", cl.toString());
            assertTrue(statusText.out().contains("11 at backfill"), statusText.describe());
            assertTrue(statusText.out().contains("apply exit 3"), statusText.describe());
            locker.rollback();
        }

        // released: the next run resumes exactly a4; the others are already done
        Cli.Result third = fleet(file, any, "apply", cl.toString(), "--parallel", "4", "--format", "json");
        assertEquals(0, third.code(), third.describe());
        Map<String, Map<String, Object>> t3 = byTarget(json(third));
        assertTrue(String.valueOf(t3.get("a4").get("message")).contains("backfill applied"), third.describe());
        t3.forEach((n, row) -> {
            if (!n.equals("a4")) {
                assertTrue(String.valueOf(row.get("message")).contains("already at backfill"), n + ": " + row);
            }
        });
        for (Db1 d : dbs) {
            assertEquals("backfill/in-progress", FleetFixture.phaseOf(d), d.name());
            assertEquals(0, FleetFixture.mismatches(d), d.name());
            assertEquals(ROWS, FleetFixture.rows(d), d.name());
        }
        Map<String, Object> after = json(fleet(file, any, "status", cl.toString(), "--format", "json"));
        assertEquals(Map.of("backfill", 12L), toLongs(((Map<String, Object>) after.get("migrations")).get(ID)), after.toString());
        assertNull(((Map<String, Object>) byTarget(after).get("a4").get("result")).get("last_error"), "a success clears the last error");

        Cli.Result sr = fleet(file, any, "switch-reads", ID, "--parallel", "4", "--format", "json");
        json(sr); // parseable, like every fleet command's JSON
        assertEquals(0, sr.code(), sr.describe());

        // an old application instance still writes the old column on b3: its contract refuses, the others go on
        Db1 old = byName(dbs, "b3");
        try (Connection c = old.connect()) {
            Db.exec(c, "UPDATE accounts SET full_name = 'old app' WHERE id = 1");
        }
        Cli.Result noYes = fleet(file, any, "contract", ID, "--quiet-period", "60s");
        assertEquals(2, noYes.code(), "contract needs --yes off a terminal: " + noYes.describe());
        Cli.Result contract = fleet(file, any, "contract", ID, "--yes", "--quiet-period", "60s", "--parallel", "4", "--format", "json");
        assertEquals(4, contract.code(), contract.describe());
        Map<String, Map<String, Object>> tc = byTarget(json(contract));
        assertEquals("not-ready", tc.get("b3").get("status"), contract.describe());
        assertTrue(String.valueOf(tc.get("b3").get("message")).contains("the old shape was written"), contract.describe());
        assertEquals("switch-reads/in-progress", FleetFixture.phaseOf(old));
        for (Db1 d : dbs) {
            if (d != old) {
                assertEquals("ok", tc.get(d.name()).get("status"), d.name() + ": " + contract.describe());
                assertEquals("contract/contracted", FleetFixture.phaseOf(d), d.name());
            }
        }
        Map<String, Object> cs = json(fleet(file, any, "status", cl.toString(), "--format", "json"));
        Map<String, Long> ccounts = toLongs(((Map<String, Object>) cs.get("migrations")).get(ID));
        assertEquals(1L, ccounts.get("switch-reads"), ccounts.toString());
        assertEquals(11L, ccounts.entrySet().stream().filter(e -> e.getKey().startsWith("contract")).mapToLong(Map.Entry::getValue).sum(),
                ccounts.toString());

        // rollback by phase: the not-ready target is already there; a re-run undoes nothing more
        Cli.Result back = fleet(file, any, "rollback", ID, "--to", "switch-reads", "--parallel", "4", "--format", "json");
        assertEquals(0, back.code(), back.describe());
        assertTrue(String.valueOf(byTarget(json(back)).get("b3").get("message")).contains("already at switch-reads"), back.describe());
        Cli.Result bare = fleet(file, any, "rollback", ID);
        assertEquals(2, bare.code(), "a bare rollback is not idempotent, so the fleet refuses it: " + bare.describe());
        Cli.Result all = fleet(file, any, "rollback", ID, "--all", "--parallel", "4");
        assertEquals(0, all.code(), all.describe());
        Cli.Result again = fleet(file, any, "rollback", ID, "--all", "--parallel", "4", "--format", "json");
        assertEquals(0, again.code(), again.describe());
        for (Db1 d : dbs) {
            assertEquals(-1, FleetFixture.mismatches(d), d.name() + " has no display_name after rollback --all");
            assertEquals(ROWS, FleetFixture.rows(d), d.name());
            try (Connection c = d.connect()) {
                long expectedChanged = d == old ? 1 : 0;
                assertEquals(expectedChanged, Db.count(c, "SELECT count(*) FROM accounts WHERE full_name <> 'name ' || id"), d.name());
            }
        }
    }

    @Test
    void badFleetInputExitsTwoAndChangesNothing() throws Exception {
        List<Db1> dbs = FleetFixture.databases("fleet_bad", 1, 1, 10);
        Path cl = FleetFixture.changelog(tmp);
        Path file = tmp.resolve("bad.yaml");
        java.nio.file.Files.writeString(file, "targets:\n  - {name: a, url: \"postgresql://postgres:topsecret@localhost:1/x\"}\n");
        Cli.Result r = Cli.run("fleet", "apply", cl.toString(), "--fleet", file.toString());
        assertEquals(2, r.code(), r.describe());
        assertFalse(r.all().contains("topsecret"), r.describe());
        assertTrue(r.all().contains(file + ":2:"), r.describe());
        Path good = FleetFixture.fleetFile(tmp, dbs, List.of());
        Cli.Result url = Cli.run("fleet", "apply", cl.toString(), "--fleet", good.toString(), "--url", dbs.get(0).url());
        assertEquals(2, url.code(), url.describe());
        Cli.Result budget = fleet(good, dbs.get(0), "apply", cl.toString(), "--max-failures", "1");
        assertEquals(2, budget.code(), "--max-failures needs --continue-on-error: " + budget.describe());
        for (Db1 d : dbs) {
            assertEquals("none", FleetFixture.phaseOf(d));
        }
    }

    private static Db1 byName(List<Db1> dbs, String name) {
        return dbs.stream().filter(d -> d.name().equals(name)).findFirst().orElseThrow();
    }

    /** The earliest/latest history time of an action on a target. */
    private static Timestamp at(Db1 d, String agg, String action) throws Exception {
        try (Connection c = d.connect()) {
            return (Timestamp) Db.scalar(c, "SELECT " + agg + "(at) FROM " + Ident.quote(d.stateSchema()) + ".history WHERE action = "
                    + Ident.literal(action));
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Long> toLongs(Object o) {
        Map<String, Long> out = new java.util.TreeMap<>();
        ((Map<String, Object>) o).forEach((k, v) -> out.put(k, ((Number) v).longValue()));
        return out;
    }

    static Stream<String> names(List<Db1> dbs) {
        return dbs.stream().map(Db1::name);
    }
}
