package dev.tandem.demo;

import dev.tandem.TandemException;
import dev.tandem.backfill.BackfillOptions;
import dev.tandem.catalog.Fingerprint;
import dev.tandem.db.ConnectionConfig;
import dev.tandem.execute.LockPolicy;
import dev.tandem.intent.ChangelogReader;
import dev.tandem.intent.Migration;
import dev.tandem.lifecycle.AdvanceCommand;
import dev.tandem.lifecycle.ApplyCommand;
import dev.tandem.lifecycle.RollbackCommand;
import dev.tandem.lifecycle.Settings;
import dev.tandem.lifecycle.Workspace;
import dev.tandem.plan.Phase;
import dev.tandem.plan.PlanOptions;
import dev.tandem.plan.Planner;
import dev.tandem.sql.Ident;
import dev.tandem.sql.Names;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code tandem demo}: a migration under live application traffic, measured, then the same change
 * made the naive way under the same traffic on the same table.
 * <ol>
 *   <li>Loads the sample schema ({@link Scale}) into a schema of its own.</li>
 *   <li>Tandem run: starts the simulated application ({@link Traffic}: old-version clients; a
 *       short unreported warm-up first), keeps a
 *       {@code baseline} of steady traffic, then runs expand, dual-write and backfill; a
 *       {@code rollout} period where new-version clients join (half of the requests), switch-reads
 *       (old instances still running), and contract (new-version clients only). Each phase lasts
 *       at least {@code --duration} seconds: the phase's work, then steady traffic.</li>
 *   <li>Rolls the migration back entirely (no traffic) and compares the catalog with the start.</li>
 *   <li>Measures the sync trigger's cost: closed-loop old-version writes without, then with the
 *       trigger (expand + dual-write applied, then rolled back), three rounds, best of each side
 *       (the best is the least disturbed by other load on the machine).</li>
 *   <li>Naive run: the same traffic on the same table; {@code baseline}, {@code ddl} (the plain
 *       {@code ALTER TABLE} in one transaction, no lock_timeout), {@code rollout} (half new-version
 *       clients) and {@code after} (new-version clients only).</li>
 * </ol>
 * Live lines (one per phase) go to the given stderr writer; the {@link DemoReport} is returned for
 * the caller to print. A scenario whose intent this build does not know is refused with exit 2
 * before anything is loaded.
 * <p>Not handled: several scenarios in one run, custom traffic mixes, keeping the demo schema's
 * state between runs (with {@code --url}, the schema must not hold a {@code users} table yet).
 */
public final class Demo {
    /** What to run. */
    public record Options(Scenario scenario, Scale scale, int rate, int pool, double durationSeconds, int batchSize,
                          long batchPauseMs, boolean verbose) {
        public Options {
            if (batchPauseMs < 0 || batchPauseMs > 10_000) {
                throw TandemException.badInput("--batch-pause-ms must be between 0 and 10000");
            }
            if (rate < 1 || rate > 100_000) {
                throw TandemException.badInput("--rate must be between 1 and 100000 requests per second");
            }
            if (pool < 1 || pool > 100) {
                throw TandemException.badInput("--pool must be between 1 and 100 connections");
            }
            if (!(durationSeconds > 0) || durationSeconds > 3600) {
                throw TandemException.badInput("--duration must be more than 0 and at most 3600 seconds");
            }
            if (batchSize < 1) {
                throw TandemException.badInput("--batch-size must be at least 1");
            }
        }
    }

    private static final String NAIVE_APPLICATION_NAME = "tandem-demo-naive";
    private static final int TRIGGER_ROUNDS = 3;

    private final PrintWriter err;
    private final Options options;

    public Demo(PrintWriter err, Options options) {
        this.err = err;
        this.options = options;
    }

    /** Runs against the embedded server (url empty) or the given database, in {@code schema}. */
    public DemoReport run(Optional<ConnectionConfig> url, String schema) throws SQLException, IOException, InterruptedException {
        Migration migration = readScenario();
        if (url.isPresent()) {
            // Tandem's state goes beside the demo schema, never into a `tandem` schema real migrations may use.
            return runOn(url.get(), schema, Names.bounded(schema, "tandem"), migration);
        }
        live("starting an embedded PostgreSQL (no setup needed) …");
        try (EmbeddedServer server = EmbeddedServer.start()) {
            server.createDatabase("tandem_demo");
            ConnectionConfig config = ConnectionConfig.of(server.jdbcUrl("tandem_demo"), server.user(), null, Map.of());
            return runOn(config, schema, "tandem", migration);
        }
    }

