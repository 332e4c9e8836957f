package dev.tandem.demo;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The result of a {@code tandem demo} run: per mode (Tandem, then the naive DDL) the phases with
 * what the application saw, the sync trigger's cost on writes, whether the rollback restored the
 * catalog, and the targets met or missed. Renders as a text table or as JSON (see {@code docs/demo.md}).
 */
public final class DemoReport {
    /** One measured target. */
    public record Target(String name, boolean met, double measured, double limit, String text) {}

    private final Scenario scenario;
    private final Scale scale;
    private final int rate;
    private final int pool;
    private final double duration;
    private final long lockTimeoutMs;
    private final List<PhaseStats> tandem;
    private final List<PhaseStats> naive;
    private final double writesWithout;
    private final double writesWith;
    private final boolean rollbackExact;
    private final List<String> rollbackDiff;

    DemoReport(Scenario scenario, Scale scale, int rate, int pool, double duration, long lockTimeoutMs, List<PhaseStats> tandem,
               List<PhaseStats> naive, double writesWithout, double writesWith, boolean rollbackExact, List<String> rollbackDiff) {
        this.scenario = scenario;
        this.scale = scale;
        this.rate = rate;
        this.pool = pool;
        this.duration = duration;
        this.lockTimeoutMs = lockTimeoutMs;
        this.tandem = List.copyOf(tandem);
        this.naive = List.copyOf(naive);
        this.writesWithout = writesWithout;
        this.writesWith = writesWith;
        this.rollbackExact = rollbackExact;
        this.rollbackDiff = List.copyOf(rollbackDiff);
    }

    public List<PhaseStats> tandem() {
        return tandem;
    }

    public List<PhaseStats> naive() {
        return naive;
    }

    /** Writes with the trigger / writes without (1.0 = free). */
    public double triggerRatio() {
        return writesWithout <= 0 ? 0 : writesWith / writesWithout;
    }

    /** True when the Tandem run had no failed request and its rollback restored the catalog exactly. */
    public boolean ok() {
        return rollbackExact && tandem.stream().mapToLong(PhaseStats::failed).sum() == 0;
    }

    public List<Target> targets() {
        List<Target> out = new ArrayList<>();
        long failed = tandem.stream().mapToLong(PhaseStats::failed).sum();
        out.add(new Target("tandem_failed_requests", failed == 0, failed, 0, "Tandem: failed requests in all phases = 0"));
        double base = find(tandem, "baseline").percentileMs(99);
        double backfill = find(tandem, "backfill").percentileMs(99);
        double quiet = find(tandem, "rollout").percentileMs(99);
        out.add(new Target("backfill_p99_ratio", backfill <= 1.2 * base, base > 0 ? backfill / base : 0, 1.2,
                String.format(Locale.ROOT, "Tandem: p99 during backfill (%.2f ms) <= 1.2 x baseline p99 (%.2f ms);"
                        + " for the machine's noise: rollout p99, no schema work, %.2f ms", backfill, base, quiet)));
        long lockWait = tandem.stream().mapToLong(PhaseStats::maxLockWaitMs).max().orElse(0);
        out.add(new Target("max_lock_wait_ms", lockWait <= lockTimeoutMs, lockWait, lockTimeoutMs,
                "Tandem: no request waits on a lock longer than lock_timeout (" + lockTimeoutMs + " ms)"));
        out.add(new Target("trigger_write_ratio", triggerRatio() >= 1 / 1.5, triggerRatio(), 1 / 1.5,
                "writes with the sync trigger >= 1/1.5 of writes without"));
        return out;
    }

