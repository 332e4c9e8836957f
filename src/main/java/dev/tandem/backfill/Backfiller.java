package dev.tandem.backfill;

import dev.tandem.TandemException;
import dev.tandem.plan.BackfillSpec;
import dev.tandem.plan.Phase;
import dev.tandem.execute.CrashPoints;
import dev.tandem.sql.Ident;
import dev.tandem.sql.QualifiedName;
import dev.tandem.state.StateStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Copies values into a new representation in batches, politely, and never loses its place.
 * <ol>
 *   <li>Chooses the key ({@link KeySource}): primary key, else a unique NOT NULL index, else ctid
 *       pages. Waits until every transaction older than the start has ended (the sync trigger is
 *       installed by then, so newer rows are its job), then fixes the end of the job.</li>
 *   <li>Copy pass: each batch is one transaction with {@code SET LOCAL lock_timeout} and
 *       {@code statement_timeout}; it updates only rows whose target {@code IS DISTINCT FROM} the
 *       expression (a re-run range writes nothing) and writes its checkpoint in the same
 *       transaction. The batch size adapts toward a target time ({@link BatchSizer}). Lock
 *       timeouts, deadlocks and statement timeouts back off and shrink the batch; a lost
 *       connection reconnects and continues from the checkpoint; a range that keeps failing stops
 *       the job with its checkpoint kept and a message saying how to resume.</li>
 *   <li>Before each batch the {@link Throttle} may hold it (pause flag, replica and slot lag,
 *       active or blocked sessions, the user's throttle query).</li>
 *   <li>Verify pass: read-only short transactions count, page range by page range (sequential
 *       TID range scans, PostgreSQL 14+), rows whose target still differs; ranges with any are
 *       repaired (and counted) in a batch transaction like the copy's.</li>
 *   <li>An expression that is not immutable ({@code random()}, {@code clock_timestamp()}; see
 *       {@link ExpressionStability}) is never compared with a second evaluation of itself: it is
 *       written only where the target is still NULL ({@code coalesce(target, expr)}), and the
 *       verify pass repairs only targets still NULL, so a row counts as repaired only when the copy
 *       did not reach it.</li>
 *   <li>{@code ANALYZE} of the target columns.</li>
 * </ol>
 * A checkpoint whose definition (table, key, assignments) differs from the spec is refused unless
 * {@link BackfillOptions#restart()}. Batches run with {@code session_replication_role = replica}
 * when the role may set it, so the table's own triggers do not fire for the copy.
 * <p>Progress goes to the log (or a bar on a terminal) and to {@link BackfillOptions#listener()}.
 * <p>A partitioned table is filled one leaf partition at a time ({@link PartitionLeaves}, found when
 * the backfill starts, nested and default partitions included), each leaf a job of its own as above —
 * its own key (the leaf's primary key, unique index or ctid pages), end and checkpoint row
 * (partition {@code schema.leaf}) — so an interrupted backfill resumes in the leaf and range where
 * it stopped, leaves already finished are not read again.
 * <p>Not handled: parallel workers (one worker per backfill), keys of types without a text
 * round-trip.
 */
public final class Backfiller {
    private static final long MAX_BACKOFF_MS = 5000;

    private final StateStore store;
    private final BackfillOptions options;
    private final Consumer<String> log;
    private final Supplier<Connection> connector;

    /** A backfiller that works on the caller's connection (no reconnect; blocked sessions not watched). */
    public Backfiller(StateStore store, BackfillOptions options, Consumer<String> log) {
        this(store, options, log, null);
    }

    /**
     * @param connector opens a new connection (auto-commit on) for the worker and the throttle;
     *                  used again after a lost connection
     */
    public Backfiller(StateStore store, BackfillOptions options, Consumer<String> log, Supplier<Connection> connector) {
        this.store = store;
        this.options = options;
        this.log = log;
        this.connector = connector;
    }

    public BackfillOptions options() {
        return options;
    }

    /**
     * What one backfill did: counts across resumes; {@code seconds} is this run's wall time (setup,
     * copy, verify, analyze; 0 when the checkpoint was already finished).
     */
    public record Result(long rowsCopied, long rowsRepaired, long batches, double seconds) {
        /** Rows copied per second of wall time (only meaningful for a run that copied from the start). */
        public double rowsPerSecond() {
            return seconds > 0 ? rowsCopied / seconds : 0.0;
        }
    }

    public Result run(Connection c, String migrationId, Phase phase, int stepIndex, BackfillSpec spec) throws SQLException {
        return run(c, migrationId, phase, stepIndex, spec,
                "run `tandem backfill " + migrationId + "` or `tandem apply` to resume");
    }

    /**
     * Runs one backfill; {@code resume} is the advice an error ends with (which command truly
     * continues this job), e.g. for the undo backfill of a rollback.
     */
    public Result run(Connection c, String migrationId, Phase phase, int stepIndex, BackfillSpec spec, String resume)
            throws SQLException {
        List<QualifiedName> leaves = PartitionLeaves.of(c, spec.table());
        if (leaves.isEmpty()) {
            try (Job job = new Job(c, migrationId, phase, stepIndex, spec, "", resume)) {
                return job.run();
            }
        }
        // a partitioned table: one leaf at a time, each with its own checkpoint (and key, and end)
        long copied = 0;
        long repaired = 0;
        long batches = 0;
        double seconds = 0;
        for (QualifiedName leaf : leaves) {
            CrashPoints.reach("before the backfill of partition " + leaf);
            try (Job job = new Job(c, migrationId, phase, stepIndex, spec.on(leaf), leaf.sql(), resume)) {
                Result r = job.run();
                copied += r.rowsCopied();
                repaired += r.rowsRepaired();
                batches += r.batches();
                seconds += r.seconds();
            }
        }
        return new Result(copied, repaired, batches, seconds);
    }

    /** A hash of what the backfill does, to refuse resuming a checkpoint of another definition. */
    static String specHash(BackfillSpec spec, KeySource key) {
        StringBuilder sb = new StringBuilder(spec.table().sql()).append('\n').append(key.describe()).append('\n');
        for (BackfillSpec.Assignment a : spec.assignments()) {
            sb.append(a.column()).append('\u0000').append(a.expression()).append('\n');
        }
        spec.where().ifPresent(w -> sb.append("where\u0000").append(w).append('\n'));
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(sb.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One run of one backfill step. */
    private final class Job implements AutoCloseable {
        private final Connection caller;
        private final String id;
        private final Phase phase;
        private final int index;
        private final BackfillSpec spec;
        private final CheckpointStore checkpoints;
        private final ProgressReporter progress;
        private final BatchSizer sizer;
        private Connection worker;
        private KeySource key;
        private PageSource pages;
        private Throttle throttle;
        private boolean replicaRole;
        private String copySql;
        private String differsSql;
        private boolean volatileNoted;
        private long startNs;
        private long rowsThisRun;
        private BackfillCheckpoint cp;
        private final BatchTiming timing = new BatchTiming();

        private final String resume;
        /** The leaf partition this job fills ("" for an ordinary table): its checkpoint's partition key. */
        private final String part;

        Job(Connection caller, String id, Phase phase, int index, BackfillSpec spec, String part, String resume) {
            this.resume = resume;
            this.part = part;
            this.caller = caller;
            this.id = id;
            this.phase = phase;
            this.index = index;
            this.spec = spec;
            this.checkpoints = new CheckpointStore(store.schema());
            this.progress = new ProgressReporter(log, options);
            this.sizer = new BatchSizer(options);
        }

        /**
         * When the role may not set session_replication_role, the table's own UPDATE triggers would
         * fire for every row: refused (exit 2, nothing written) unless allowed, then named in the log.
         */
        private void refuseUserTriggers() throws SQLException {
            if (replicaRole) {
                return;
            }
            List<String> columns = spec.assignments().stream().map(BackfillSpec.Assignment::column).toList();
            List<String> firing = new ArrayList<>();
            try (PreparedStatement ps = worker.prepareStatement("SELECT t.tgname::text, t.tgenabled::text, pg_catalog.pg_get_triggerdef(t.oid)"
                    + " FROM pg_catalog.pg_trigger t WHERE t.tgrelid = ?::regclass AND NOT t.tgisinternal"
                    + " AND t.tgenabled = 'O' ORDER BY t.tgname")) { // ALWAYS triggers fire in any mode: not refused
                ps.setString(1, spec.table().sql());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        dev.tandem.catalog.Trigger t = new dev.tandem.catalog.Trigger(rs.getString(1), rs.getString(3), rs.getString(2), "");
                        if (!t.name().startsWith("tandem_") && dev.tandem.plan.UserTriggerFiring.firesOnUpdate(t, columns)) {
                            firing.add(t.name());
                        }
                    }
                }
            }
            if (firing.isEmpty()) {
                return;
            }
            if (!options.allowUserTriggers()) {
                dev.tandem.catalog.RoleCapabilities role = dev.tandem.catalog.RoleCapabilitiesReader.read(worker);
                throw TandemException.badInput("the backfill of " + spec.table() + " (" + id + ") refused before writing: triggers "
                        + String.join(", ", firing) + " would fire for every backfilled row, and role " + role.role()
                        + " may not set session_replication_role. Remedy: " + String.join("; ", role.remedies()));
            }
            progress.line("  note: --allow-user-triggers: role may not set session_replication_role; triggers "
                    + String.join(", ", firing) + " on " + spec.table() + " fire for every backfilled row");
        }

        Result run() throws SQLException {
            long runStart = System.nanoTime();
            worker = connector == null ? caller : connector.get();
            key = KeySource.choose(worker, spec);
            String hash = specHash(spec, key);
            buildSql();
            Optional<BackfillCheckpoint> saved = checkpoints.find(worker, id, phase, index, part);
            if (saved.isPresent() && saved.get().finished()) {
                BackfillCheckpoint s = saved.get();
                return new Result(s.rowsCopied(), s.rowsRepaired(), s.batches(), 0);
            }
            replicaRole = canUseReplicaRole(worker);
            refuseUserTriggers();
            if (saved.isPresent()) {
                BackfillCheckpoint s = saved.get();
                boolean changed = s.specHash() != null && !s.specHash().equals(hash);
                if (changed && !options.restart()) {
                    throw TandemException.badInput("the backfill of " + spec.table() + " (" + id + ") was started with another definition"
                            + " (table, key or expressions changed since); run `tandem backfill " + id + " --restart` to start it over");
                }
                if (options.restart()) {
                    progress.line("  restarting the backfill of " + spec.table() + " from the beginning"
                            + (changed ? " (its definition changed)" : ""));
                    checkpoints.delete(worker, id, phase, index, part);
                    saved = Optional.empty();
                }
            }
            if (saved.isPresent() && saved.get().keyKind() != null) {
                cp = saved.get();
                progress.line("  resuming " + cp.pass() + " pass of " + spec.table() + " after key " + cp.lastKey()
                        + " (" + cp.rowsCopied() + " rows copied so far)");
            } else {
                progress.line("  backfill " + spec.table() + " by " + key.describe());
                waitForOlderTransactions();
                Optional<List<String>> end = key.last(worker);
                BackfillCheckpoint fresh = BackfillCheckpoint.start(end.orElse(null), key.kind(), hash,
                        KeySource.estimate(worker, spec), sizer.size());
                if (saved.isPresent()) { // a checkpoint of an earlier version: keep its place and counts
                    BackfillCheckpoint s = saved.get();
                    fresh = new BackfillCheckpoint(s.pass(), s.lastKey(), fresh.upperKey(), key.kind(), hash, s.rowsUpdated(),
                            s.pass().equals(BackfillCheckpoint.COPY) ? s.rowsUpdated() : 0, 0, 0, fresh.rowsEstimate(),
                            s.batches(), sizer.size(), 0, null, fresh.upperKey() == null);
                    progress.line("  resuming " + s.pass() + " pass of " + spec.table() + " after key " + s.lastKey());
                }
                cp = fresh;
                checkpoints.save(worker, id, phase, index, part, spec.table().sql(), cp);
            }
            throttle = new Throttle(options, id, checkpoints, connector);
            throttle.start(worker);
            startNs = System.nanoTime();
            long copyStart = startNs;
            if (cp.pass().equals(BackfillCheckpoint.COPY)) {
                while (!cp.atEnd()) {
                    waitWhileThrottled();
                    cp = batch(true);
                    report(Optional.empty());
                    rest();
                }
                startVerify();
            } else if (!"ctid".equals(cp.keyKind())) {
                startVerify(); // a verify pass by key from an earlier version: verify again by pages
            } else {
                pages = PageSource.of(worker, spec.table());
            }
            long verifyStart = System.nanoTime();
            long lastSave = verifyStart;
            while (!cp.atEnd()) {
                waitWhileThrottled();
                BackfillCheckpoint before = cp;
                cp = verify();
                if (cp.rowsRepaired() == before.rowsRepaired() && System.nanoTime() - lastSave > 2_000_000_000L) {
                    checkpoints.save(worker, id, phase, index, part, spec.table().sql(), cp);
                    lastSave = System.nanoTime();
                }
                report(Optional.empty());
            }
            cp = cp.done();
            checkpoints.save(worker, id, phase, index, part, spec.table().sql(), cp);
            report(Optional.empty());
            long analyzeStart = System.nanoTime();
            try (Statement s = worker.createStatement()) {
                List<String> cols = spec.assignments().stream().map(a -> Ident.quote(a.column())).toList();
                s.execute("ANALYZE " + spec.table().sql() + " (" + String.join(", ", cols) + ")");
            }
            if (Boolean.getBoolean("tandem.backfill.timing")) {
                long end = System.nanoTime();
                progress.line(String.format(java.util.Locale.ROOT, "  backfill time: setup %.2f s, copy %.2f s, verify %.2f s, analyze %.2f s",
                        (copyStart - runStart) / 1e9, (verifyStart - copyStart) / 1e9, (analyzeStart - verifyStart) / 1e9,
                        (end - analyzeStart) / 1e9));
                progress.line("  copy batch time split: " + timing);
            }
            return new Result(cp.rowsCopied(), cp.rowsRepaired(), cp.batches(), (System.nanoTime() - runStart) / 1e9);
        }

        /**
         * The verify pass reads pages in physical order (TID range scans), not the key: a sequential
         * read is cheaper, and it covers every row version that exists now up to the current end.
         * Rows written later went through the sync trigger.
         */
        private void startVerify() throws SQLException {
            pages = PageSource.of(worker, spec.table());
            cp = cp.toVerify(pages.last(worker).orElse(null));
            checkpoints.save(worker, id, phase, index, part, spec.table().sql(), cp);
            rowsThisRun = 0;
            startNs = System.nanoTime();
        }

        private void buildSql() {
            List<String> sets = new ArrayList<>();
            List<String> differs = new ArrayList<>();
            for (BackfillSpec.Assignment a : spec.assignments()) {
                String target = Ident.quote(a.column());
                if (ExpressionStability.repeatable(worker, spec.table(), a.expression())) {
                    sets.add(target + " = " + a.expression());
                    differs.add(target + " IS DISTINCT FROM (" + a.expression() + ")");
                } else {
                    // a second evaluation gives another value: a written target is what was written; only a
                    // target nobody wrote (NULL) is filled, by the copy and by the verify pass alike
                    if (!volatileNoted) {
                        progress.line("  " + a.column() + " := " + a.expression() + " is not immutable: it is written once per row"
                                + " and verified as filled, not re-evaluated");
                        volatileNoted = true;
                    }
                    sets.add(target + " = coalesce(" + target + ", (" + a.expression() + "))");
                    differs.add("(" + target + " IS NULL AND (" + a.expression() + ") IS NOT NULL)");
                }
            }
            differsSql = "(" + String.join(" OR ", differs) + ")";
            if (spec.where().isPresent()) {
                differsSql = "((" + spec.where().get() + ") AND " + differsSql + ")";
            }
            String set = " SET " + String.join(", ", sets);
            copySql = "UPDATE " + spec.table().sql() + set + " WHERE %s AND " + differsSql;
        }

        /** Rows per second of this pass in this run. */
        private double rate() {
            double s = (System.nanoTime() - startNs) / 1e9;
            return s > 0.05 ? rowsThisRun / s : 0.0;
        }

        private void report(Optional<String> waiting) {
            progress.update(new BackfillProgress(spec.table().sql(), cp.pass(), cp.rowsDone(), cp.rowsEstimate(), cp.rowsCopied(),
                    cp.rowsRepaired(), cp.batches(), sizer.size(), rate(), waiting, cp.finished()));
        }

        /** The configured rest between copy batches (none by default). */
        private void rest() {
            if (options.batchPauseMs() > 0 && !cp.atEnd()) {
                try {
                    Thread.sleep(options.batchPauseMs());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        private void waitWhileThrottled() throws SQLException {
            Optional<String> why = throttle.reason(worker);
            if (throttle.takeShrinkRequest()) {
                sizer.failed();
            }
            if (why.isEmpty()) {
                return;
            }
            String last = null;
            long lastSave = 0;
            while (why.isPresent()) {
                if (!why.get().equals(last) || System.nanoTime() - lastSave > 5_000_000_000L) {
                    report(why);
                    checkpoints.save(worker, id, phase, index, part, spec.table().sql(), cp.withRate(rate(), why.get()));
                    last = why.get();
                    lastSave = System.nanoTime();
                }
                sleep(100);
                why = throttle.reason(worker);
            }
            if (throttle.takeShrinkRequest()) {
                sizer.failed();
            }
            report(Optional.empty());
        }

        /** One copy (or repair) batch: range, update, checkpoint, one transaction; retried on transient failures. */
        private BackfillCheckpoint batch(boolean copy) throws SQLException {
            return withRetries(() -> {
                int size = sizer.size();
                long t0 = System.nanoTime();
                beginBatch(false);
                long t1 = System.nanoTime();
                List<String> upper = key.next(worker, cp.lastKey(), cp.upperKey(), size);
                long t2 = System.nanoTime();
                long updated;
                try {
                    updated = update(key, cp.lastKey(), upper);
                } catch (SQLException e) {
                    if (transientOrLost(e)) {
                        throw e;
                    }
                    rollbackQuietly();
                    throw rowFailure(e, cp.lastKey(), upper, size);
                }
                long t3 = System.nanoTime();
                long rows = key.rowsIn(cp.lastKey(), upper, size, upper.equals(cp.upperKey()));
                if (rows < 0) { // the last keyset range: at most a batch, at least what it changed
                    rows = Math.min(size, Math.max(updated, cp.rowsEstimate() - cp.rowsDone()));
                }
                BackfillCheckpoint next = cp.advance(upper, rows, updated, size, rate());
                checkpoints.save(worker, id, phase, index, part, spec.table().sql(), next);
                worker.commit();
                worker.setAutoCommit(true);
                dev.tandem.execute.CrashPoints.reach("after a backfill batch of " + spec.table());
                long t4 = System.nanoTime();
                timing.add(t0, t1, t2, t3, t4);
                sizer.observe(size, (t4 - t0) / 1e6);
                rowsThisRun += rows;
                return next;
            });
        }

        /** One verify range: a read-only count of rows that still differ; a repair batch when there are any. */
        private BackfillCheckpoint verify() throws SQLException {
            return withRetries(() -> {
                int size = sizer.size();
                long t0 = System.nanoTime();
                beginBatch(true);
                KeySource.Scan scan = pages.scan(worker, cp.lastKey(), cp.upperKey(), size, differsSql);
                worker.commit();
                worker.setAutoCommit(true);
                List<String> upper = scan.upper();
                long differing = scan.differing();
                long rows = scan.rows();
                if (differing == 0) {
                    sizer.observe(size, (System.nanoTime() - t0) / 1e6);
                    rowsThisRun += rows;
                    return cp.advance(upper, rows, 0, size, rate());
                }
                beginBatch(false);
                long repaired = update(pages, cp.lastKey(), upper);
                BackfillCheckpoint next = cp.advance(upper, rows, repaired, size, rate());
                checkpoints.save(worker, id, phase, index, part, spec.table().sql(), next);
                worker.commit();
                worker.setAutoCommit(true);
                if (repaired > 0) {
                    progress.line("  verify: repaired " + repaired + " row" + (repaired == 1 ? "" : "s") + " of " + spec.table()
                            + " up to key " + upper);
                }
                rowsThisRun += rows;
                return next;
            });
        }

        private void beginBatch(boolean readOnly) throws SQLException {
            worker.setAutoCommit(false);
            try (Statement s = worker.createStatement()) {
                if (readOnly) {
                    s.execute("SET TRANSACTION READ ONLY");
                }
                s.execute("SELECT set_config('lock_timeout', '" + options.lockTimeoutMs() + "ms', true),"
                        + " set_config('statement_timeout', '" + options.statementTimeoutMs() + "ms', true)"
                        + (replicaRole && !readOnly ? ", set_config('session_replication_role', 'replica', true)" : ""));
            }
        }

        private boolean transientOrLost(SQLException e) {
            String state = e.getSQLState() == null ? "" : e.getSQLState();
            return state.startsWith("08") || state.startsWith("57P") || isClosed(worker)
                    || state.equals("55P03") || state.equals("40P01") || state.equals("57014") || state.equals("40001");
        }

        /**
         * A batch failed on its data (a value out of range, a check violated): bisects the range,
         * each probe in a transaction that is rolled back, to name the first row that fails.
         */
        private TandemException rowFailure(SQLException failure, List<String> lower, List<String> upper, int size) {
            String row = "a row after key " + lower;
            try {
                List<String> lo = lower;
                List<String> hi = upper;
                int span = Math.max(1, size);
                while (span > 1) {
                    int half = span / 2;
                    List<String> mid = key.next(worker, lo, hi, half);
                    if (fails(lo, mid)) {
                        hi = mid;
                        span = half;
                    } else {
                        lo = mid;
                        span = span - half;
                    }
                }
                row = "the row with key " + key.next(worker, lo, hi, 1);
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(); // keep the coarse description
            }
            return new TandemException(TandemException.RUNTIME, "backfill of " + spec.table() + " failed on " + row + ": "
                    + failure.getMessage().strip() + "; fix or remove that row, then " + resume, failure);
        }

        /** Whether updating the range (lower, upper] fails; always rolled back. */
        private boolean fails(List<String> lower, List<String> upper) throws SQLException {
            beginBatch(false);
            try {
                update(key, lower, upper);
                return false;
            } catch (SQLException e) {
                if (transientOrLost(e)) {
                    throw e;
                }
                return true;
            } finally {
                rollbackQuietly();
            }
        }

        private long update(KeySource k, List<String> lower, List<String> upper) throws SQLException {
            try (PreparedStatement ps = worker.prepareStatement(String.format(copySql, k.range(lower != null)))) {
                k.bind(ps, 1, lower, upper);
                return ps.executeUpdate();
            }
        }

        private BackfillCheckpoint withRetries(BatchBody body) throws SQLException {
            int attempt = 0;
            while (true) {
                try {
                    return body.run();
                } catch (SQLException e) {
                    rollbackQuietly();
                    String state = e.getSQLState() == null ? "" : e.getSQLState();
                    boolean lost = state.startsWith("08") || state.startsWith("57P") || isClosed(worker);
                    boolean transientLock = state.equals("55P03") || state.equals("40P01") || state.equals("57014") || state.equals("40001");
                    attempt++;
                    if (!(lost || transientLock) || attempt > options.maxRetries() || (lost && connector == null)) {
                        throw new TandemException(transientLock ? TandemException.LOCK : TandemException.RUNTIME,
                                "backfill of " + spec.table() + " stopped at key " + cp.lastKey() + " after " + attempt + " attempt"
                                        + (attempt == 1 ? "" : "s") + ": " + e.getMessage().strip()
                                        + "; its checkpoint is kept: " + resume, e);
                    }
                    long wait = Math.min(MAX_BACKOFF_MS, 100L << Math.min(attempt - 1, 6));
                    wait = wait / 2 + (long) (Math.random() * wait / 2);
                    if (lost) {
                        progress.line("  lost the connection during the backfill of " + spec.table() + " (" + e.getMessage().strip()
                                + "); reconnecting in " + wait + " ms");
                        sleep(wait);
                        reconnect();
                    } else {
                        sizer.failed();
                        progress.line("  batch of " + spec.table() + " after key " + cp.lastKey() + " " + reason(state)
                                + "; backing off " + wait + " ms, batch now " + sizer.size() + " rows");
                        sleep(wait);
                    }
                }
            }
        }

        private void reconnect() throws SQLException {
            closeQuietly(worker);
            try {
                worker = connector.get();
            } catch (RuntimeException e) {
                throw new SQLException("reconnect failed: " + e.getMessage(), "08001", e);
            }
            throttle.addOwn(worker);
            cp = checkpoints.find(worker, id, phase, index, part).orElse(cp); // the database knows whether the last batch committed
        }

        private static String reason(String state) {
            return switch (state) {
                case "55P03" -> "waited too long for a lock";
                case "40P01" -> "was chosen as a deadlock victim";
                case "57014" -> "hit the statement timeout";
                default -> "failed to serialize";
            };
        }

        /**
         * Waits until every transaction that was running when the sync trigger existed has ended,
         * so none of them can still write a row the backfill would miss. Only transactions of this
         * database count: transaction ids are server-wide, but a transaction in another database
         * cannot write this table, and waiting for it would let one long transaction stall the
         * backfills of every database on the server (a fleet of databases per server).
         */
        private void waitForOlderTransactions() throws SQLException {
            String xmax;
            try (Statement s = worker.createStatement();
                 ResultSet rs = s.executeQuery("SELECT pg_snapshot_xmax(pg_current_snapshot())::text")) {
                rs.next();
                xmax = rs.getString(1);
            }
            // this database's transactions with an id now (pid, xid), and its prepared ones
            java.util.Set<String> running = new java.util.HashSet<>();
            try (Statement s = worker.createStatement(); ResultSet rs = s.executeQuery(
                    "SELECT pid::text || ':' || backend_xid::text FROM pg_stat_activity WHERE datname = current_database()"
                            + " AND backend_xid IS NOT NULL AND pid <> pg_backend_pid()"
                            + " UNION ALL SELECT 'prepared:' || transaction::text FROM pg_prepared_xacts WHERE database = current_database()")) {
                while (rs.next()) {
                    running.add(rs.getString(1));
                }
            }
            long t0 = System.nanoTime();
            long lastNote = t0;
            while (true) {
                try (PreparedStatement ps = worker.prepareStatement(
                        "SELECT pg_snapshot_xmin(pg_current_snapshot()) >= CAST(? AS xid8)")) {
                    ps.setString(1, xmax);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        if (rs.getBoolean(1)) {
                            return;
                        }
                    }
                }
                if (!anyStillRunning(running)) {
                    return;
                }
                if (System.nanoTime() - lastNote > 5_000_000_000L) {
                    progress.line("  waiting for transactions older than the sync trigger to end (pids: " + olderPids() + ")");
                    lastNote = System.nanoTime();
                }
                sleep(50);
            }
        }

        /** Whether any of {@code running} (pid:xid or prepared:xid of this database) is still running. */
        private boolean anyStillRunning(java.util.Set<String> running) throws SQLException {
            if (running.isEmpty()) {
                return false;
            }
            try (Statement s = worker.createStatement(); ResultSet rs = s.executeQuery(
                    "SELECT pid::text || ':' || backend_xid::text FROM pg_stat_activity WHERE datname = current_database()"
                            + " AND backend_xid IS NOT NULL AND pid <> pg_backend_pid()"
                            + " UNION ALL SELECT 'prepared:' || transaction::text FROM pg_prepared_xacts WHERE database = current_database()")) {
                while (rs.next()) {
                    if (running.contains(rs.getString(1))) {
                        return true;
                    }
                }
            }
            return false;
        }

        private String olderPids() throws SQLException {
            try (Statement s = worker.createStatement(); ResultSet rs = s.executeQuery(
                    "SELECT coalesce(string_agg(pid::text, ', ' ORDER BY xact_start), 'prepared transactions?') FROM pg_stat_activity"
                            + " WHERE backend_xid IS NOT NULL AND pid <> pg_backend_pid() AND datname = current_database()")) {
                rs.next();
                return rs.getString(1);
            }
        }

        private void rollbackQuietly() {
            try {
                if (!worker.isClosed() && !worker.getAutoCommit()) {
                    worker.rollback();
                    worker.setAutoCommit(true);
                }
            } catch (SQLException ignored) {
                // the connection is gone; handled by the caller
            }
        }

        @Override
        public void close() {
            if (throttle != null) {
                throttle.close();
            }
            if (worker != null && worker != caller) {
                closeQuietly(worker);
            } else {
                rollbackQuietly();
            }
        }
    }

    @FunctionalInterface
    private interface BatchBody {
        BackfillCheckpoint run() throws SQLException;
    }

    private static boolean isClosed(Connection c) {
        try {
            return c.isClosed();
        } catch (SQLException e) {
            return true;
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // nothing to add
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TandemException(TandemException.RUNTIME, "interrupted; the backfill resumes from its checkpoint");
        }
    }

    private static boolean canUseReplicaRole(Connection c) {
        try {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("SET LOCAL session_replication_role = replica");
            }
            c.rollback();
            c.setAutoCommit(true);
            return true;
        } catch (SQLException e) {
            try {
                c.rollback();
                c.setAutoCommit(true);
            } catch (SQLException ignored) {
                // nothing to add
            }
            return false;
        }
    }
}
