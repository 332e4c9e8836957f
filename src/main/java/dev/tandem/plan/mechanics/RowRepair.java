package dev.tandem.plan.mechanics;

import dev.tandem.plan.BackfillSpec;
import dev.tandem.plan.LockLevel;
import dev.tandem.plan.Step;
import dev.tandem.sql.Ident;
import dev.tandem.sql.Names;
import dev.tandem.sql.QualifiedName;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Repairs rows that would violate a constraint about to be enforced, by applying the author's
 * {@code up} expressions to them — the rows that exist (a batched backfill) and the rows the old
 * application writes during the transition (a repair trigger) — so that VALIDATE then succeeds.
 * Used by {@code set_not_null}, {@code add_check} and {@code add_foreign_key}.
 * <ul>
 *   <li><b>dual-write</b>: a {@code BEFORE INSERT OR UPDATE [OF columns]} row trigger whose function
 *       evaluates, over the row being written, {@code CASE WHEN <violation> THEN <up> ELSE <column> END}
 *       for each repaired column, and assigns the results to {@code NEW} (no recursion). The row's
 *       columns are visible to the author's expressions by name ({@code FROM (SELECT NEW.*) AS row}),
 *       so {@code up} and the check are written as plain SQL over the table's columns. The function
 *       does nothing when the session sets {@code tandem.repair = 'off'} (the undo below does).</li>
 *   <li><b>backfill</b>: first the original values of the violating rows (key + repaired columns) are
 *       saved to a table in Tandem's schema ({@code CREATE TABLE … AS SELECT}, one read scan under
 *       ACCESS SHARE), with the value the repair will give them; then the same CASE expressions are
 *       applied in keyset batches. The undo of the batches writes the saved values back into the
 *       rows that still hold the repaired value (with the table's own triggers off where the role
 *       may), so rolling the backfill back restores the data exactly and never overwrites a value
 *       the application wrote since; the saved table is dropped by the undo of the save, or by
 *       purge.</li>
 *   <li><b>contract</b>: the trigger and function are dropped (the old application is gone).</li>
 * </ul>
 * Not restored by a rollback: values the trigger repaired in rows the old application wrote during
 * the transition (they are the values {@code up} says those rows should have), values the
 * application wrote to a repaired row since (kept), and rows whose {@code up} is volatile
 * ({@code current_date}, {@code now()}) and gave another value in the batch than in the save (kept
 * repaired).
 *
 * @param table the table repaired
 * @param key its primary-key columns (backfill batches and the restore join on them); empty for a
 *            table without one: batches by unique index or ctid pages, and the restore finds rows by
 *            their whole image (see {@link #restoreSql})
 * @param function the trigger function (in Tandem's schema)
 * @param trigger the trigger name
 * @param saved the table holding the original values (in Tandem's schema)
 * @param violation the violation predicate, given the SQL qualifier of the row ({@code "public"."tasks"}
 *                  in the backfill, the row alias in the trigger); may ignore it when it needs no
 *                  qualification
 * @param up repaired column → expression over the row (the author's SQL)
 * @param watched columns whose change can create a violation ({@code UPDATE OF}); empty = every UPDATE
 * @param refusal when present, the trigger repairs only the old application's writes: a write of a
 *                session that sets {@code tandem.version = 'new'} and itself makes the row violate (an
 *                INSERT, or an UPDATE that changes a watched column) fails with this error instead of
 *                being repaired. A new-application UPDATE that leaves the watched columns of a row not
 *                yet repaired alone is repaired as before (the violation is not its own).
 */
public record RowRepair(QualifiedName table, List<String> key, QualifiedName function, String trigger, QualifiedName saved,
                        Function<String, String> violation, Map<String, String> up, List<String> watched,
                        Optional<Refusal> refusal) {
    private static final String ROW = "tandem_row";

    /**
     * The error a new-application write that breaks the new shape gets.
     *
     * @param sqlState the SQLSTATE PostgreSQL gives the constraint's own violations (23502, 23503, 23514)
     * @param constraint the constraint (or column, for NOT NULL) the error names
     * @param message the error message
     */
    public record Refusal(String sqlState, String constraint, String message) {
        public Refusal {
            Objects.requireNonNull(sqlState);
            Objects.requireNonNull(constraint);
            Objects.requireNonNull(message);
        }
    }

    /** A repair of every writer's violating rows (no refusal). */
    public RowRepair(QualifiedName table, List<String> key, QualifiedName function, String trigger, QualifiedName saved,
                     Function<String, String> violation, Map<String, String> up, List<String> watched) {
        this(table, key, function, trigger, saved, violation, up, watched, Optional.empty());
    }

    public RowRepair {
        Objects.requireNonNull(table);
        key = List.copyOf(key);
        Objects.requireNonNull(function);
        Objects.requireNonNull(trigger);
        Objects.requireNonNull(saved);
        Objects.requireNonNull(violation);
        up = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(up));
        watched = List.copyOf(watched);
        Objects.requireNonNull(refusal);
        if (up.isEmpty()) {
            throw new IllegalArgumentException("a repair needs at least one column");
        }
    }

    private String repaired(String column, String qualifier) {
        return "CASE WHEN " + violation.apply(qualifier) + " THEN (" + up.get(column) + ") ELSE " + Ident.quote(column) + " END";
    }

    public String createFunctionSql() {
        List<String> values = new ArrayList<>();
        List<String> targets = new ArrayList<>();
        for (String column : up.keySet()) {
            values.add(repaired(column, Ident.quote(ROW)));
            targets.add("NEW." + Ident.quote(column));
        }
        String repair = "    SELECT " + String.join(",\n           ", values) + "\n"
                + "      INTO " + String.join(", ", targets) + "\n"
                + "      FROM (SELECT NEW.*) AS " + Ident.quote(ROW) + ";\n";
        String body = "\n#variable_conflict use_column\n"
                + (refusal.isPresent() ? "DECLARE\n  own boolean := false;\n" : "")
                + "BEGIN\n"
                + "  IF current_setting('tandem.repair', true) IS DISTINCT FROM 'off' THEN\n"
                + refusal.map(this::refuseNew).orElse("")
                + repair
                + (refusal.isPresent() ? "    END IF;\n" : "")
                + "  END IF;\n"
                + "  RETURN NEW;\n"
                + "END\n";
        String tag = dev.tandem.sql.PlPgSql.dollarTag(body);
        return "CREATE OR REPLACE FUNCTION " + function.sql() + "() RETURNS trigger LANGUAGE plpgsql AS " + tag + body + tag;
    }

    /**
     * The opening of the branch for the new application's own violating writes; the repair follows
     * as the ELSE branch.
     */
    private String refuseNew(Refusal r) {
        String changed = watched.isEmpty() ? "true"
                : String.join(" OR ", watched.stream().map(c -> "NEW." + Ident.quote(c) + " IS DISTINCT FROM OLD." + Ident.quote(c)).toList());
        return "    IF current_setting('tandem.version', true) = 'new' THEN\n"
                + "      IF TG_OP = 'INSERT' THEN\n        own := true;\n      ELSE\n        own := " + changed + ";\n      END IF;\n"
                + "    END IF;\n"
                + "    IF own AND (SELECT " + violation.apply(Ident.quote(ROW)) + " FROM (SELECT NEW.*) AS " + Ident.quote(ROW) + ") THEN\n"
                + "      RAISE EXCEPTION USING ERRCODE = " + Ident.literal(r.sqlState()) + ", MESSAGE = " + Ident.literal(r.message())
                + ", CONSTRAINT = " + Ident.literal(r.constraint()) + ", TABLE = " + Ident.literal(table.name())
                + ", SCHEMA = " + Ident.literal(table.schema()) + ";\n"
                + "    ELSE\n";
    }

    public String createTriggerSql() {
        String of = watched.isEmpty() ? "" : " OF " + String.join(", ", watched.stream().map(Ident::quote).toList());
        return "CREATE TRIGGER " + Ident.quote(trigger) + " BEFORE INSERT OR UPDATE" + of + " ON " + table.sql()
                + " FOR EACH ROW EXECUTE FUNCTION " + function.sql() + "()";
    }

    public String dropTriggerSql() {
        return "DROP TRIGGER " + Ident.quote(trigger) + " ON " + table.sql();
    }

    public String dropFunctionSql() {
        return "DROP FUNCTION " + function.sql() + "()";
    }

    /** Dual-write: the function, then the trigger. */
    public List<Step> dualWrite() {
        return List.of(
                Step.ddl("create the repair function " + function, createFunctionSql(), dropFunctionSql(), LockLevel.NONE, null),
                Step.ddl("create the repair trigger " + trigger + " (applies up to violating rows the old application writes)",
                        createTriggerSql(), dropTriggerSql(), LockLevel.SHARE_ROW_EXCLUSIVE, table.toString()));
    }

    /** Contract: trigger, then function (the undo re-creates them). */
    public List<Step> contract() {
        return List.of(
                // DROP TRIGGER takes ACCESS EXCLUSIVE (CREATE TRIGGER only SHARE ROW EXCLUSIVE): brief, with lock_timeout
                Step.ddl("drop the repair trigger " + trigger, dropTriggerSql(), createTriggerSql(), LockLevel.ACCESS_EXCLUSIVE, table.toString()),
                Step.ddl("drop the repair function " + function, dropFunctionSql(), createFunctionSql(), LockLevel.NONE, null));
    }

    /** The saved table's column holding the value the repair gives {@code column}. */
    static String repairedColumn(String column) {
        return Names.bounded("tandem_repaired", column);
    }

    /** The saved table's column holding, for a table without a key, the row's image after the repair. */
    static final String IMAGE = "tandem_image";

    public String saveSql() {
        if (key.isEmpty()) {
            // no key: the whole original row, and its image (jsonb) as the repair leaves it, to find it again
            List<String> patch = new ArrayList<>();
            up.keySet().forEach(c -> patch.add(Ident.literal(c) + ", " + repaired(c, table.sql())));
            // through jsonb_populate_record, so a repaired value is in the column's own type, as the row will hold it
            return "CREATE TABLE " + saved.sql() + " AS SELECT " + table.sql() + ".*, to_jsonb(jsonb_populate_record(NULL::" + table.sql()
                    + ", to_jsonb(" + table.sql() + ".*) || jsonb_build_object(" + String.join(", ", patch) + "))) AS " + Ident.quote(IMAGE)
                    + " FROM " + table.sql() + " WHERE " + violation.apply(table.sql());
        }
        List<String> cols = new ArrayList<>();
        key.forEach(k -> cols.add(Ident.quote(k)));
        up.keySet().stream().filter(c -> !key.contains(c)).forEach(c -> cols.add(Ident.quote(c)));
        up.keySet().forEach(c -> cols.add(repaired(c, table.sql()) + " AS " + Ident.quote(repairedColumn(c))));
        return "CREATE TABLE " + saved.sql() + " AS SELECT " + String.join(", ", cols)
                + " FROM " + table.sql() + " WHERE " + violation.apply(table.sql());
    }

    public String dropSavedSql() {
        return "DROP TABLE IF EXISTS " + saved.sql();
    }

    /** Writes the saved originals back, without firing the repair trigger (nor, where the role may, user triggers). */
    public String restoreSql() {
        return restoreBody(key.isEmpty() ? restoreWithoutKey() : restoreByKey());
    }

    /**
     * Without a key, rows are found by their whole image ({@code to_jsonb} of the row as the repair
     * left it); rows with equal images are paired with saved originals of that image one to one
     * ({@code row_number}), so the table ends up holding exactly the original rows (as a multiset:
     * identical rows are interchangeable). A row changed in any column since is not matched and kept.
     */
    private String restoreWithoutKey() {
        String cur = Ident.quote("tandem_cur");
        String s = Ident.quote("tandem_saved");
        String m = Ident.quote("tandem_match");
        String tid = Ident.quote("tandem_tid");
        String n = Ident.quote("tandem_n");
        String image = Ident.quote(IMAGE);
        List<String> sets = new ArrayList<>();
        List<String> picks = new ArrayList<>();
        int i = 0;
        for (String c : up.keySet()) {
            String alias = Ident.quote("tandem_v" + i++);
            sets.add(Ident.quote(c) + " = " + m + "." + alias);
            picks.add(s + "." + Ident.quote(c) + " AS " + alias);
        }
        return "UPDATE " + table.sql() + " SET " + String.join(", ", sets)
                + " FROM (SELECT " + cur + "." + tid + ", " + String.join(", ", picks)
                + " FROM (SELECT " + cur + ".ctid AS " + tid + ", to_jsonb(" + cur + ".*) AS " + image
                + ", row_number() OVER (PARTITION BY to_jsonb(" + cur + ".*) ORDER BY " + cur + ".ctid) AS " + n
                + " FROM " + table.sql() + " AS " + cur + ") AS " + cur
                + " JOIN (SELECT " + s + ".*, row_number() OVER (PARTITION BY " + s + "." + image + ") AS " + n
                + " FROM " + saved.sql() + " AS " + s + ") AS " + s
                + " ON " + s + "." + image + " = " + cur + "." + image + " AND " + s + "." + n + " = " + cur + "." + n + ") AS " + m
                + " WHERE " + table.sql() + ".ctid = " + m + "." + tid;
    }

    private String restoreByKey() {
        String s = Ident.quote("saved");
        List<String> sets = new ArrayList<>();
        up.keySet().forEach(c -> sets.add(Ident.quote(c) + " = " + s + "." + Ident.quote(c)));
        List<String> join = new ArrayList<>();
        key.forEach(k -> join.add(table.sql() + "." + Ident.quote(k) + " = " + s + "." + Ident.quote(k)));
        // only rows still holding what the repair gave them: a value the application wrote since is kept
        up.keySet().forEach(c -> join.add(table.sql() + "." + Ident.quote(c) + " IS NOT DISTINCT FROM " + s + "."
                + Ident.quote(repairedColumn(c))));
        return "UPDATE " + table.sql() + " SET " + String.join(", ", sets) + " FROM " + saved.sql() + " AS " + s
                + " WHERE " + String.join(" AND ", join);
    }

    private String restoreBody(String update) {
        String body = "\nBEGIN\n"
                + "  PERFORM set_config('tandem.repair', 'off', true);\n"
                + "  BEGIN\n    PERFORM set_config('session_replication_role', 'replica', true);\n"
                + "  EXCEPTION WHEN insufficient_privilege THEN NULL; -- the table's own triggers fire then\n  END;\n"
                + "  IF to_regclass(" + Ident.literal(saved.sql()) + ") IS NOT NULL THEN\n"
                + "    " + update + ";\n"
                + "  END IF;\n"
                + "END\n";
        String tag = dev.tandem.sql.PlPgSql.dollarTag(body);
        return "DO " + tag + body + tag;
    }

    /** Backfill: save the originals of the violating rows, then repair in batches (undo: write the originals back). */
    public List<Step> backfill() {
        List<BackfillSpec.Assignment> assignments = new ArrayList<>();
        up.keySet().forEach(c -> assignments.add(new BackfillSpec.Assignment(c, repaired(c, table.sql()))));
        String setList = String.join(", ", up.keySet().stream().map(c -> Ident.quote(c) + " = " + repaired(c, table.sql())).toList());
        return List.of(
                new Step("save the original values of the rows to repair into " + saved + " (read scan, blocks no writes)",
                        saveSql(), List.of(dropSavedSql()), LockLevel.ACCESS_SHARE, table.toString(), false, true, true, Optional.empty()),
                new Step("repair the violating rows of " + table + " in batches (" + String.join(", ", up.keySet()) + " := up)",
                        "UPDATE " + table.sql() + " SET " + setList + " WHERE " + violation.apply(table.sql()),
                        List.of(restoreSql()), LockLevel.ROW_EXCLUSIVE, table.toString(), false, true, true,
                        Optional.of(new BackfillSpec(table, key, assignments))));
    }

    /** Purge: the saved originals are no longer needed. */
    public Step purge() {
        return Step.ddl("drop the saved originals " + saved, dropSavedSql(), null, LockLevel.NONE, null);
    }
}