    private static PhaseStats find(List<PhaseStats> phases, String name) {
        return phases.stream().filter(p -> p.phase().equals(name)).findFirst().orElseThrow();
    }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("scenario", scenario.wireName());
        m.put("migration", scenario.migrationId());
        m.put("scale", scale.wireName());
        m.put("users", (long) scale.users());
        m.put("tasks", scale.tasks());
        m.put("rate", (long) rate);
        m.put("pool", (long) pool);
        m.put("duration_s", duration);
        m.put("lock_timeout_ms", lockTimeoutMs);
        m.put("modes", List.of(mode("tandem", tandem), mode("naive", naive)));
        Map<String, Object> trigger = new LinkedHashMap<>();
        trigger.put("writes_per_s_without", Math.round(writesWithout));
        trigger.put("writes_per_s_with", Math.round(writesWith));
        trigger.put("ratio", PhaseStats.round(triggerRatio()));
        m.put("trigger_cost", trigger);
        m.put("rollback_exact", rollbackExact);
        m.put("rollback_diff", rollbackDiff);
        List<Object> targets = new ArrayList<>();
        for (Target t : targets()) {
            Map<String, Object> tm = new LinkedHashMap<>();
            tm.put("name", t.name());
            tm.put("met", t.met());
            tm.put("measured", PhaseStats.round(t.measured()));
            tm.put("limit", PhaseStats.round(t.limit()));
            targets.add(tm);
        }
        m.put("targets", targets);
        m.put("ok", ok());
        return m;
    }

    private Map<String, Object> mode(String name, List<PhaseStats> phases) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mode", name);
        if (name.equals("naive")) {
            m.put("ddl", scenario.naiveDdl());
        }
        m.put("phases", phases.stream().map(PhaseStats::toJson).toList());
        return m;
    }

    /** The human-readable report. */
    public void printText(PrintWriter out) {
        out.printf("Scenario %s (%s): %s%n", scenario.wireName(), scenario.intent(), scenario.summary());
        out.printf("Scale %s: %,d users, %,d tasks. Traffic: %d requests/s, open loop (60%% point reads, 15%% inserts, 25%% updates),"
                + " %d connections; each phase at least %.1f s.%n", scale.wireName(), scale.users(), scale.tasks(), rate, pool, duration);
        out.println();
        out.println("Tandem (" + scenario.migrationId() + ")");
        table(out, tandem);
        out.println();
        out.println("Naive: " + String.join("; ", scenario.naiveDdl()));
        table(out, naive);
        errors(out, "tandem", tandem);
        errors(out, "naive", naive);
        out.println();
        out.printf(Locale.ROOT, "Sync-trigger cost: old-version writes %.0f/s without the trigger, %.0f/s with it (ratio %.2f).%n",
                writesWithout, writesWith, triggerRatio());
        out.println(rollbackExact ? "Rollback of the Tandem run: catalog identical to before the migration."
                : "Rollback of the Tandem run: catalog DIFFERS from before:");
        rollbackDiff.forEach(d -> out.println("  " + d));
        out.println();
        out.println("Targets:");
        for (Target t : targets()) {
            out.printf(Locale.ROOT, "  %-6s %s (measured %s)%n", t.met() ? "met" : "MISSED", t.text(), fmt(t.measured()));
        }
        out.flush();
    }

    private static void table(PrintWriter out, List<PhaseStats> phases) {
        out.printf("  %-13s %6s %-14s %8s %7s %8s %8s %9s %10s %12s%n", "phase", "secs", "clients", "requests", "failed",
                "p50 ms", "p99 ms", "max ms", "lock wait", "backfill/s");
        for (PhaseStats p : phases) {
            out.println("  " + line(p));
        }
    }

    /** One table row (also the live line on stderr). */
    static String line(PhaseStats p) {
        return String.format(Locale.ROOT, "%-13s %6.1f %-14s %8d %7d %8.2f %8.2f %9.1f %7d ms %12s", p.phase(), p.seconds(), p.clients(),
                p.requests(), p.failed(), p.percentileMs(50), p.percentileMs(99), p.maxMs(), p.maxLockWaitMs(),
                p.backfillRowsPerSecond().isPresent() ? String.format(Locale.ROOT, "%,.0f", p.backfillRowsPerSecond().getAsDouble()) : "-");
    }

    private static void errors(PrintWriter out, String mode, List<PhaseStats> phases) {
        boolean header = false;
        for (PhaseStats p : phases) {
            for (Map.Entry<String, Long> e : p.errors().entrySet()) {
                if (!header) {
                    out.println();
                    out.println("Failed requests (" + mode + "):");
                    header = true;
                }
                out.printf("  %-13s %6d x %s%n", p.phase(), e.getValue(), e.getKey());
            }
        }
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.2f", v);
    }
}