    /** Reads the scenario's migration and plans it offline, so a refused migration stops the demo before any work. */
    private Migration readScenario() throws IOException {
        Scenario s = options.scenario();
        Path dir = Files.createTempDirectory("tandem-demo");
        Path file = dir.resolve(s.migrationId() + ".yaml");
        try {
            Files.writeString(file, s.changelog());
            Migration m = ChangelogReader.readFile(file);
            new Planner(new PlanOptions("public", "tandem")).plan(m, Optional.empty());
            return m;
        } catch (TandemException e) {
            if (e.exitCode() == TandemException.BAD_INPUT) {
                throw TandemException.badInput("scenario " + s.wireName() + ": its migration was refused: " + e.getMessage());
            }
            throw e;
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir);
        }
    }

    private DemoReport runOn(ConnectionConfig config, String schema, String stateSchema, Migration migration)
            throws SQLException, InterruptedException {
        Scenario scenario = options.scenario();
        LockPolicy locks = LockPolicy.defaults();
        // --batch-size caps the adaptive batch, and each batch is followed by a short rest, so the backfill
        // leaves CPU to the application on a small (2-core) machine; a batch holds its rows' locks until it commits, and on
        // the small demo tables a 200 ms batch would cover a large share of the rows the traffic updates
        BackfillOptions backfill = BackfillOptions.defaults().toBuilder()
                .batchSize(options.batchSize()).maxBatch(options.batchSize()).batchPauseMs(options.batchPauseMs()).build();
        Settings settings = new Settings(config, new PlanOptions(schema, stateSchema), locks, backfill,
                line -> {
                    if (options.verbose()) {
                        err.println("    " + line);
                        err.flush();
                    }
                });
        try (Connection c = config.open()) {
            if (tableExists(c, schema, "users")) {
                throw TandemException.badInput("schema " + schema + " in " + config.display()
                        + " already has a users table; the demo loads the sample schema into a schema of its own: pass another --schema");
            }
            Scale scale = options.scale();
            live(String.format(Locale.ROOT, "loading the sample schema, scale %s (%,d users, %,d tasks) into schema %s …",
                    scale.wireName(), scale.users(), scale.tasks(), schema));
            long t0 = System.nanoTime();
            SampleData.load(c, schema, scale.users(), scale.tasksPerUser());
            live(String.format(Locale.ROOT, "loaded in %.1f s", (System.nanoTime() - t0) / 1e9));
            long backfillRows = 0;
            for (String t : scenario.backfilledTables()) {
                backfillRows += count(c, schema, t);
            }
            Fingerprint before = Fingerprint.of(c, List.of(schema), false);

            List<PhaseStats> tandem = new ArrayList<>();
            List<String> diff;
            double[] writes;
            try (Workspace ws = Workspace.forWriting(settings)) {
                tandemRun(config, schema, ws, migration, backfillRows, tandem);
                live("rolling the migration back (no traffic) …");
                new RollbackCommand(ws).run(migration.id(), Optional.empty(), true);
                diff = before.diff(Fingerprint.of(c, List.of(schema), false));
                writes = triggerCost(config, schema, ws, migration);
            }
            List<PhaseStats> naive = naiveRun(config, schema);
            return new DemoReport(scenario, scale, options.rate(), options.pool(), options.durationSeconds(), locks.maxTimeoutMs(),
                    tandem, naive, writes[0], writes[1], diff.isEmpty(), diff);
        }
    }

    /** The five phases under traffic, with the rollout of the new version between backfill and contract. */
    private void tandemRun(ConnectionConfig config, String schema, Workspace ws, Migration migration, long backfillRows,
                           List<PhaseStats> done) throws SQLException {
        List<Migration> migrations = List.of(migration);
        live("tandem: " + migration.id() + " under " + options.rate() + " requests/s");
        try (Traffic traffic = new Traffic(config, schema, options.scenario().newWorkload(), options.rate(), options.pool())) {
            warmUp(traffic);
            phase("tandem", traffic, done, new PhaseStats("baseline", 0), () -> { });
            phase("tandem", traffic, done, new PhaseStats("expand", 0), () -> new ApplyCommand(ws).run(migrations, Phase.EXPAND));
            phase("tandem", traffic, done, new PhaseStats("dual-write", 0), () -> new ApplyCommand(ws).run(migrations, Phase.DUAL_WRITE));
            PhaseStats backfill = new PhaseStats("backfill", 0);
            backfill.backfillRows(backfillRows);
            phase("tandem", traffic, done, backfill, () -> new ApplyCommand(ws).run(migrations, Phase.BACKFILL));
            phase("tandem", traffic, done, new PhaseStats("rollout", 0.5), () -> { });
            phase("tandem", traffic, done, new PhaseStats("switch-reads", 0.5),
                    () -> new AdvanceCommand(ws).run(migration.id(), Phase.SWITCH_READS));
            phase("tandem", traffic, done, new PhaseStats("contract", 1), () -> new AdvanceCommand(ws).run(migration.id(), Phase.CONTRACT));
        }
    }

    /**
     * Old-version write throughput without and with the sync trigger, {@value #TRIGGER_ROUNDS}
     * alternating rounds, best of each side: {without, with} in writes per second.
     */
    private double[] triggerCost(ConnectionConfig config, String schema, Workspace ws, Migration migration)
            throws SQLException, InterruptedException {
        double seconds = Math.max(0.5, Math.min(options.durationSeconds() / 2, 2));
        live(String.format(Locale.ROOT, "measuring the sync trigger's cost on old-version writes (%d rounds of %.1f s without"
                + " and %.1f s with it; best of each) …", TRIGGER_ROUNDS, seconds, seconds));
        double without = 0;
        double with = 0;
        for (int round = 0; round < TRIGGER_ROUNDS; round++) {
            without = Math.max(without, WriteThroughput.measure(config, schema, options.scenario().newWorkload(), options.pool(), seconds));
            new ApplyCommand(ws).run(List.of(migration), Phase.DUAL_WRITE);
            with = Math.max(with, WriteThroughput.measure(config, schema, options.scenario().newWorkload(), options.pool(), seconds));
            new RollbackCommand(ws).run(migration.id(), Optional.empty(), true);
        }
        live(String.format(Locale.ROOT, "  %.0f writes/s without, %.0f with (ratio %.2f)", without, with, without > 0 ? with / without : 0));
        return new double[] {without, with};
    }

    /** The plain DDL under the same traffic, with the same rollout of the new version after it. */
    private List<PhaseStats> naiveRun(ConnectionConfig config, String schema) throws SQLException {
        List<PhaseStats> done = new ArrayList<>();
        live("naive: " + String.join("; ", options.scenario().naiveDdl()) + " under the same traffic");
        try (Traffic traffic = new Traffic(config, schema, options.scenario().newWorkload(), options.rate(), options.pool())) {
            warmUp(traffic);
            phase("naive", traffic, done, new PhaseStats("baseline", 0), () -> { });
            phase("naive", traffic, done, new PhaseStats("ddl", 0), () -> naiveDdl(config, schema));
            phase("naive", traffic, done, new PhaseStats("rollout", 0.5), () -> { });
            phase("naive", traffic, done, new PhaseStats("after", 1), () -> { });
        }
        return done;
    }

    /** Starts the traffic and lets it run, unreported, so connections and the JIT are warm for the baseline. */
    private void warmUp(Traffic traffic) throws SQLException {
        traffic.start(new PhaseStats("warm-up", 0));
        LockSupport.parkNanos((long) (Math.min(2, options.durationSeconds() / 2) * 1e9));
    }

    /** A phase's work. */
    private interface Work {
        void run() throws SQLException;
    }

    /**
     * Switches the traffic to {@code stats}, does the work, then keeps steady traffic until the
     * phase has lasted {@code --duration}; prints the phase's live line.
     */
    private void phase(String mode, Traffic traffic, List<PhaseStats> done, PhaseStats stats, Work work) throws SQLException {
        traffic.phase(stats);
        long start = System.nanoTime();
        work.run();
        long workNs = System.nanoTime() - start;
        long end = start + (long) (options.durationSeconds() * 1e9);
        for (long left = end - System.nanoTime(); left > 0; left = end - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
        stats.window(start, System.nanoTime(), workNs);
        done.add(stats);
        live(String.format("  %-6s %s", mode, DemoReport.line(stats)));
    }

    private void naiveDdl(ConnectionConfig config, String schema) throws SQLException {
        try (Connection c = config.open(); Statement s = c.createStatement()) {
            s.execute("SET application_name = " + Ident.literal(NAIVE_APPLICATION_NAME));
            s.execute("SET search_path = " + Ident.quote(schema));
            c.setAutoCommit(false);
            for (String sql : options.scenario().naiveDdl()) {
                s.execute(sql);
            }
            c.commit();
        }
    }

    private void live(String line) {
        err.println(line);
        err.flush();
    }

    private static long count(Connection c, String schema, String table) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM " + Ident.quote(schema) + "." + Ident.quote(table))) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static boolean tableExists(Connection c, String schema, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            ps.setString(1, Ident.quote(schema) + "." + Ident.quote(table));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }
}
