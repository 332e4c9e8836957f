package dev.tandem.plan;

import dev.tandem.sql.QualifiedName;
import dev.tandem.util.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Converts a {@link MigrationPlan} to plain data (maps, lists, strings, booleans, nulls) and back.
 * The plain form is what {@code tandem plan --format json} prints and what Tandem stores in its
 * state table to roll a migration back later, so its keys are a public contract:
 * <pre>{@code
 * {"id", "description", "checksum", "offline",
 *  "phases": [{"name": "expand", "deploy_note", "steps": [step, ...]}, ...five, in order...],
 *  "purge": [step, ...], "touches": [sorted names], "warnings": [...], "format_version": 1}
 * step = {"description", "sql", "rollback" (or null), "rollback_statements": [...],
 *         "lock" ("ACCESS EXCLUSIVE"), "table" (or null), "rewrite", "scan", "transactional",
 *         "irreversible" (absent = false),
 *         "backfill": null or {"table": "public.users", "schema", "name", "key_columns": [...],
 *                              "assignments": [{"column", "expression"}, ...]}}
 * }</pre>
 * {@link #fromMap(Map)} is the exact inverse of {@link #toMap(MigrationPlan)}: {@code
 * fromMap(toMap(p)).equals(p)}. The backfill table is read back from {@code schema} and {@code name}
 * (its display form {@code table} is ambiguous when names contain dots), and a step's undo from
 * {@code rollback_statements}; {@code rollback} is {@link Step#rollback()}, the statements joined
 * for display, and is used only when {@code rollback_statements} is absent (as one statement).
 *
 * <p>Reading is strict about types (a wrong type or a missing required key is an
 * {@link IllegalArgumentException} naming the path, e.g. {@code phases[2].steps[0].lock}) and
 * lenient about additions: unknown keys are ignored, and the nullable fields ({@code description},
 * {@code checksum}, {@code rollback}, {@code rollback_statements}, {@code table}, {@code backfill},
 * {@code deploy_note}) may be absent.
 *
 * <p><b>Versions.</b> Every plan written carries {@code format_version} ({@link #FORMAT_VERSION}).
 * A stored plan outlives the Tandem that wrote it: a migration started by one release is rolled
 * back or continued by a later one. Reading therefore accepts every version up to
 * {@link #FORMAT_VERSION} — a plan without the key was stored before versioning and has the shape
 * of version 1 — and upgrades older shapes to the current one ({@link #upgrade}); a plan from a
 * newer Tandem is refused with {@link UnsupportedPlanFormatException} rather than misread. A change
 * to the shape that an older reader would misinterpret must raise {@link #FORMAT_VERSION} and add
 * its upgrade step; additions that readers ignore need not.
 */
public final class PlanCodec {
    private PlanCodec() {}

    /** The format version this Tandem writes, and the newest it reads. */
    public static final int FORMAT_VERSION = 1;

    /** Thrown by {@link #fromMap} for a plan stored by a newer Tandem (a format version it does not know). */
    public static final class UnsupportedPlanFormatException extends IllegalArgumentException {
        private final long version;

        UnsupportedPlanFormatException(long version) {
            super("plan format version " + version + " is newer than this Tandem reads (up to " + FORMAT_VERSION + ")");
            this.version = version;
        }

        /** The version found in the plan. */
        public long version() {
            return version;
        }
    }

    /** The plan as an ordered map (see the class comment for the shape). */
    public static Map<String, Object> toMap(MigrationPlan plan) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", plan.id());
        m.put("description", plan.description());
        m.put("checksum", plan.checksum());
        m.put("offline", plan.offline());
        List<Object> phases = new ArrayList<>();
        for (PhasePlan p : plan.phases()) {
            Map<String, Object> pm = new LinkedHashMap<>();
            pm.put("name", p.phase().wireName());
            pm.put("deploy_note", p.deployNote());
            pm.put("steps", steps(p.steps()));
            phases.add(pm);
        }
        m.put("phases", phases);
        m.put("purge", steps(plan.purge()));
        m.put("touches", new ArrayList<>(new TreeSet<>(plan.touches())));
        m.put("warnings", new ArrayList<>(plan.warnings()));
        m.put("format_version", FORMAT_VERSION);
        return m;
    }

    /** One step as an ordered map (the {@code step} shape in the class comment). */
    public static Map<String, Object> stepToMap(Step s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("description", s.description());
        m.put("sql", s.sql());
        m.put("rollback", s.rollback());
        m.put("rollback_statements", new ArrayList<>(s.rollbackStatements()));
        m.put("lock", s.lock().sqlName());
        m.put("table", s.table());
        m.put("rewrite", s.rewrite());
        m.put("scan", s.scan());
        m.put("transactional", s.transactional());
        m.put("backfill", s.backfill().map(PlanCodec::backfillToMap).orElse(null));
        m.put("rollback_backfill", s.undoBackfill().map(PlanCodec::backfillToMap).orElse(null));
        m.put("irreversible", s.irreversible());
        return m;
    }

    /** Compact JSON of {@link #toMap(MigrationPlan)}. */
    public static String toJson(MigrationPlan plan) {
        return Json.write(toMap(plan));
    }

    /**
     * Rebuilds a plan from {@link #toMap(MigrationPlan)}'s shape (for instance as returned by
     * {@link Json#parse(String)}).
     *
     * @throws IllegalArgumentException when the data does not have that shape
     */
    public static MigrationPlan fromMap(Map<String, Object> map) {
        Reader r = new Reader(upgrade(map, formatVersion(map)), "plan");
        String id = r.requiredString("id");
        String description = r.optionalString("description");
        String checksum = r.optionalString("checksum");
        boolean offline = r.bool("offline");
        List<PhasePlan> phases = new ArrayList<>();
        List<Object> phaseList = r.list("phases");
        for (int i = 0; i < phaseList.size(); i++) {
            Reader pr = Reader.of(phaseList.get(i), "phases[" + i + "]");
            String name = pr.requiredString("name");
            Phase phase = Phase.fromWireName(name)
                    .orElseThrow(() -> new IllegalArgumentException(pr.path + ".name: unknown phase \"" + name + "\""));
            String note = pr.optionalString("deploy_note");
            phases.add(new PhasePlan(phase, readSteps(pr.list("steps"), pr.path + ".steps"), note));
        }
        if (phases.size() != Phase.values().length) {
            throw new IllegalArgumentException("plan.phases: expected " + Phase.values().length + " phases, got " + phases.size());
        }
        for (int i = 0; i < phases.size(); i++) {
            if (phases.get(i).phase() != Phase.values()[i]) {
                throw new IllegalArgumentException("plan.phases[" + i + "]: expected phase "
                        + Phase.values()[i].wireName() + ", got " + phases.get(i).phase().wireName());
            }
        }
        List<Step> purge = readSteps(r.list("purge"), "purge");
        Set<String> touches = new LinkedHashSet<>(r.stringList("touches"));
        List<String> warnings = r.stringList("warnings");
        return new MigrationPlan(id, description, checksum, offline, phases, purge, touches, warnings);
    }

    /**
     * The format version of a plain plan: {@code format_version}, or 0 (stored before versioning)
     * when absent.
     *
     * @throws IllegalArgumentException when it is not a non-negative integer
     * @throws UnsupportedPlanFormatException when it is newer than {@link #FORMAT_VERSION}
     */
    public static long formatVersion(Map<String, Object> map) {
        if (map == null || !map.containsKey("format_version")) {
            return 0;
        }
        Object v = map.get("format_version");
        if (!(v instanceof Long || v instanceof Integer) || ((Number) v).longValue() < 0) {
            throw new IllegalArgumentException("plan.format_version: expected a non-negative integer, got " + v);
        }
        long version = ((Number) v).longValue();
        if (version > FORMAT_VERSION) {
            throw new UnsupportedPlanFormatException(version);
        }
        return version;
    }

    /**
     * Brings a plain plan of an older format version up to {@link #FORMAT_VERSION}, one version at a
     * time. Version 0 (before versioning) has the shape of version 1, so there is nothing to change
     * yet; a future version 2 adds its step here ({@code case 1 -> ...}).
     */
    static Map<String, Object> upgrade(Map<String, Object> map, long fromVersion) {
        Map<String, Object> m = map;
        for (long v = fromVersion; v < FORMAT_VERSION; v++) {
            if (v == 0) {
                continue; // version 0 = version 1 without the key
            }
            throw new IllegalStateException("no upgrade from plan format " + v);
        }
        return m;
    }

    /**
     * Parses JSON written by {@link #toJson(MigrationPlan)} (or by the JSON renderer, per migration).
     *
     * @throws IllegalArgumentException for invalid JSON or the wrong shape
     */
    @SuppressWarnings("unchecked")
    public static MigrationPlan fromJson(String json) {
        Object v = Json.parse(json);
        if (!(v instanceof Map)) {
            throw new IllegalArgumentException("plan: expected a JSON object");
        }
        return fromMap((Map<String, Object>) v);
    }

    /** Rebuilds one step from {@link #stepToMap(Step)}'s shape. */
    public static Step stepFromMap(Map<String, Object> map) {
        return readStep(map, "step");
    }

    private static List<Object> steps(List<Step> steps) {
        List<Object> out = new ArrayList<>(steps.size());
        for (Step s : steps) {
            out.add(stepToMap(s));
        }
        return out;
    }

    private static Map<String, Object> backfillToMap(BackfillSpec b) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("table", b.table().toString());
        m.put("schema", b.table().schema());
        m.put("name", b.table().name());
        m.put("key_columns", new ArrayList<>(b.keyColumns()));
        List<Object> assignments = new ArrayList<>();
        for (BackfillSpec.Assignment a : b.assignments()) {
            Map<String, Object> am = new LinkedHashMap<>();
            am.put("column", a.column());
            am.put("expression", a.expression());
            assignments.add(am);
        }
        m.put("assignments", assignments);
        b.where().ifPresent(w -> m.put("where", w));
        return m;
    }

    private static List<Step> readSteps(List<Object> list, String path) {
        List<Step> steps = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            steps.add(readStep(list.get(i), path + "[" + i + "]"));
        }
        return steps;
    }

    private static Step readStep(Object o, String path) {
        Reader r = Reader.of(o, path);
        String description = r.requiredString("description");
        String sql = r.requiredString("sql");
        List<String> rollback;
        if (r.get("rollback_statements") != null) {
            rollback = r.stringList("rollback_statements");
        } else {
            String single = r.optionalString("rollback");
            rollback = single == null ? List.of() : List.of(single);
        }
        String lockName = r.requiredString("lock");
        LockLevel lock;
        try {
            lock = LockLevel.parse(lockName);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(path + ".lock: unknown lock mode \"" + lockName + "\"");
        }
        String table = r.optionalString("table");
        boolean rewrite = r.bool("rewrite");
        boolean scan = r.bool("scan");
        boolean transactional = r.bool("transactional");
        Optional<BackfillSpec> backfill = Optional.empty();
        Object b = r.get("backfill");
        if (b != null) {
            backfill = Optional.of(readBackfill(Reader.of(b, path + ".backfill")));
        }
        Optional<BackfillSpec> undoBackfill = Optional.empty();
        Object u = r.get("rollback_backfill");
        if (u != null) {
            undoBackfill = Optional.of(readBackfill(Reader.of(u, path + ".rollback_backfill")));
        }
        Object irreversible = r.get("irreversible");
        if (irreversible != null && !(irreversible instanceof Boolean)) {
            throw new IllegalArgumentException(path + ".irreversible: expected true or false");
        }
        return new Step(description, sql, rollback, lock, table, rewrite, scan, transactional, backfill, undoBackfill,
                Boolean.TRUE.equals(irreversible));
    }

    private static BackfillSpec readBackfill(Reader r) {
        QualifiedName table = new QualifiedName(r.requiredString("schema"), r.requiredString("name"));
        List<String> keys = r.stringList("key_columns");
        List<BackfillSpec.Assignment> assignments = new ArrayList<>();
        List<Object> list = r.list("assignments");
        for (int i = 0; i < list.size(); i++) {
            Reader ar = Reader.of(list.get(i), r.path + ".assignments[" + i + "]");
            assignments.add(new BackfillSpec.Assignment(ar.requiredString("column"), ar.requiredString("expression")));
        }
        try {
            return new BackfillSpec(table, keys, assignments, Optional.ofNullable(r.optionalString("where")));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(r.path + ": " + e.getMessage(), e);
        }
    }

    /** Typed access to one map, with error messages that name the path. */
    private static final class Reader {
        final Map<?, ?> map;
        final String path;

        Reader(Map<?, ?> map, String path) {
            if (map == null) {
                throw new IllegalArgumentException(path + ": expected an object, got null");
            }
            this.map = map;
            this.path = path;
        }

        static Reader of(Object o, String path) {
            if (!(o instanceof Map<?, ?> m)) {
                throw new IllegalArgumentException(path + ": expected an object, got " + typeName(o));
            }
            return new Reader(m, path);
        }

        Object get(String key) {
            return map.get(key);
        }

        private Object required(String key) {
            if (!map.containsKey(key)) {
                throw new IllegalArgumentException(path + ": missing key \"" + key + "\"");
            }
            Object v = map.get(key);
            if (v == null) {
                throw new IllegalArgumentException(path + "." + key + ": must not be null");
            }
            return v;
        }

        String requiredString(String key) {
            Object v = required(key);
            if (!(v instanceof String s)) {
                throw new IllegalArgumentException(path + "." + key + ": expected a string, got " + typeName(v));
            }
            return s;
        }

        String optionalString(String key) {
            Object v = map.get(key);
            if (v == null) {
                return null;
            }
            if (!(v instanceof String s)) {
                throw new IllegalArgumentException(path + "." + key + ": expected a string or null, got " + typeName(v));
            }
            return s;
        }

        boolean bool(String key) {
            Object v = required(key);
            if (!(v instanceof Boolean b)) {
                throw new IllegalArgumentException(path + "." + key + ": expected true or false, got " + typeName(v));
            }
            return b;
        }

        @SuppressWarnings("unchecked")
        List<Object> list(String key) {
            Object v = required(key);
            if (!(v instanceof List<?> l)) {
                throw new IllegalArgumentException(path + "." + key + ": expected an array, got " + typeName(v));
            }
            return (List<Object>) l;
        }

        List<String> stringList(String key) {
            List<Object> l = list(key);
            List<String> out = new ArrayList<>(l.size());
            for (int i = 0; i < l.size(); i++) {
                if (!(l.get(i) instanceof String s)) {
                    throw new IllegalArgumentException(path + "." + key + "[" + i + "]: expected a string, got " + typeName(l.get(i)));
                }
                out.add(s);
            }
            return out;
        }

        private static String typeName(Object o) {
            if (o == null) {
                return "null";
            }
            if (o instanceof Map) {
                return "an object";
            }
            if (o instanceof List) {
                return "an array";
            }
            if (o instanceof String) {
                return "a string";
            }
            if (o instanceof Boolean) {
                return "a boolean";
            }
            if (o instanceof Number) {
                return "a number";
            }
            return o.getClass().getSimpleName();
        }
    }
}
