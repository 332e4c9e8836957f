package dev.tandem.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tandem.fleet.FleetFixture.Db1;
import dev.tandem.testing.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Not a test (surefire does not pick up {@code *Bench}): wall time of {@code tandem fleet apply}
 * of one rename_column migration over 100 tenant schemas of one database, with {@code --parallel 1}
 * and with {@code --parallel 4} (each on its own fresh database of 100 tenants).
 * Run: {@code mvn -o -q -B test -Dtest=FleetTenantsBench -Dsurefire.failIfNoSpecifiedTests=false}
 * ({@code -Dtandem.bench.tenants=N}, {@code -Dtandem.bench.rows=N} per tenant). Note the load
 * average with the figures: on a shared machine they say little.
 */
class FleetTenantsBench {
    static final int TENANTS = Integer.getInteger("tandem.bench.tenants", 100);
    static final int ROWS = Integer.getInteger("tandem.bench.rows", 1000);

    @TempDir
    Path tmp;

    @Test
    void parallelOneVersusFour() throws Exception {
        Path cl = FleetFixture.changelog(tmp);
        for (int parallel : new int[] {1, 4}) {
            Path dir = Files.createDirectories(tmp.resolve("p" + parallel));
            List<Db1> tenants = FleetFixture.tenants("fleet_bench_p" + parallel, TENANTS, ROWS);
            Path file = FleetFixture.fleetFile(dir, tenants, List.of());
            long t0 = System.nanoTime();
            Cli.Result r = FleetFixture.fleet(file, tenants.get(0), "apply", cl.toString(), "--parallel", String.valueOf(parallel));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(0, r.code(), r.describe());
            System.out.printf("fleet apply, %d tenant schemas x %d rows, --parallel %d: %d ms wall (%.1f ms per tenant)%n",
                    TENANTS, ROWS, parallel, ms, (double) ms / TENANTS);
        }
    }
}
