package dev.tandem.check;

import dev.tandem.catalog.CatalogSnapshot;
import dev.tandem.catalog.Column;
import dev.tandem.catalog.Constraint;
import dev.tandem.catalog.Index;
import dev.tandem.catalog.Table;
import dev.tandem.lint.LintOptions;
import dev.tandem.plan.PlanOptions;
import dev.tandem.report.Report;
import dev.tandem.sql.QualifiedName;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Prints how long {@code tandem check} takes on 50 generated changelogs (three rename_column
 * intents each, over 10 tables), offline and on a schema snapshot: the first run in a fresh JVM
 * (what a CI job pays after JVM start) and the median of 20 further runs. Not a test: run
 * <pre>
 * mvn -o -q -B test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt
 * java -cp target/classes:target/test-classes:$(cat /tmp/cp.txt) dev.tandem.check.CheckBenchmark
 * </pre>
 */
public final class CheckBenchmark {
    private CheckBenchmark() {}

    public static void main(String[] args) throws Exception {
        int migrations = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        Path dir = Files.createTempDirectory("tandem-check-bench");
        int tables = 10;
        Map<Integer, Integer> generation = new HashMap<>();
        for (int m = 1; m <= migrations; m++) {
            StringBuilder yaml = new StringBuilder("description: benchmark migration " + m + "\nchanges:\n");
            for (int k = 0; k < 3; k++) {
                int t = (m * 3 + k) % tables;
                int g = generation.merge(t, 1, Integer::sum);
                yaml.append("  - rename_column:\n      table: t").append(t).append("\n      column: c").append(g - 1)
                        .append("\n      to: c").append(g).append('\n');
            }
            Files.writeString(dir.resolve(String.format("%04d_bench_%d.yaml", m, m)), yaml.toString());
        }
        CatalogSnapshot snapshot = snapshot(tables);
        CheckCommand check = new CheckCommand(PlanOptions.defaults(), LintOptions.defaults());

        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        long c0 = cpu.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        Report first = check.run(dir, Optional.empty());
        double firstOffline = (System.nanoTime() - t0) / 1e6;
        double firstOfflineCpu = (cpu.getCurrentThreadCpuTime() - c0) / 1e6;
        c0 = cpu.getCurrentThreadCpuTime();
        t0 = System.nanoTime();
        Report firstSnap = check.run(dir, Optional.of(snapshot));
        double firstSnapshot = (System.nanoTime() - t0) / 1e6;
        double firstSnapshotCpu = (cpu.getCurrentThreadCpuTime() - c0) / 1e6;
        double[] offline = new double[20];
        double[] onSnapshot = new double[20];
        for (int i = 0; i < 20; i++) {
            t0 = System.nanoTime();
            check.run(dir, Optional.empty());
            offline[i] = (System.nanoTime() - t0) / 1e6;
            t0 = System.nanoTime();
            check.run(dir, Optional.of(snapshot));
            onSnapshot[i] = (System.nanoTime() - t0) / 1e6;
        }
        System.out.printf("tandem check, %d changelogs (%d intents): %d findings offline, %d on the snapshot (%d errors)%n",
                migrations, migrations * 3, first.findings().size(), firstSnap.findings().size(), firstSnap.errors());
        System.out.printf("  offline:       first run %.0f ms wall / %.0f ms CPU (fresh JVM), median of 20 more %.1f ms wall%n",
                firstOffline, firstOfflineCpu, median(offline));
        System.out.printf("  with snapshot: second run %.0f ms wall / %.0f ms CPU, median of 20 more %.1f ms wall%n",
                firstSnapshot, firstSnapshotCpu, median(onSnapshot));
        System.out.printf("  machine: %d cores, load average %.1f%n", Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    private static double median(double[] a) {
        double[] s = a.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    /** Tables t0..t(n-1) with a uuid key, the column c0 the first rename starts from, and 30 more columns. */
    private static CatalogSnapshot snapshot(int n) {
        Map<QualifiedName, Table> tables = new HashMap<>();
        for (int t = 0; t < n; t++) {
            QualifiedName name = new QualifiedName("public", "t" + t);
            List<Column> columns = new ArrayList<>();
            columns.add(new Column("id", 1, "uuid", true, Optional.of("gen_random_uuid()"), "", "", Optional.empty(), Optional.empty()));
            columns.add(new Column("c0", 2, "text", false, Optional.empty(), "", "", Optional.empty(), Optional.empty()));
            for (int c = 0; c < 30; c++) {
                columns.add(new Column("x" + c, c + 3, "text", false, Optional.empty(), "", "", Optional.empty(), Optional.empty()));
            }
            Constraint pk = new Constraint("t" + t + "_pkey", "p", "PRIMARY KEY (id)", true, List.of("id"), "", List.of());
            Index pkIndex = new Index("t" + t + "_pkey", "CREATE UNIQUE INDEX t" + t + "_pkey ON public.t" + t + " USING btree (id)",
                    "btree", true, true, true, List.of("id"), List.of(""), List.of(), Optional.empty(), Optional.of("t" + t + "_pkey"));
            tables.put(name, new Table(name, "r", columns, List.of(pk), List.of(pkIndex), List.of(), "", 1000, Optional.empty()));
        }
        return new CatalogSnapshot(170000, tables);
    }
}
