package dev.tandem.check;

import dev.tandem.TandemException;
import dev.tandem.catalog.CatalogSnapshot;
import dev.tandem.intent.ChangelogReader;
import dev.tandem.intent.CreateTable;
import dev.tandem.intent.Intent;
import dev.tandem.intent.Migration;
import dev.tandem.lint.LintOptions;
import dev.tandem.lint.Linter;
import dev.tandem.plan.MigrationPlan;
import dev.tandem.plan.PhasePlan;
import dev.tandem.plan.PlanOptions;
import dev.tandem.plan.Planner;
import dev.tandem.plan.Step;
import dev.tandem.report.Case;
import dev.tandem.report.Finding;
import dev.tandem.report.Report;
import dev.tandem.report.Severity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code tandem check}: the static gate. Reads every migration file (a parse error is a finding,
 * and the other files are still checked), plans each intent offline or on top of a catalog
 * snapshot (each migration on the catalog the earlier ones project), and reports, one case per
 * file:
 * <ul>
 *   <li>{@code check/parse} — the file cannot be read as a migration;</li>
 *   <li>{@code check/unknown-object} — with a snapshot, a table or column that is not there;</li>
 *   <li>{@code check/refused} — any other reason a recipe refuses the intent;</li>
 *   <li>{@code check/conflict}, {@code check/overlap} — see {@link ConflictDetector};</li>
 *   <li>{@code check/missing-rollback} — a step (not a backfill) without rollback statements whose
 *       intent is not marked irreversible;</li>
 *   <li>{@code check/unsafe-step} — a step that declares a scan or rewrite under a lock that
 *       blocks writes;</li>
 *   <li>the {@code tandem lint} rules for raw SQL ({@link IntentEffects#rawSql}), linted with
 *       {@link #lintRawSql}. Tables (and their indexes) created earlier in the same migration, by
 *       {@code create_table} or raw SQL, count as new and empty; a {@code down} is linted as the
 *       rollback of its {@code up}, so dropping what the {@code up} created is no finding.</li>
 * </ul>
 * No database is used. It does not know which migrations are already applied, so it checks all.
 */
public final class CheckCommand {
    private static final Pattern POSITIONED = Pattern.compile("^(.+?):(\\d+):(\\d+): (.*)$", Pattern.DOTALL);

    private final PlanOptions planOptions;
    private final LintOptions lintOptions;
    private final Planner planner;

    public CheckCommand(PlanOptions planOptions, LintOptions lintOptions) {
        this.planOptions = planOptions;
        this.lintOptions = lintOptions;
        this.planner = new Planner(planOptions);
    }

    private boolean reportOverlaps;

    /**
     * Also report {@code check/overlap} warnings (two migrations changing the same column, legal in
     * sequence). Off by default: {@code apply}'s release train already keeps such migrations from
     * being in flight together, and in a long-lived changelog every later change of a column would warn.
     */
    public CheckCommand withOverlaps(boolean on) {
        this.reportOverlaps = on;
        return this;
    }

    /** Contexts and labels for a Liquibase root changelog PATH. */
    public CheckCommand withSource(dev.tandem.source.SourceOptions options) {
        this.sourceOptions = options;
        return this;
    }

    private dev.tandem.source.SourceOptions sourceOptions = dev.tandem.source.SourceOptions.none();

    /**
     * Checks a migration file or a changelog folder.
     *
     * @throws TandemException BAD_INPUT when the path does not exist or cannot be listed
     */
    public Report run(Path path, Optional<CatalogSnapshot> snapshot) {
        boolean liquibase = dev.tandem.source.SourceDetector.isForeign(path); // Liquibase changelog or Flyway folder
        List<Path> files = liquibase ? List.of() : files(path);
        Map<String, List<Finding>> byFile = new LinkedHashMap<>();
        Map<String, Double> seconds = new HashMap<>();
        List<Migration> migrations = new ArrayList<>();
        Map<String, String> idToFile = new HashMap<>();
        if (liquibase) {
            try {
                for (Migration m : dev.tandem.source.SourceDetector.open(path, sourceOptions).migrations()) {
                    byFile.computeIfAbsent(m.file(), k -> new ArrayList<>());
                    migrations.add(m);
                }
            } catch (TandemException e) {
                byFile.computeIfAbsent(path.toString(), k -> new ArrayList<>()).add(positioned(e.getMessage(), path.toString(), "check/parse"));
            }
        }
        for (Path f : files) {
            long start = System.nanoTime();
            List<Finding> findings = byFile.computeIfAbsent(f.toString(), k -> new ArrayList<>());
            try {
                Migration m = ChangelogReader.readFile(f);
                String previous = idToFile.putIfAbsent(m.id(), m.file());
                if (previous != null) {
                    findings.add(new Finding(m.file(), 1, 1, "check/parse", Severity.ERROR,
                            "migration id '" + m.id() + "' is also used by " + previous, "rename one of the files"));
                } else {
                    migrations.add(m);
                }
            } catch (TandemException e) {
                findings.add(positioned(e.getMessage(), f.toString(), "check/parse"));
            }
            seconds.merge(f.toString(), (System.nanoTime() - start) / 1e9, Double::sum);
        }
        List<ConflictDetector.Entry> entries = new ArrayList<>();
        Optional<CatalogSnapshot> catalog = snapshot;
        Linter linter = new Linter(new LintOptions(lintOptions.pgVersion(), false, true));
        for (Migration m : migrations) {
            long start = System.nanoTime();
            List<Finding> findings = byFile.get(m.file());
            Linter.NewObjects created = Linter.NewObjects.NONE;
            dev.tandem.plan.ColumnChangeSet.Groups sets = dev.tandem.plan.ColumnChangeSet.group(m.changes(), planOptions.defaultSchema());
            for (Intent intent : m.changes()) {
                if (sets.absorbed(intent)) {
                    continue; // checked with the plan of the change_column_type it joins, as apply plans it
                }
                created = checkIntent(m, intent, catalog, findings, entries, linter, created);
            }
            if (catalog.isPresent()) {
                try {
                    catalog = Optional.of(planner.project(m, catalog.get()));
                } catch (RuntimeException e) {
                    // reported by the plan above; later migrations plan on the catalog as it was
                }
            }
            seconds.merge(m.file(), (System.nanoTime() - start) / 1e9, Double::sum);
        }
        long start = System.nanoTime();
        for (Finding f : ConflictDetector.find(entries)) {
            if (reportOverlaps || !f.rule().equals("check/overlap")) {
                byFile.computeIfAbsent(f.file(), k -> new ArrayList<>()).add(f);
            }
        }
        double conflictSeconds = (System.nanoTime() - start) / 1e9;
        List<Case> cases = new ArrayList<>();
        for (Map.Entry<String, List<Finding>> e : byFile.entrySet()) {
            cases.add(new Case("check", e.getKey(), seconds.getOrDefault(e.getKey(), 0.0) + conflictSeconds / byFile.size(),
                    e.getValue()));
        }
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("migrations", migrations.size());
        extra.put("schema_snapshot", snapshot.isPresent());
        return new Report("check", cases, extra);
    }

    /**
     * Checks one intent; {@code created} is what earlier changes of the migration created (new and
     * empty to the linter). Returns what is created after this intent.
     */
    private Linter.NewObjects checkIntent(Migration m, Intent intent, Optional<CatalogSnapshot> catalog, List<Finding> findings,
                             List<ConflictDetector.Entry> entries, Linter linter, Linter.NewObjects created) {
        MigrationPlan plan;
        try {
            List<Intent> planned = new ArrayList<>(List.of(intent));
            dev.tandem.plan.ColumnChangeSet.group(m.changes(), planOptions.defaultSchema()).led(intent)
                    .ifPresent(set -> planned.addAll(set.members()));
            plan = planner.plan(new Migration(m.id(), m.file(), m.description(), m.checksum(), planned), catalog,
                    dev.tandem.plan.ViewGuard.handledBySql(m, planOptions.defaultSchema()));
        } catch (TandemException e) {
            Finding f = positioned(e.getMessage(), m.file(), "check/refused");
            if (f.message().toLowerCase(Locale.ROOT).contains(": unknown ")) {
                f = new Finding(f.file(), f.line(), f.column(), "check/unknown-object", f.severity(), f.message(),
                        "check the name against the schema snapshot, or the migrations before this one");
            }
            findings.add(f);
            return created;
        } catch (RuntimeException e) {
            findings.add(new Finding(m.file(), intent.position().line(), intent.position().column(), "check/refused",
                    Severity.ERROR, intent.kind() + ": cannot plan: " + e.getMessage(), ""));
            return created;
        }
        entries.add(new ConflictDetector.Entry(m.id(), m.file(), intent.position().line(), intent.position().column(),
                intent.kind(), plan.touches(), IntentEffects.creates(intent, planOptions), IntentEffects.removes(intent, planOptions),
                IntentEffects.removalVerb(intent)));
        findings.addAll(stepFindings(m, intent, plan, IntentEffects.irreversible(intent)));
        if (intent instanceof CreateTable ct) {
            return created.withTable(ct.table().name());
        }
        Linter.NewObjects afterUp = created;
        for (IntentEffects.RawSql raw : IntentEffects.rawSql(intent)) {
            // a down is linted as the rollback of its up: what the up created is new to it, and
            // what it drops again is not dropped for the changes after this one
            Linter.Snippet s = linter.lintSnippet(raw.at().file(), raw.sql(), raw.at().line(), raw.at().column(),
                    raw.rollback() ? afterUp : created);
            findings.addAll(s.findings());
            if (!raw.rollback()) {
                afterUp = s.after();
            }
        }
        return afterUp;
    }

    /**
     * What the plan of one intent says about itself: steps without rollback (unless the intent is
     * irreversible; a backfill needs none, its column goes with the rollback of expand) and steps
     * that declare a scan or rewrite under a lock that blocks writes.
     */
    static List<Finding> stepFindings(Migration m, Intent intent, MigrationPlan plan, boolean irreversible) {
        List<Finding> findings = new ArrayList<>();
        for (PhasePlan phase : plan.phases()) {
            for (Step step : phase.steps()) {
                if (!irreversible && !step.irreversible() && step.rollbackStatements().isEmpty() && step.needsRollback()) {
                    findings.add(at(m, intent, "check/missing-rollback", Severity.ERROR, intent.kind() + ": step '"
                            + step.description() + "' of phase " + phase.phase() + " has no rollback",
                            "give it a rollback (down), or mark the change irreversible: true"));
                }
                if (step.lock().blocksWrites() && (step.rewrite() || step.scan())) {
                    findings.add(at(m, intent, "check/unsafe-step", Severity.ERROR, intent.kind() + ": step '" + step.description()
                            + "' of phase " + phase.phase() + " " + (step.rewrite() ? "rewrites" : "scans") + " " + step.table()
                            + " while holding " + step.lock().sqlName(), "scan under SHARE UPDATE EXCLUSIVE or in a batched backfill"));
                }
            }
        }
        return findings;
    }

    /**
     * Lints raw SQL written in a changelog (the {@code sql} intent's {@code up}/{@code down}) with
     * the {@code tandem lint} rules, positions in the changelog. Tandem's executor sets
     * lock_timeout itself, so {@code missing-lock-timeout} does not apply.
     */
    public static List<Finding> lintRawSql(Linter linter, String sql, String file, int line, int column) {
        return linter.lintSnippet(file, sql, line, column);
    }

    private static Finding at(Migration m, Intent intent, String rule, Severity severity, String message, String hint) {
        return new Finding(m.file(), intent.position().line(), intent.position().column(), rule, severity, message, hint);
    }

    /** A finding from a {@code file:line:column: message} error; the position falls back to the file. */
    static Finding positioned(String message, String file, String rule) {
        Matcher mt = POSITIONED.matcher(message == null ? "" : message);
        if (mt.matches()) {
            return new Finding(mt.group(1), Integer.parseInt(mt.group(2)), Integer.parseInt(mt.group(3)), rule, Severity.ERROR,
                    mt.group(4), "");
        }
        String rest = message != null && message.startsWith(file + ": ") ? message.substring(file.length() + 2) : String.valueOf(message);
        return new Finding(file, 0, 0, rule, Severity.ERROR, rest, "");
    }

    private static List<Path> files(Path path) {
        if (!Files.exists(path)) {
            throw TandemException.badInput(path + ": no such file or folder");
        }
        if (!Files.isDirectory(path)) {
            return List.of(path);
        }
        try (Stream<Path> s = Files.list(path)) {
            return s.filter(p -> {
                String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
                return (n.endsWith(".yaml") || n.endsWith(".yml")) && Files.isRegularFile(p);
            }).sorted((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString())).toList();
        } catch (IOException e) {
            throw new TandemException(TandemException.BAD_INPUT, path + ": cannot list folder: " + e.getMessage(), e);
        }
    }
}
