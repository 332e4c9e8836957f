package dev.tandem.verify;

import dev.tandem.plan.BackfillSpec;
import dev.tandem.sql.QualifiedName;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.postgresql.util.PSQLException;

/**
 * Randomized writes of the old or the new application version after a phase, and the dual-write
 * check, all in one transaction that is rolled back afterwards (so the phase's own rollback is
 * then compared against the state before the phase).
 * <ul>
 *   <li>Each application inserts rows and updates random rows of every table the migration
 *       touches, writing only the columns it knows: the old application those of the catalog
 *       before the migration, the new one those of the catalog the migration projects. A write the
 *       migration's objects reject (NOT NULL, a foreign key, a CHECK the migration added) is an
 *       error; a conflict with a unique key or a CHECK that existed before is the generator's
 *       limit and only counted.</li>
 *   <li>A column an application writes that is missing while it runs is an error.</li>
 *   <li>Dual-write invariants: a backfill's {@code target = expression} (checked for the old
 *       application: {@code up} over the old row) or an undo backfill's (checked for the new
 *       application: {@code down} over the new row) — before the backfill has run, over the rows
 *       the application inserted (checked before its updates); afterwards over every row, after
 *       all its writes.</li>
 * </ul>
 */
final class Workload {
    /**
     * Who writes: an application version, the columns it knows per table, and those of them it
     * knows as NOT NULL (it never writes NULL there, whatever the column is during the migration).
     */
    record App(String name, Map<QualifiedName, Set<String>> columns, Map<QualifiedName, Set<String>> notNull) {}

    /** A backfill whose result must hold, and whether every row (else only rows written now) is checked. */
    record Invariant(BackfillSpec spec, boolean allRows) {}

    /** What the run saw. */
    record Outcome(List<String> errors, List<String> notes, int statements, int rowsWritten) {}

    private static final int INSERT_ROWS = 20;
    private static final int UPDATE_ROWS = 10;

    private final Connection c;
    private final Random random;
    private final Map<QualifiedName, Set<String>> constraintsBefore;

    /**
     * @param constraintsBefore constraint names per table before the migration (a violation of one
     *                          of these is the generator's fault, not the migration's)
     */
    Workload(Connection c, long seed, Map<QualifiedName, Set<String>> constraintsBefore) {
        this.c = c;
        this.random = new Random(seed);
        this.constraintsBefore = constraintsBefore;
    }

