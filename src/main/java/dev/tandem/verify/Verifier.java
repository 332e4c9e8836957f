package dev.tandem.verify;

import dev.tandem.TandemException;
import dev.tandem.backfill.BackfillOptions;
import dev.tandem.backfill.Backfiller;
import dev.tandem.catalog.CatalogReader;
import dev.tandem.catalog.CatalogSnapshot;
import dev.tandem.catalog.Column;
import dev.tandem.catalog.Constraint;
import dev.tandem.catalog.Fingerprint;
import dev.tandem.catalog.Table;
import dev.tandem.execute.LockPolicy;
import dev.tandem.execute.PhaseExecutor;
import dev.tandem.execute.StatementRunner;
import dev.tandem.intent.Intent;
import dev.tandem.intent.Migration;
import dev.tandem.intent.Position;
import dev.tandem.plan.BackfillSpec;
import dev.tandem.plan.MigrationPlan;
import dev.tandem.plan.Phase;
import dev.tandem.plan.PlanCodec;
import dev.tandem.plan.Planner;
import dev.tandem.plan.Step;
import dev.tandem.report.Case;
import dev.tandem.report.Finding;
import dev.tandem.report.Report;
import dev.tandem.sql.Ident;
import dev.tandem.sql.QualifiedName;
import dev.tandem.state.MigrationRecord;
import dev.tandem.state.StateSchema;
import dev.tandem.state.StateStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * {@code tandem verify}: proves on a scratch database that each migration's plan is reversible,
 * lock-safe and keeps both application versions' data in step. For each migration under test:
 * seed the tables it touches, then for every phase — fingerprint (catalog + data) → apply with a
 * lock trace of every statement → randomized old-app and new-app writes and the dual-write check
 * (in a transaction rolled back afterwards) → roll the phase back (traced) → the fingerprint must
 * equal → apply again (traced); contract is thus applied, rolled back and applied again; then
 * purge (traced). Migrations before the ones under test are carried through purge first.
 * <p>Generic over plans: it reads only steps, their declarations and backfill specs, and the
 * catalogs before and after the migration ({@link Planner#project}), never the intent kind.
 * Plans come from a {@link PlanSource}, so tests can verify a broken plan.
 * <p>It does not check: concurrency between real application sessions and DDL (lock waits, see
 * the benchmarks), statements outside a transaction in full (their locks are sampled), the batched
 * backfill's own locks, plans for data verify could not generate (see {@link RowGenerator}).
 */
public final class Verifier {
    private final VerifyOptions options;
    private final PlanSource plans;
    private final Planner planner;
    private final Consumer<String> log;

    public Verifier(VerifyOptions options, PlanSource plans) {
        this.options = options;
        this.plans = plans;
        this.planner = new Planner(options.plan());
        this.log = options.log();
    }

    /** Runs verify over the changelog's migrations; returns the report (exit code: {@link Report#exitCode()}). */
    public Report run(List<Migration> migrations) {
        long t0 = System.nanoTime();
        Scratch scratch = options.scratch()
                .map(c -> Scratch.of(c, options.allowExisting(), options.plan().stateSchema()))
                .orElseGet(Scratch::embedded);
        double startSeconds = seconds(t0);
        log.accept(String.format(Locale.ROOT, "verify: %s ready in %.1f s", scratch.description(), startSeconds));
        try {
            return run(scratch, migrations, t0, startSeconds);
        } catch (SQLException e) {
            throw TandemException.runtime("verify failed on the scratch database: " + e.getMessage(), e);
        } finally {
            scratch.close(log);
        }
    }

    private Report run(Scratch scratch, List<Migration> migrations, long t0, double startSeconds) throws SQLException {
        Connection c = scratch.connection();
        String stateSchema = options.plan().stateSchema();
        Consumer<String> execLog = options.verbose() ? line -> log.accept("  " + line) : line -> { };
        long t = System.nanoTime();
        StateStore store = new StateStore(stateSchema, "tandem verify");
        Map<String, MigrationRecord> records = new LinkedHashMap<>();
        if (store.exists(c)) {
            store.all(c).forEach(r -> records.put(r.id(), r));
        }
        List<Migration> underTest = select(migrations, records);
        // scripts on a connection of their own: the session settings of the working one (search_path) stay out
        try (Connection scripts = scratch.opener().get()) {
            boolean hadState = schemaExists(scripts, stateSchema);
            options.baseSchema().ifPresent(f -> runScript(scripts, f, "--base-schema"));
            if (!hadState && options.baseSchema().isPresent() && schemaExists(scripts, stateSchema)) {
                dropDumpedStateSchema(scripts, stateSchema);
            }
            options.seed().ifPresent(f -> runScript(scripts, f, "--seed"));
        }
        StateSchema.migrate(c, stateSchema);
        double setupSeconds = seconds(t);

        LockTracer tracer = new LockTracer(stateSchema, scratch.opener());
        PhaseExecutor executor = new PhaseExecutor(store, new StatementRunner(LockPolicy.defaults(), execLog, tracer),
                new Backfiller(store, BackfillOptions.defaults(), execLog), execLog);
        Set<String> schemas = schemas(migrations);
        List<Case> cases = new ArrayList<>();
        List<Object> migrationsJson = new ArrayList<>();
        Map<String, Object> migrationSeconds = new LinkedHashMap<>();
        Set<String> testIds = new HashSet<>();
        underTest.forEach(m -> testIds.add(m.id()));
        String lastId = underTest.isEmpty() ? "" : underTest.get(underTest.size() - 1).id();
        // the source's order, not the ids' lexical one (Flyway's V1_1 sorts before V1__ as text)
        int last = -1;
        for (int k = 0; k < migrations.size(); k++) {
            if (migrations.get(k).id().equals(lastId)) {
                last = k;
            }
        }
        for (int k = 0; k <= last; k++) {
            Migration m = migrations.get(k);
            if (records.containsKey(m.id())) {
                continue;
            }
            long tm = System.nanoTime();
            if (testIds.contains(m.id())) {
                MigrationRun run = new MigrationRun(c, m, schemas, store, executor, tracer);
                boolean completed = run.exercise(cases);
                migrationsJson.add(run.json);
                double s = seconds(tm);
                migrationSeconds.put(m.id(), round(s));
                log.accept(String.format(Locale.ROOT, "verify: %s %s in %.1f s", m.id(), run.passed() ? "passed" : "FAILED", s));
                if (!completed) {
                    log.accept("verify: stopping: " + m.id() + " could not be carried through; later migrations are not verified");
                    break;
                }
            } else {
                carry(c, m, schemas, store, executor);
                log.accept(String.format(Locale.ROOT, "verify: %s carried through purge in %.1f s", m.id(), seconds(tm)));
            }
        }
        double total = seconds(t0);
        log.accept(String.format(Locale.ROOT, "verify: %d migration%s verified in %.1f s (server start %.1f s, setup %.1f s)",
                underTest.size(), underTest.size() == 1 ? "" : "s", total, startSeconds, setupSeconds));
        Map<String, Object> timings = new LinkedHashMap<>();
        timings.put("server_start_seconds", round(startSeconds));
        timings.put("setup_seconds", round(setupSeconds));
        timings.put("migrations", migrationSeconds);
        timings.put("total_seconds", round(total));
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("scratch", options.scratch().isPresent() ? "url" : "embedded");
        extra.put("timings", timings);
        extra.put("migrations", migrationsJson);
        return new Report("verify", cases, extra);
    }

    /** The migrations under test, in changelog order; exit 2 for an unknown or already started one. */
    private List<Migration> select(List<Migration> migrations, Map<String, MigrationRecord> records) {
        if (options.migration().isPresent()) {
            String id = options.migration().get();
            Migration m = migrations.stream().filter(x -> x.id().equals(id)).findFirst().orElseThrow(() ->
                    TandemException.badInput("--migration " + id + ": no such migration in the changelog"));
            if (records.containsKey(id)) {
                throw TandemException.badInput("--migration " + id + ": it was already started in the scratch database; use a fresh one");
            }
            return List.of(m);
        }
        if (options.all()) {
            for (Migration m : migrations) {
                if (records.containsKey(m.id())) {
                    throw TandemException.badInput("--all: " + m.id() + " was already started in the scratch database; use a fresh one");
                }
            }
            return migrations;
        }
        return migrations.stream().filter(m -> !records.containsKey(m.id())).toList();
    }

    private Set<String> schemas(List<Migration> migrations) {
        Set<String> out = new TreeSet<>();
        out.add(options.plan().defaultSchema());
        for (Migration m : migrations) {
            for (Intent i : m.changes()) {
                i.tables().forEach(t -> out.add(t.resolve(options.plan().defaultSchema()).schema()));
            }
        }
        return out;
    }

    private static boolean schemaExists(Connection c, String schema) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = ?")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /**
     * A {@code pg_dump -s} of a database that already uses Tandem holds Tandem's state schema
     * (tables without rows, trigger functions): it is not the application's schema, so it is
     * dropped again and Tandem creates its own, empty, as on any scratch database. Triggers of an
     * in-flight migration that call its functions go with it.
     */
    private void dropDumpedStateSchema(Connection c, String schema) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA " + Ident.quote(schema) + " CASCADE");
        }
        log.accept("verify: --base-schema holds Tandem's own state schema " + schema + " (a dump of a database that uses Tandem);"
                + " skipped it: verify starts from an empty state");
    }

    private void runScript(Connection c, Path file, String option) {
        String sql;
        try {
            sql = Files.readString(file);
        } catch (IOException e) {
            throw TandemException.badInput(option + " " + file + ": cannot read: " + e.getMessage());
        }
        // psql meta-commands are not SQL (pg_dump 17.6+ writes backslash-restrict lines): skip them
        sql = sql.lines().map(l -> l.stripLeading().startsWith("\\") ? "" : l).collect(java.util.stream.Collectors.joining("\n"));
        try (Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute(sql);
            c.commit();
        } catch (SQLException e) {
            try {
                c.rollback();
            } catch (SQLException ignored) {
                // reported below
            }
            throw TandemException.badInput(option + " " + file + ": " + e.getMessage().strip());
        } finally {
            try {
                c.setAutoCommit(true);
            } catch (SQLException ignored) {
                // the next statement reports a broken connection
            }
        }
    }

    /** Applies every phase of a migration before the ones under test, then purges it. */
    private void carry(Connection c, Migration m, Set<String> schemas, StateStore store, PhaseExecutor executor) throws SQLException {
        MigrationPlan plan = plans.plan(m, CatalogReader.read(c, schemas));
        store.start(c, m.id(), m.checksum(), m.description(), PlanCodec.toJson(plan));
        for (Phase p : Phase.values()) {
            executor.apply(c, plan, p);
        }
        executor.purge(c, plan);
    }

    /** The first trace of {@code sql} at or after {@code from} (the executor may run extra statements, e.g. a cleanup); -1 if none. */
    private static int indexOf(List<StatementTrace> traces, String sql, int from) {
        for (int i = from; i < traces.size(); i++) {
            if (traces.get(i).sql().equals(sql)) {
                return i;
            }
        }
        return -1;
    }

    private static Optional<Integer> firstIrreversible(List<Step> steps) {
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i).irreversible()) {
                return Optional.of(i);
            }
        }
        return Optional.empty();
    }

    static double seconds(long startNs) {
        return (System.nanoTime() - startNs) / 1e9;
    }

    static double round(double s) {
        return Math.round(s * 1000) / 1000.0;
    }

    /** The exercise of one migration under test. */
    private final class MigrationRun {
        private final Connection c;
        private final Migration m;
        private final Set<String> schemas;
        private final StateStore store;
        private final PhaseExecutor executor;
        private final LockTracer tracer;
        private final Position position;
        private final Map<String, Object> json = new LinkedHashMap<>();
        private boolean passed = true;

        MigrationRun(Connection c, Migration m, Set<String> schemas, StateStore store, PhaseExecutor executor, LockTracer tracer) {
            this.c = c;
            this.m = m;
            this.schemas = schemas;
            this.store = store;
            this.executor = executor;
            this.tracer = tracer;
            this.position = m.changes().isEmpty() ? new Position(m.file(), 1, 1) : m.changes().get(0).position();
        }

        boolean passed() {
            return passed;
        }

        /** Adds the cases; false when the migration could not be carried through (a step failed). */
        boolean exercise(List<Case> cases) throws SQLException {
            json.put("id", m.id());
            json.put("file", m.file());
            CatalogSnapshot before = CatalogReader.read(c, schemas);
            MigrationPlan plan = plans.plan(m, before);
            CatalogSnapshot after = planner.project(m, before);
            Set<QualifiedName> touched = touched(plan);

            // static checks and seeding
            long ts = System.nanoTime();
            List<Verdict> prep = new ArrayList<>(staticChecks(plan, before));
            Map<String, Object> seeded = new LinkedHashMap<>();
            if (options.seed().isEmpty()) {
                Seeder seeder = new Seeder(c, options.rows(), w -> prep.add(Verdict.warning(Verdict.SEED, w,
                        "pass --seed with rows that satisfy the table's checks")));
                seeder.seed(touched).forEach((k, v) -> seeded.put(k.toString(), v));
            }
            json.put("seeded_rows", seeded);
            cases.add(caseOf("prepare", seconds(ts), prep));

            store.start(c, m.id(), m.checksum(), m.description(), PlanCodec.toJson(plan));
            Map<QualifiedName, Set<String>> constraintsBefore = new LinkedHashMap<>();
            before.allTables().forEach(tb -> constraintsBefore.put(tb.name(),
                    new HashSet<>(tb.constraints().stream().map(Constraint::name).toList())));
            Workload.App oldApp = new Workload.App("old", appColumns(before, touched, false), appColumns(before, touched, true));
            Workload.App newApp = new Workload.App("new", appColumns(after, touched, false), appColumns(after, touched, true));
            Phase backfillPhase = null;
            List<BackfillSpec> specs = new ArrayList<>(); // target = up(old): what the old application's writes must give
            List<BackfillSpec> undoSpecs = new ArrayList<>(); // old = down(new): what the new application's writes must give
            for (Phase p : Phase.values()) {
                for (Step s : plan.phase(p).steps()) {
                    if (s.backfill().isPresent()) {
                        specs.add(s.backfill().get());
                        backfillPhase = backfillPhase == null ? p : backfillPhase;
                    }
                    s.undoBackfill().ifPresent(undoSpecs::add);
                }
            }

            List<Object> phasesJson = new ArrayList<>();
            for (Phase p : Phase.values()) {
                long tp = System.nanoTime();
                List<Verdict> verdicts = new ArrayList<>();
                Map<String, Object> pj = new LinkedHashMap<>();
                pj.put("phase", p.wireName());
                List<Step> steps = plan.phase(p).steps();
                try {
                    Map<QualifiedName, Set<String>> exclude = excludedData(steps, before);
                    Fingerprint fp = Fingerprint.of(c, schemas, true, exclude);

                    tracer.begin(c);
                    executor.apply(c, plan, p);
                    pj.put("steps", forwardJson(p, steps, tracer.traces(), verdicts, true));

                    boolean syncing = p.ordinal() >= Phase.DUAL_WRITE.ordinal() && p.ordinal() <= Phase.SWITCH_READS.ordinal();
                    boolean backfilled = backfillPhase != null && p.ordinal() >= backfillPhase.ordinal();
                    Workload workload = new Workload(c, (m.id() + p).hashCode(), constraintsBefore);
                    List<String> apps = new ArrayList<>();
                    List<String> notes = new ArrayList<>();
                    int statements = 0;
                    int rowsWritten = 0;
                    int checks = 0;
                    List<String> errors = new ArrayList<>();
                    if (p.ordinal() <= Phase.SWITCH_READS.ordinal()) {
                        List<Workload.Invariant> inv = syncing ? specs.stream().map(x -> new Workload.Invariant(x, backfilled)).toList() : List.of();
                        Workload.Outcome w = workload.run(oldApp, inv);
                        apps.add(oldApp.name());
                        errors.addAll(w.errors());
                        notes.addAll(w.notes());
                        statements += w.statements();
                        rowsWritten += w.rowsWritten();
                        checks += inv.size();
                    }
                    if (p.ordinal() >= Phase.BACKFILL.ordinal()) {
                        List<Workload.Invariant> inv = syncing ? undoSpecs.stream().map(x -> new Workload.Invariant(x, backfilled)).toList() : List.of();
                        Workload.Outcome w = workload.run(newApp, inv);
                        apps.add(newApp.name());
                        errors.addAll(w.errors());
                        notes.addAll(w.notes());
                        statements += w.statements();
                        rowsWritten += w.rowsWritten();
                        checks += inv.size();
                    }
                    for (String e : errors) {
                        verdicts.add(Verdict.error(e.startsWith("dual-write") ? Verdict.DUAL_WRITE : Verdict.APP_WRITE,
                                m.id() + " " + p + ": " + e, e.startsWith("dual-write")
                                        ? "the sync trigger must keep both representations equal for every write of either application"
                                        : "both application versions must keep working in this phase"));
                    }
                    Map<String, Object> wj = new LinkedHashMap<>();
                    wj.put("applications", apps);
                    wj.put("statements", statements);
                    wj.put("rows_written", rowsWritten);
                    wj.put("dual_write_checks", checks);
                    wj.put("notes", notes);
                    pj.put("workload", wj);

                    Optional<Integer> oneWay = firstIrreversible(steps);
                    if (oneWay.isPresent()) {
                        verdicts.add(Verdict.warning(Verdict.NO_ROLLBACK, label(p.wireName(), steps, oneWay.get())
                                + " is declared irreversible: the rollback of " + p + " is not exercised", ""));
                        finishPhase(cases, phasesJson, pj, p.wireName(), tp, verdicts);
                        continue;
                    }
                    tracer.begin(c);
                    executor.rollback(c, plan, p);
                    pj.put("rollback", rollbackJson(p, steps, tracer.traces(), verdicts));
                    List<String> diff = fp.diff(Fingerprint.of(c, schemas, true, exclude));
                    if (!diff.isEmpty()) {
                        verdicts.add(rollbackNotExact(p, steps, diff));
                    }

                    tracer.begin(c);
                    executor.apply(c, plan, p);
                    forwardJson(p, steps, tracer.traces(), verdicts, false);
                } catch (TandemException e) {
                    verdicts.add(Verdict.error(Verdict.STEP_FAILED, m.id() + " " + p + ": " + e.getMessage(),
                            "the plan must run on the scratch database; fix the step named in the message"));
                    finishPhase(cases, phasesJson, pj, p.wireName(), tp, verdicts);
                    json.put("phases", phasesJson);
                    return false;
                }
                finishPhase(cases, phasesJson, pj, p.wireName(), tp, verdicts);
            }

            long tp = System.nanoTime();
            List<Verdict> verdicts = new ArrayList<>();
            Map<String, Object> pj = new LinkedHashMap<>();
            pj.put("phase", "purge");
            try {
                tracer.begin(c);
                executor.purge(c, plan);
                pj.put("steps", stepsJson("purge", plan.purge(), tracer.traces(), verdicts, true, true));
            } catch (TandemException e) {
                verdicts.add(Verdict.error(Verdict.STEP_FAILED, m.id() + " purge: " + e.getMessage(), ""));
                finishPhase(cases, phasesJson, pj, "purge", tp, verdicts);
                json.put("phases", phasesJson);
                return false;
            }
            finishPhase(cases, phasesJson, pj, "purge", tp, verdicts);
            json.put("phases", phasesJson);
            return true;
        }

        private void finishPhase(List<Case> cases, List<Object> phasesJson, Map<String, Object> pj, String name, long tp,
                List<Verdict> verdicts) {
            double s = seconds(tp);
            pj.put("seconds", round(s));
            pj.put("passed", verdicts.stream().noneMatch(v -> v.severity() == dev.tandem.report.Severity.ERROR));
            phasesJson.add(pj);
            cases.add(caseOf(name, s, verdicts));
        }

        private Case caseOf(String name, double s, List<Verdict> verdicts) {
            List<Finding> findings = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            for (Verdict v : verdicts) {
                if (seen.add(v.rule() + "\n" + v.message())) {
                    findings.add(new Finding(position.file(), position.line(), position.column(), v.rule(), v.severity(),
                            v.message(), v.hint()));
                }
            }
            Case k = new Case(m.id(), name, round(s), findings);
            passed &= k.passed();
            return k;
        }

        private String label(String phase, List<Step> steps, int i) {
            return m.id() + " " + phase + " step " + (i + 1) + "/" + steps.size() + " \"" + steps.get(i).description() + "\"";
        }

        /** Pairs the traces of an apply with its steps (backfill steps have none), judges them, returns the JSON. */
        private List<Object> forwardJson(Phase p, List<Step> steps, List<StatementTrace> traces, List<Verdict> verdicts,
                boolean record) {
            return stepsJson(p.wireName(), steps, traces, verdicts, record, true);
        }

        private List<Object> stepsJson(String phase, List<Step> steps, List<StatementTrace> traces, List<Verdict> verdicts,
                boolean record, boolean declared) {
            List<Object> out = new ArrayList<>();
            int k = 0;
            for (int i = 0; i < steps.size(); i++) {
                Step s = steps.get(i);
                Map<String, Object> sj = new LinkedHashMap<>();
                sj.put("index", i + 1);
                sj.put("description", s.description());
                Map<String, Object> decl = new LinkedHashMap<>();
                decl.put("lock", s.lock().sqlName());
                decl.put("table", s.table());
                decl.put("rewrite", s.rewrite());
                decl.put("scan", s.scan());
                sj.put("declared", decl);
                if (s.isBackfill()) {
                    sj.put("trace", "batched backfill: ROW EXCLUSIVE per batch, not traced");
                } else {
                    int found = indexOf(traces, s.sql(), k);
                    if (found >= 0) {
                        StatementTrace tr = traces.get(found);
                        k = found + 1;
                        sj.put("trace", tr.toJson());
                        verdicts.addAll(StepJudge.judge(label(phase, steps, i), s, tr, declared));
                    } else {
                        sj.put("trace", "not seen");
                    }
                }
                out.add(sj);
            }
            return record ? out : List.of();
        }

        /** Pairs the traces of a phase rollback (steps in reverse, each rollback statement once) with the steps. */
        private List<Object> rollbackJson(Phase p, List<Step> steps, List<StatementTrace> traces, List<Verdict> verdicts) {
            List<Object> out = new ArrayList<>();
            int k = 0;
            for (int i = steps.size() - 1; i >= 0; i--) {
                Step s = steps.get(i);
                for (String stmt : s.rollbackStatements()) {
                    int found = indexOf(traces, stmt, k);
                    if (found < 0) {
                        continue;
                    }
                    StatementTrace tr = traces.get(found);
                    k = found + 1;
                    Map<String, Object> sj = new LinkedHashMap<>();
                    sj.put("index", i + 1);
                    sj.put("description", s.description());
                    sj.put("trace", tr.toJson());
                    out.add(sj);
                    verdicts.addAll(StepJudge.judge("rollback of " + label(p.wireName(), steps, i), s, tr, false));
                }
            }
            return out;
        }

        private Verdict rollbackNotExact(Phase p, List<Step> steps, List<String> diff) {
            List<Integer> suspects = Attribution.suspects(steps, diff);
            String who = suspects.isEmpty() ? "a step of " + m.id() + " " + p
                    : String.join(", ", suspects.stream().map(i -> label(p.wireName(), steps, i)).toList());
            List<String> shown = diff.size() > 12 ? diff.subList(0, 12) : diff;
            return Verdict.error(Verdict.ROLLBACK_NOT_EXACT, "rollback of " + m.id() + " " + p + " did not restore the database;"
                    + " suspect: " + who + "; differences (- before, + after rollback): " + String.join(" | ", shown)
                    + (diff.size() > shown.size() ? " | … " + (diff.size() - shown.size()) + " more" : ""),
                    "the step's rollback statements must undo exactly what it did");
        }

        /** A step without rollback; a backfill without undo into a column that existed before. */
        private List<Verdict> staticChecks(MigrationPlan plan, CatalogSnapshot before) {
            List<Verdict> out = new ArrayList<>();
            for (Phase p : Phase.values()) {
                List<Step> steps = plan.phase(p).steps();
                for (int i = 0; i < steps.size(); i++) {
                    Step s = steps.get(i);
                    if (!s.rollbackStatements().isEmpty() || s.undoBackfill().isPresent() || s.irreversible()
                            || s.lock() == dev.tandem.plan.LockLevel.ACCESS_SHARE) { // a read-only check has nothing to undo
                        continue;
                    }
                    if (s.isBackfill()) {
                        BackfillSpec spec = s.backfill().get();
                        for (BackfillSpec.Assignment a : spec.assignments()) {
                            if (before.table(spec.table()).flatMap(tb -> tb.column(a.column())).isPresent()) {
                                out.add(Verdict.error(Verdict.NO_ROLLBACK, label(p.wireName(), steps, i) + " overwrites "
                                        + spec.table() + "." + a.column() + ", which existed before the migration, and has no undo",
                                        "give the step an undo backfill, or mark the migration irreversible"));
                            }
                        }
                    } else {
                        out.add(Verdict.error(Verdict.NO_ROLLBACK, label(p.wireName(), steps, i) + " has no rollback",
                                "every step needs statements that undo it exactly"));
                    }
                }
            }
            return out;
        }

        /** Columns whose data a phase's rollback leaves (backfill targets without undo, added by this migration). */
        private Map<QualifiedName, Set<String>> excludedData(List<Step> steps, CatalogSnapshot before) {
            Map<QualifiedName, Set<String>> out = new LinkedHashMap<>();
            for (Step s : steps) {
                if (s.isBackfill() && s.rollbackStatements().isEmpty() && s.undoBackfill().isEmpty()) {
                    BackfillSpec spec = s.backfill().get();
                    for (BackfillSpec.Assignment a : spec.assignments()) {
                        if (before.table(spec.table()).flatMap(tb -> tb.column(a.column())).isEmpty()) {
                            out.computeIfAbsent(spec.table(), k -> new LinkedHashSet<>()).add(a.column());
                        }
                    }
                }
            }
            return out;
        }

        /** Tables the intents name and the backfills fill. */
        private Set<QualifiedName> touched(MigrationPlan plan) {
            Set<QualifiedName> out = new LinkedHashSet<>();
            for (Intent i : m.changes()) {
                i.tables().forEach(t -> out.add(t.resolve(options.plan().defaultSchema())));
            }
            for (Phase p : Phase.values()) {
                plan.phase(p).steps().forEach(s -> s.backfill().ifPresent(b -> out.add(b.table())));
            }
            return out;
        }

        /** Per table, the columns an application with this catalog writes (only its NOT NULL ones when {@code notNull}). */
        private Map<QualifiedName, Set<String>> appColumns(CatalogSnapshot catalog, Set<QualifiedName> tables, boolean notNull) {
            Map<QualifiedName, Set<String>> out = new LinkedHashMap<>();
            for (QualifiedName t : tables) {
                Optional<Table> tb = catalog.table(t);
                tb.ifPresent(x -> out.put(t, new LinkedHashSet<>(x.columns().stream()
                        .filter(col -> !col.automatic() && (!notNull || col.notNull()))
                        .map(Column::name).toList())));
            }
            return out;
        }
    }
}
