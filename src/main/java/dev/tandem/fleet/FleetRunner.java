package dev.tandem.fleet;

import dev.tandem.TandemException;
import dev.tandem.lifecycle.Settings;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Runs one single-database action on every target of a fleet, wave by wave, with up to
 * {@code parallel} targets at a time.
 * <ul>
 *   <li>A wave starts only when every target of the previous one succeeded; with
 *       {@code continueOnError} it starts anyway while the failures so far are at most
 *       {@code maxFailures} (negative: no limit).</li>
 *   <li>A failing target (any exit code, also 3 for a busy lock, or a lost connection) never stops
 *       the other targets of its wave: each runs in its own worker with its own connection.</li>
 *   <li>What is done is read from each target's own state schema by the action itself, so running
 *       the same command again skips what is done and resumes or retries the rest; the runner keeps
 *       no local state. Writing actions record {@code fleet-ok} / {@code fleet-error} in the
 *       target's history ({@link FleetJournal}), which {@code fleet status} shows as the last error.</li>
 * </ul>
 * It does not retry a target within one run, and it does not stop a running target when another
 * fails. Ctrl-C or a kill ends the process: every target keeps its own journal, so it resumes.
 */
public final class FleetRunner {
    /** How a fleet run proceeds: workers, and whether waves go on after failures. */
    public record Options(int parallel, boolean continueOnError, int maxFailures) {
        public Options {
            if (parallel < 1) {
                throw TandemException.badInput("--parallel must be at least 1");
            }
            if (maxFailures >= 0 && !continueOnError) {
                throw TandemException.badInput("--max-failures needs --continue-on-error");
            }
        }
    }

    /** Builds a target's settings; {@code log} prefixes the target's name to every line. */
    @FunctionalInterface
    public interface SettingsFactory {
        Settings forTarget(Target target, Consumer<String> log);
    }

    /** The single-database action on one target. */
    @FunctionalInterface
    public interface TargetAction {
        Outcome run(Target target, Settings settings) throws Exception;
    }

    /** What the action reports on success: one line and a structured detail for JSON (may be null). */
    public record Outcome(String message, Object detail) {}

    private final FleetFile fleet;
    private final SettingsFactory settings;
    private final Options options;
    private final Consumer<String> log;

    public FleetRunner(FleetFile fleet, SettingsFactory settings, Options options, Consumer<String> log) {
        this.fleet = fleet;
        this.settings = settings;
        this.options = options;
        this.log = log;
    }

    /**
     * Runs {@code action} on every target, wave by wave.
     *
     * @param verb the command's name, for results and the history
     * @param migrationId the migration the command is about (null for apply, status, plan)
     * @param journal whether to record the outcome in each target's history (writing commands)
     */
    public FleetResult run(String verb, String migrationId, TargetAction action, boolean journal) {
        List<TargetResult> results = new ArrayList<>();
        int failures = 0;
        int stoppedAfter = 0;
        for (Wave wave : fleet.waves()) {
            if (stoppedAfter > 0) {
                for (Target t : wave.targets()) {
                    results.add(new TargetResult(t, wave.number(), TargetResult.NOT_STARTED,
                            "not started: wave " + stoppedAfter + " had failures", null, 0));
                }
                continue;
            }
            if (fleet.waves().size() > 1) {
                log.accept("fleet " + verb + ": wave " + wave.number() + "/" + fleet.waves().size() + " (" + wave.targets().size()
                        + " target(s))");
            }
            List<TargetResult> waveResults = runWave(verb, migrationId, wave, action, journal);
            results.addAll(waveResults);
            failures += (int) waveResults.stream().filter(r -> !r.ok()).count();
            boolean failed = waveResults.stream().anyMatch(r -> !r.ok());
            boolean last = wave.number() == fleet.waves().size();
            if (failed && !last) {
                if (!options.continueOnError()) {
                    stoppedAfter = wave.number();
                    log.accept("fleet " + verb + ": wave " + wave.number() + " had failures; later waves not started"
                            + " (run again after fixing, or pass --continue-on-error)");
                } else if (options.maxFailures() >= 0 && failures > options.maxFailures()) {
                    stoppedAfter = wave.number();
                    log.accept("fleet " + verb + ": " + failures + " failure(s), more than --max-failures " + options.maxFailures()
                            + "; later waves not started");
                }
            }
        }
        return new FleetResult(verb, results, stoppedAfter);
    }

    private List<TargetResult> runWave(String verb, String migrationId, Wave wave, TargetAction action, boolean journal) {
        int workers = Math.min(options.parallel(), wave.targets().size());
        AtomicInteger n = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "tandem-fleet-" + n.incrementAndGet());
            t.setDaemon(true); // Ctrl-C ends the process at once; every target's journal makes it resumable
            return t;
        });
        try {
            List<Future<TargetResult>> futures = new ArrayList<>();
            for (Target t : wave.targets()) {
                futures.add(pool.submit(() -> runOne(verb, migrationId, wave.number(), t, action, journal)));
            }
            List<TargetResult> out = new ArrayList<>();
            for (int i = 0; i < futures.size(); i++) {
                try {
                    out.add(futures.get(i).get());
                } catch (ExecutionException e) {
                    out.add(new TargetResult(wave.targets().get(i), wave.number(), TandemException.RUNTIME,
                            "unexpected error: " + e.getCause(), null, 0));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw TandemException.runtime("interrupted", e);
                }
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    private TargetResult runOne(String verb, String migrationId, int wave, Target t, TargetAction action, boolean journal) {
        long start = System.nanoTime();
        Consumer<String> targetLog = line -> log.accept("[" + t.name() + "] " + line);
        Settings s = null;
        int code;
        String message;
        Object detail = null;
        try {
            s = settings.forTarget(t, targetLog);
            Outcome o = action.run(t, s);
            code = 0;
            message = o.message();
            detail = o.detail();
        } catch (TandemException e) {
            code = e.exitCode();
            message = e.getMessage();
        } catch (Exception | LinkageError e) {
            code = TandemException.RUNTIME;
            message = "unexpected error: " + e;
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        targetLog.accept(verb + " " + FleetExit.status(code) + " in " + ms + " ms: " + firstLine(message));
        if (journal && s != null) {
            FleetJournal.record(s, migrationId, verb, code, message, targetLog);
        }
        return new TargetResult(t, wave, code, message, detail, ms);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl) + " …";
    }
}