    /** One application's writes, then the invariants, in one transaction that is rolled back. */
    Outcome run(App app, List<Invariant> invariants) throws SQLException {
        List<String> errors = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        int[] counts = new int[2]; // statements, rows
        c.setAutoCommit(false);
        try {
            long firstXid;
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT txid_current() % 4294967296")) {
                rs.next();
                firstXid = rs.getLong(1);
            }
            Map<QualifiedName, List<String>> updates = new LinkedHashMap<>();
            for (Map.Entry<QualifiedName, Set<String>> e : app.columns().entrySet()) {
                QualifiedName t = e.getKey();
                TableModel live = TableModel.read(c, t).orElse(null);
                if (live == null) {
                    errors.add("the " + app.name() + " application writes table " + t + ", which does not exist now");
                    continue;
                }
                TableModel m = live.withNotNull(app.notNull().getOrDefault(t, Set.of()));
                List<String> missing = e.getValue().stream().filter(col -> m.column(col).isEmpty()).sorted().toList();
                if (!missing.isEmpty()) {
                    errors.add("the " + app.name() + " application writes " + t + "." + String.join(", ", missing)
                            + ", which does not exist now");
                }
                long first = 1_000_000L + random.nextInt(9_000_000);
                long salt = random.nextInt(1_000_000);
                RowGenerator.Insert insert = RowGenerator.insert(m, e.getValue(), first, INSERT_ROWS, salt);
                insert.problem().ifPresent(p -> notes.add("no " + app.name() + "-application inserts into " + t + ": " + p));
                insert.sql().ifPresent(sql -> execute(app, t, sql, errors, notes, counts));
                List<String> sqls = new ArrayList<>();
                List<String> updatable = RowGenerator.updatable(m, e.getValue());
                if (!updatable.isEmpty()) {
                    RowGenerator.update(m, updatable, first + 100, UPDATE_ROWS, salt).ifPresent(sqls::add);
                    RowGenerator.update(m, subset(updatable), first + 200, UPDATE_ROWS, salt + 1).ifPresent(sqls::add);
                    RowGenerator.update(m, List.of(updatable.get(random.nextInt(updatable.size()))), first + 300, UPDATE_ROWS,
                            salt + 2).ifPresent(sqls::add);
                }
                updates.put(t, sqls);
            }
            // before the backfill, only rows the application inserted are sure to have passed through the sync
            // trigger (an UPDATE of other columns does not fire a trigger declared BEFORE UPDATE OF its columns)
            for (Invariant inv : invariants) {
                if (!inv.allRows()) {
                    check(app, inv, firstXid, errors, notes);
                }
            }
            updates.forEach((t, sqls) -> sqls.forEach(sql -> execute(app, t, sql, errors, notes, counts)));
            for (Invariant inv : invariants) {
                if (inv.allRows()) {
                    check(app, inv, firstXid, errors, notes);
                }
            }
        } finally {
            c.rollback();
            c.setAutoCommit(true);
        }
        return new Outcome(errors, notes, counts[0], counts[1]);
    }

    /** Runs one write in a savepoint; a failure is classified, never thrown. */
    private void execute(App app, QualifiedName t, String sql, List<String> errors, List<String> notes, int[] counts) {
        counts[0]++;
        try {
            Savepoint sp = c.setSavepoint();
            try (Statement s = c.createStatement()) {
                counts[1] += s.executeUpdate(sql);
                c.releaseSavepoint(sp);
            } catch (SQLException ex) {
                c.rollback(sp);
                classify(app, t, ex, errors, notes);
            }
        } catch (SQLException ex) {
            throw dev.tandem.TandemException.runtime("verify lost its transaction: " + ex.getMessage(), ex);
        }
    }

    private List<String> subset(List<String> cols) {
        List<String> out = new ArrayList<>();
        for (String col : cols) {
            if (random.nextBoolean()) {
                out.add(col);
            }
        }
        return out.isEmpty() ? List.of(cols.get(random.nextInt(cols.size()))) : out;
    }

    private void classify(App app, QualifiedName t, SQLException ex, List<String> errors, List<String> notes) {
        String state = ex.getSQLState() == null ? "" : ex.getSQLState();
        String constraint = ex instanceof PSQLException p && p.getServerErrorMessage() != null
                ? p.getServerErrorMessage().getConstraint() : null;
        String what = "a " + app.name() + "-application write to " + t + " failed: " + ex.getMessage().strip().replace('\n', ' ');
        boolean generatorsLimit = state.equals("23505")
                || (state.equals("23514") && constraint != null && constraintsBefore.getOrDefault(t, Set.of()).contains(constraint));
        boolean migrationsFault = state.equals("23502") || state.equals("23503") || state.equals("23514");
        if (migrationsFault && !generatorsLimit) {
            errors.add(what);
        } else {
            notes.add(what);
        }
    }

    private void check(App app, Invariant inv, long firstXid, List<String> errors, List<String> notes) throws SQLException {
        BackfillSpec spec = inv.spec();
        List<String> differs = new ArrayList<>();
        for (BackfillSpec.Assignment a : spec.assignments()) {
            differs.add("(" + dev.tandem.sql.Ident.quote(a.column()) + ") IS DISTINCT FROM (" + a.expression() + ")");
        }
        String where = "(" + String.join(" OR ", differs) + ")"
                + (inv.allRows() ? "" : " AND xmin::text::bigint >= " + firstXid);
        String sql = "SELECT count(*) FROM " + spec.table().sql() + " WHERE " + where;
        Savepoint sp = c.setSavepoint();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            long bad = rs.getLong(1);
            if (bad > 0) {
                errors.add("dual-write: " + bad + " row" + (bad == 1 ? "" : "s") + " of " + spec.table() + " where "
                        + describe(spec) + " does not hold (" + (inv.allRows() ? "all rows, after the " + app.name() + " application's writes"
                        : "rows the " + app.name() + " application inserted in this phase") + ")");
            }
            c.releaseSavepoint(sp);
        } catch (SQLException ex) {
            c.rollback(sp);
            notes.add("could not check " + describe(spec) + " on " + spec.table() + ": " + ex.getMessage().strip());
        }
    }

    static String describe(BackfillSpec spec) {
        return String.join(", ", spec.assignments().stream().map(a -> a.column() + " = " + a.expression()).toList());
    }
}
