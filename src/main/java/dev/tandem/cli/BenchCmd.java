package dev.tandem.cli;

import dev.tandem.TandemException;
import dev.tandem.backfill.BackfillBench;
import dev.tandem.db.ConnectionConfig;
import dev.tandem.demo.EmbeddedServer;
import dev.tandem.util.Json;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tandem bench}: benchmarks that print figures. */
@Command(name = "bench", description = "Benchmarks that print figures.", subcommands = BenchCmd.Backfill.class)
final class BenchCmd implements Runnable {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a benchmark is required (backfill)");
    }

    /** {@code tandem bench backfill [--rows N[,N…]] [--url URL] [--format text|json]}. */
    @Command(name = "backfill", description = {"Times one UPDATE t SET new = old against Tandem's backfill on an identical table of N rows",
            "(embedded PostgreSQL unless --url); prints rows/s of both, the ratio and peak heap."})
    static final class Backfill implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--rows", split = ",", defaultValue = "100000", description = "Table sizes, comma separated (default: ${DEFAULT-VALUE}).")
        List<Long> rows;

        @Option(names = "--url", description = "Run on this database instead of an embedded server (tables in schema tandem_bench, dropped after).")
        String url;

        @Option(names = "--format", defaultValue = "text", description = "text or json (default: ${DEFAULT-VALUE}).")
        String format;

        @Mixin
        BackfillFlags backfill = new BackfillFlags();

        @Override
        public Integer call() throws Exception {
            if (!format.equals("text") && !format.equals("json")) {
                throw TandemException.badInput("bench backfill supports --format text or json");
            }
            for (long n : rows) {
                if (n < 1) {
                    throw TandemException.badInput("--rows must be positive");
                }
            }
            PrintWriter err = spec.commandLine().getErr();
            List<BackfillBench.Run> runs;
            String url0 = url != null ? url : Main.environment.get("TANDEM_BENCH_URL");
            if (url0 != null) {
                runs = new BackfillBench(ConnectionConfig.of(url0, null, null, Main.environment), backfill.options(), err::println).run(rows);
            } else {
                err.println("bench: starting an embedded PostgreSQL (fsync, synchronous_commit and full_page_writes off)");
                try (EmbeddedServer server = EmbeddedServer.start()) {
                    server.createDatabase("tandem_bench");
                    ConnectionConfig config = ConnectionConfig.of(server.jdbcUrl("tandem_bench"), server.user(), null, Map.of());
                    runs = new BackfillBench(config, backfill.options(), err::println).run(rows);
                }
            }
            PrintWriter out = spec.commandLine().getOut();
            out.print(format.equals("json") ? json(runs) : text(runs));
            out.flush();
            return ExitCodes.OK;
        }

        static String json(List<BackfillBench.Run> runs) {
            List<Object> list = new ArrayList<>();
            for (BackfillBench.Run r : runs) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("rows", r.rows());
                m.put("update_rows_per_s", Math.round(r.updateRowsPerS()));
                m.put("backfill_rows_per_s", Math.round(r.backfillRowsPerS()));
                m.put("ratio", Math.round(r.ratio() * 1000) / 1000.0);
                m.put("peak_heap_mb", Math.round(r.peakHeapMb() * 10) / 10.0);
                list.add(m);
            }
            return Json.write(Map.of("runs", list)) + "\n";
        }

        static String text(List<BackfillBench.Run> runs) {
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%12s %12s %14s %10s %16s %8s %12s%n",
                    "rows", "update s", "update rows/s", "backfill s", "backfill rows/s", "ratio", "peak heap MB"));
            for (BackfillBench.Run r : runs) {
                sb.append(String.format(Locale.ROOT, "%,12d %12.2f %,14.0f %10.2f %,16.0f %8.3f %12.1f%n", r.rows(), r.updateSeconds(),
                        r.updateRowsPerS(), r.backfillSeconds(), r.backfillRowsPerS(), r.ratio(), r.peakHeapMb()));
            }
            return sb.toString();
        }
    }
}
