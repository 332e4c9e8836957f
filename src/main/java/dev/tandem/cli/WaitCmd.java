package dev.tandem.cli;

import dev.tandem.TandemException;
import dev.tandem.lifecycle.StatusCommand;
import dev.tandem.lifecycle.Workspace;
import dev.tandem.plan.Phase;
import dev.tandem.state.MigrationRecord.Status;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tandem wait ID --until PHASE [--timeout DURATION]}: the deploy gate. Polls the state (read-only,
 * no lock) until the migration's last applied phase is PHASE or later: exit 0; exit 4 on timeout; exit 1
 * when the migration is interrupted before PHASE and no Tandem is running it. The phase of the state is the last one
 * fully applied, so a migration busy with a later phase has reached PHASE.
 * Progress lines go to stderr. It does not start or drive anything.
 */
@Command(name = "wait", description = {"Wait until a migration has applied PHASE (e.g. backfill: copied and verified), for a deploy pipeline.",
        "Exit 0 when reached, 4 on timeout, 1 when the migration failed (interrupted with no Tandem running it)."})
final class WaitCmd implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", description = "Migration id.")
    String id;

    @Option(names = "--until", required = true, converter = PhaseConverter.class,
            description = "The phase to wait for: expand, dual-write, backfill, switch-reads or contract.")
    Phase until;

    @Option(names = "--timeout", defaultValue = "30m", converter = DurationConverter.class,
            description = "Give up after this long, exit 4 (e.g. 90s, 10m, 1h; default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--interval", defaultValue = "1s", converter = DurationConverter.class,
            description = "Time between two looks at the state (default: ${DEFAULT-VALUE}).")
    Duration interval;

    @Mixin
    TextOrJson output;

    @Mixin
    DatabaseOptions db;

    @Override
    public Integer call() throws Exception {
        output.json();
        if (interval.isZero() || interval.isNegative()) {
            throw TandemException.badInput("--interval must be positive");
        }
        var err = spec.commandLine().getErr();
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = null;
        try (Workspace ws = Workspace.forReading(db.settings(Main.environment, err::println))) {
            while (true) {
                Map<String, Object> row = row(ws);
                String status = String.valueOf(row.get("status"));
                Optional<Phase> phase = Optional.ofNullable((String) row.get("phase")).flatMap(Phase::fromWireName);
                String now = id + ": " + status + phase.map(p -> " at " + p.wireName()).orElse("") + progress(row);
                if (!now.equals(last)) {
                    err.println("wait: " + now);
                    err.flush();
                    last = now;
                }
                if (phase.isPresent() && phase.get().compareTo(until) >= 0) {
                    Map<String, Object> result = new LinkedHashMap<>();
                    result.put("id", id);
                    result.put("reached", until.wireName());
                    result.put("phase", phase.get().wireName());
                    result.put("status", status);
                    output.print(spec.commandLine().getOut(), id + ": " + until.wireName() + " reached (" + status + " at "
                            + phase.get().wireName() + ")", result);
                    return ExitCodes.OK;
                }
                if (status.equals(Status.INTERRUPTED)) {
                    throw new TandemException(TandemException.RUNTIME, id + " is interrupted" + phase.map(p -> " after " + p.wireName()).orElse("")
                            + " and no Tandem is running it: it failed. Run `tandem apply` (or the phase command) to resume it, or `tandem rollback "
                            + id + "`.");
                }
                if (status.equals(Status.PURGED)) {
                    throw new TandemException(TandemException.RUNTIME, id + " is purged and cannot reach " + until.wireName());
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new TandemException(TandemException.CHECK_FAILED, "timed out after " + timeout + " waiting for " + id
                            + " to reach " + until.wireName() + " (it is " + now.substring(id.length() + 2) + ")");
                }
                Thread.sleep(Math.min(interval.toMillis(), Math.max(1, left / 1_000_000)));
            }
        }
    }

    private Map<String, Object> row(Workspace ws) throws java.sql.SQLException {
        for (Map<String, Object> r : new StatusCommand(ws).run(List.of())) {
            if (id.equals(r.get("id"))) {
                return r;
            }
        }
        Map<String, Object> pending = new LinkedHashMap<>();
        pending.put("id", id);
        pending.put("status", Status.PENDING);
        return pending;
    }

    private static String progress(Map<String, Object> row) {
        if (row.get("backfill") instanceof Map<?, ?> b && !Boolean.TRUE.equals(b.get("finished")) && b.get("percent") != null) {
            return ", backfill " + b.get("percent") + "%";
        }
        return "";
    }
}
