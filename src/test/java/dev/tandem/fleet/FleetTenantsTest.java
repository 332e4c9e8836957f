package dev.tandem.fleet;

import static dev.tandem.fleet.FleetFixture.byTarget;
import static dev.tandem.fleet.FleetFixture.fleet;
import static dev.tandem.fleet.FleetFixture.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.fleet.FleetFixture.Db1;
import dev.tandem.testing.Cli;
import dev.tandem.testing.Db;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Schema-per-tenant: six tenant schemas of one database are six targets. Each keeps its own state
 * schema ({@code tandem_<schema>}) and so its own advisory lock: another Tandem working on one
 * tenant makes that tenant exit 3 while the other five migrate in parallel, and the single-database
 * commands see each tenant with {@code --schema T --state-schema tandem_T}.
 */
class FleetTenantsTest {
    @TempDir
    Path tmp;

    @Test
    void tenantsRunInParallelEachWithItsOwnLock() throws Exception {
        List<Db1> tenants = FleetFixture.tenants("fleet_tenants", 6, 200);
        Path file = FleetFixture.fleetFile(tmp, tenants, List.of());
        Path cl = FleetFixture.changelog(tmp);
        Db1 busy = tenants.get(2);
        try (Connection other = busy.connect()) {
            // another Tandem works on tenant t3 (the lock a single-database `tandem apply --state-schema tandem_t3` takes)
            dev.tandem.execute.AdvisoryLock.acquire(other, busy.stateSchema());
            Cli.Result r = fleet(file, busy, "apply", cl.toString(), "--parallel", "3", "--format", "json");
            assertEquals(3, r.code(), r.describe());
            Map<String, Map<String, Object>> t = byTarget(json(r));
            assertEquals("locked", t.get("t3").get("status"), r.describe());
            assertTrue(String.valueOf(t.get("t3").get("message")).contains("another Tandem is working"), r.describe());
            for (Db1 d : tenants) {
                if (d != busy) {
                    assertEquals("ok", t.get(d.name()).get("status"), d.name() + ": " + r.describe());
                    assertEquals("backfill/in-progress", FleetFixture.phaseOf(d), d.name());
                    assertEquals(0, FleetFixture.mismatches(d), d.name());
                    assertEquals("tandem_" + d.name(), t.get(d.name()).get("state_schema"));
                }
            }
            assertEquals("none", FleetFixture.phaseOf(busy));
            assertEquals(-1, FleetFixture.mismatches(busy), "nothing changed in the busy tenant");
        }
        Cli.Result resumed = fleet(file, busy, "apply", cl.toString(), "--parallel", "3");
        assertEquals(0, resumed.code(), resumed.describe());
        assertEquals("backfill/in-progress", FleetFixture.phaseOf(busy));
        // the single-database status of one tenant reads the same state
        Cli.Result one = Cli.run("status", cl.toString(), "--format", "json", "--url", busy.url(), "--user", busy.user(),
                "--schema", "t3", "--state-schema", "tandem_t3");
        assertEquals(0, one.code(), one.describe());
        assertTrue(one.out().contains("\"phase\": \"backfill\""), one.describe());
        try (Connection c = busy.connect()) {
            assertEquals(6, Db.count(c, "SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'tandem\\_t%'"));
        }
    }
}
