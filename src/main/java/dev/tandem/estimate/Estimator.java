package dev.tandem.estimate;

import dev.tandem.catalog.CatalogSnapshot;
import dev.tandem.catalog.Column;
import dev.tandem.catalog.Table;
import dev.tandem.plan.BackfillSpec;
import dev.tandem.plan.LockLevel;
import dev.tandem.plan.MigrationPlan;
import dev.tandem.plan.PhasePlan;
import dev.tandem.plan.Step;
import dev.tandem.estimate.StepEstimate.Hold;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Estimates a plan's cost from a catalog snapshot: pure (plan and snapshot in, figures out, no
 * connection). Row counts are the tables' {@code reltuples}; widths come from the column types
 * (fixed-width types their size, every other type {@link EstimateModel#variableWidthBytes()});
 * times are rows divided by the {@link EstimateModel} rates.
 * <ul>
 *   <li>A batched backfill copies every row: rows / backfill rate; each row gets a new version,
 *       so extra disk is rows × (row width + tuple overhead) until vacuum makes the space reusable
 *       (the table does not shrink).</li>
 *   <li>A rewrite: rows / rewrite rate under its lock; extra disk a full copy of the table while it runs.</li>
 *   <li>A scan: rows / scan rate under its lock (a concurrent index build: rows / index rate, and
 *       rows × index entry bytes of disk).</li>
 *   <li>Anything else is a catalog change: brief, no rows, no disk.</li>
 * </ul>
 * It does not know tables the migration creates (their rows are unknown unless in the snapshot),
 * TOAST, existing bloat, the server's speed, or how long a lock waits for other sessions (that
 * wait is bounded by the lock settings, not estimated).
 */
public final class Estimator {
    private final EstimateModel model;

    public Estimator(EstimateModel model) {
        this.model = model;
    }

    /** The preview of {@code plan} against the catalog it was planned on (empty offline). */
    public MigrationEstimate estimate(MigrationPlan plan, CatalogSnapshot snapshot) {
        Map<String, Table> byName = new LinkedHashMap<>();
        snapshot.allTables().forEach(t -> byName.put(t.name().toString(), t));
        boolean offline = plan.offline();
        Map<String, Long> tableRows = new TreeMap<>();
        List<PhaseEstimate> phases = new ArrayList<>();
        for (PhasePlan p : plan.phases()) {
            phases.add(phase(p.phase().wireName(), p.steps(), p.deployNote(), byName, offline, tableRows));
        }
        phases.add(phase("purge", plan.purge(), "", byName, offline, tableRows));
        return new MigrationEstimate(plan.id(), offline, tableRows, phases, model);
    }

    private PhaseEstimate phase(String name, List<Step> steps, String deployNote, Map<String, Table> tables,
                                boolean offline, Map<String, Long> tableRows) {
        TreeSet<String> touched = new TreeSet<>();
        StepEstimate strongest = null;
        List<Long> rows = new ArrayList<>();
        List<Double> seconds = new ArrayList<>();
        List<Long> disk = new ArrayList<>();
        for (Step s : steps) {
            String table = tableOf(s);
            if (table != null) {
                touched.add(table);
                tableRows.put(table, rows(tables.get(table), offline));
            }
            StepEstimate e = step(s, table == null ? null : tables.get(table), offline);
            rows.add(e.rowsToCopy());
            seconds.add(e.seconds());
            disk.add(e.extraDiskBytes());
            if (strongest == null || stronger(e, strongest)) {
                strongest = e;
            }
        }
        return new PhaseEstimate(name, steps.size(), new ArrayList<>(touched), strongest, sumLong(rows), sumDouble(seconds),
                sumLong(disk), deployNote);
    }

    /** The estimate of one step, given the table it works on (null when not in the snapshot). */
    public StepEstimate step(Step s, Table table, boolean offline) {
        Long rows = rows(table, offline);
        String display = tableOf(s);
        if (s.backfill().isPresent()) {
            BackfillSpec b = s.backfill().get();
            Long bytes = rows == null ? null : rows * (rowWidth(table, b) + model.tupleOverheadBytes());
            return new StepEstimate(s.lock(), display, Hold.PER_BATCH, model.batchSeconds(), rows,
                    rate(rows, model.backfillRowsPerSecond()), bytes);
        }
        if (s.rewrite()) {
            Double t = rate(rows, model.rewriteRowsPerSecond());
            Long bytes = rows == null ? null : rows * (rowWidth(table, null) + model.tupleOverheadBytes());
            return new StepEstimate(s.lock(), display, Hold.REWRITE, t, 0L, t, bytes);
        }
        if (s.scan()) {
            boolean index = s.sql().toUpperCase(Locale.ROOT).matches("(?s)\\s*CREATE\\s+(UNIQUE\\s+)?INDEX\\b.*");
            Double t = rate(rows, index ? model.indexRowsPerSecond() : model.scanRowsPerSecond());
            Long bytes = !index ? Long.valueOf(0L) : rows == null ? null : rows * model.indexEntryBytes();
            return new StepEstimate(s.lock(), display, Hold.SCAN, t, 0L, t, bytes);
        }
        Hold hold = s.lock() == LockLevel.NONE ? Hold.NONE : Hold.BRIEF;
        return new StepEstimate(s.lock(), display, hold, 0.0, 0L, 0.0, 0L);
    }

    /** The table a step works on: its backfill's, else its declared one (null when none). */
    static String tableOf(Step s) {
        return s.backfill().map(b -> b.table().toString()).orElse(s.table());
    }

    private static boolean stronger(StepEstimate a, StepEstimate b) {
        int c = a.lock().compareTo(b.lock());
        if (c != 0) {
            return c > 0;
        }
        return held(a) > held(b);
    }

    private static double held(StepEstimate e) {
        return e.lockSeconds() == null ? Double.MAX_VALUE : e.lockSeconds();
    }

    private static Long rows(Table t, boolean offline) {
        if (offline || t == null || t.rowEstimate() < 0) {
            return null;
        }
        return t.rowEstimate();
    }

    private static Double rate(Long rows, long perSecond) {
        return rows == null ? null : rows / (double) perSecond;
    }

    /** Estimated bytes of a row's values: the table's columns, plus backfill targets it does not have yet. */
    long rowWidth(Table t, BackfillSpec b) {
        long width = 0;
        if (t != null) {
            for (Column c : t.columns()) {
                width += typeWidth(c.type());
            }
        }
        if (b != null) {
            for (BackfillSpec.Assignment a : b.assignments()) {
                if (t == null || t.column(a.column()).isEmpty()) {
                    width += model.variableWidthBytes();
                }
            }
        }
        return width;
    }

    /** Bytes of one value of the type as {@code format_type()} spells it; variable-width types get the model's assumption. */
    int typeWidth(String type) {
        String t = type.toLowerCase(Locale.ROOT).replaceAll("\\(.*\\)", "").strip();
        if (t.endsWith("[]")) {
            return model.variableWidthBytes();
        }
        return switch (t) {
            case "boolean", "bool", "\"char\"" -> 1;
            case "smallint", "int2" -> 2;
            case "integer", "int", "int4", "real", "float4", "date", "oid" -> 4;
            case "bigint", "int8", "double precision", "float8", "money", "time without time zone", "time",
                 "timestamp without time zone", "timestamp", "timestamp with time zone", "timestamptz" -> 8;
            case "time with time zone", "timetz", "interval", "uuid" -> t.equals("uuid") || t.equals("interval") ? 16 : 12;
            default -> model.variableWidthBytes();
        };
    }

    static Long sumLong(Collection<Long> values) {
        long sum = 0;
        for (Long v : values) {
            if (v == null) {
                return null;
            }
            sum += v;
        }
        return sum;
    }

    static Double sumDouble(Collection<Double> values) {
        double sum = 0;
        for (Double v : values) {
            if (v == null) {
                return null;
            }
            sum += v;
        }
        return sum;
    }

    /** The preview against {@code snapshot}, or offline (an empty catalog: rows unknown) when it is absent. */
    public MigrationEstimate estimate(MigrationPlan plan, Optional<CatalogSnapshot> snapshot) {
        return estimate(plan, snapshot.orElse(CatalogSnapshot.empty()));
    }
}
