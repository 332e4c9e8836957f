package dev.tandem.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tandem.TandemException;
import dev.tandem.catalog.Fingerprint;
import dev.tandem.plan.Phase;
import dev.tandem.state.MigrationRecord;
import dev.tandem.state.MigrationRecord.Status;
import dev.tandem.testing.Db;
import dev.tandem.testing.PhaseWalk;
import dev.tandem.testing.TestDatabase;
import dev.tandem.testing.Train;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Release-train property test: random sequences of 2–4 migrations over the same two tiny tables
 * (rename, retype, add and drop column, rename table, index, check constraint), driven by a random
 * interleaving of apply / switch-reads / contract / rollback / purge across the started ones, with
 * random application writes (through the name the writing version uses: the old table name while a
 * rename is in flight, else the new one) between commands.
 *
 * <p>Invariants after every command: it succeeds, or it is refused cleanly (exit 2, catalog and
 * data unchanged) when the command was not valid for the migration's state; every committed
 * application write is still there, unaltered. At the end of a sequence without purge, rolling
 * everything back restores the catalog fingerprint and the data exactly.
 *
 * <p>The command that should work next is computed here from the migration's status and phase
 * (switch-reads after backfill, contract after switch-reads, purge after contract, rollback of any
 * started unpurged one, apply for the folder).
 *
 * <p>Seed: {@code -Dtandem.train.seed=N} (default fixed); sequences: {@code -Dtandem.train.sequences=N}
 * (default 200). Both are printed.
 */
class ReleaseTrainPropertyTest {
    @TempDir
    Path root;

    private Workspace ws;
    private int waits;

    /** A table of the model: its current name and its columns (name to type), without the stable ones. */
    static final class ModelTable {
        String name;
        final Map<String, String> columns = new LinkedHashMap<>();

        ModelTable(String name) {
            this.name = name;
        }
    }

    @Test
    void randomTrainsKeepEveryWriteAndRollBackExactly() throws Exception {
        long seed = Long.getLong("tandem.train.seed", 20261204L);
        int sequences = Integer.getInteger("tandem.train.sequences", 200);
        System.out.println("[train] seed " + seed + ", " + sequences + " sequences (-Dtandem.train.seed, -Dtandem.train.sequences)");
        TestDatabase db = TestDatabase.create("ReleaseTrainProperty");
        Map<String, Integer> counts = new TreeMap<>();
        long started = System.nanoTime();
        try (Connection c = db.connect()) {
            int only = Integer.getInteger("tandem.train.only", -1); // reproduce one sequence by its index
            for (int s = 0; s < sequences; s++) {
                if (only >= 0 && s != only) {
                    continue;
                }
                long seqSeed = seed * 1_000_003L + s;
                try {
                    runSequence(db, c, new Random(seqSeed), s, counts);
                } catch (AssertionError | Exception e) {
                    throw new AssertionError("sequence " + s + " (seed " + seed + ", sequence seed " + seqSeed + "): " + e.getMessage(), e);
                }
            }
        }
        counts.put("apply-waited", waits);
        System.out.printf("[train] %d sequences in %.1f s: %s%n", sequences, (System.nanoTime() - started) / 1e9, counts);
    }

    private void runSequence(TestDatabase db, Connection c, Random rnd, int s, Map<String, Integer> counts) throws Exception {
        reset(c);
        Path dir = Files.createDirectory(root.resolve("seq" + s));
        Train train = new Train(db, dir, false);
        List<String> ids = generate(rnd, train, 2 + rnd.nextInt(3));
        ws = Workspace.forWriting(train.settings());
        try {
            runSequence(c, rnd, train, ids, counts);
        } finally {
            ws.close();
        }
    }

    private void runSequence(Connection c, Random rnd, Train train, List<String> ids, Map<String, Integer> counts) throws Exception {
        boolean mayPurge = rnd.nextBoolean();
        Fingerprint initial = Fingerprint.of(c, List.of("public"), true);
        Map<String, String> writes = new TreeMap<>(); // "table-key:id" -> k, the application rows
        int[] nextId = {1000};
        List<String> log = new ArrayList<>();
        int steps = 6 + rnd.nextInt(7);
        for (int i = 0; i < steps; i++) {
            appWrites(c, rnd, writes, nextId);
            List<String[]> valid = validCommands(ids, mayPurge);
            String[] cmd = valid.get(rnd.nextInt(valid.size()));
            log.add(String.join(" ", cmd));
            count(counts, cmd[0]);
            boolean refusal = cmd[0].equals("apply") && outOfOrder(ids);
            Fingerprint before = refusal ? Fingerprint.of(c, List.of("public"), true) : null;
            try {
                run(train, cmd);
                if (refusal) {
                    throw new AssertionError("apply should refuse a pending migration before a started one, after " + log);
                }
            } catch (TandemException e) {
                if (!refusal || e.exitCode() != TandemException.BAD_INPUT) {
                    throw new AssertionError("`" + String.join(" ", cmd) + "` failed after " + log + ": " + e.getMessage(), e);
                }
                PhaseWalk.assertNoDiff(before, Fingerprint.of(c, List.of("public"), true), "refused apply after " + log);
                count(counts, "refused-out-of-order");
            } catch (RuntimeException | SQLException e) {
                throw new AssertionError("`" + String.join(" ", cmd) + "` failed after " + log + ": " + e.getMessage(), e);
            }
            if (rnd.nextInt(6) == 0) {
                refusedCleanly(c, train, ids, rnd, counts, log);
            }
            assertWrites(c, writes, log);
        }
        count(counts, "sequences");
        if (mayPurge && anyPurged(ids)) {
            count(counts, "with-purge");
            return;
        }
        List<String> reversed = new ArrayList<>(ids);
        java.util.Collections.reverse(reversed);
        for (String id : reversed) {
            Optional<MigrationRecord> r = record(id);
            if (r.isPresent() && !r.get().status().equals(Status.PENDING)) {
                run(train, new String[] {"rollback", id, "--all"});
            }
        }
        assertWrites(c, writes, log);
        Db.exec(c, "DELETE FROM a WHERE id >= 1000");
        Db.exec(c, "DELETE FROM b WHERE id >= 1000");
        PhaseWalk.assertNoDiff(initial, Fingerprint.of(c, List.of("public"), true), "full rollback after " + log);
        count(counts, "full-rollbacks");
    }

    private static void reset(Connection c) throws SQLException {
        Db.exec(c, "DROP SCHEMA IF EXISTS public CASCADE");
        Db.exec(c, "CREATE SCHEMA public");
        if (Boolean.TRUE.equals(Db.scalar(c, "SELECT to_regclass('tandem.migrations') IS NOT NULL"))) {
            Db.exec(c, "TRUNCATE tandem.migrations, tandem.steps, tandem.history, tandem.backfill_checkpoints");
            // the previous sequence may end with migrations in flight: their trigger functions live in the state schema
            Db.exec(c, "DO $$ DECLARE r record; BEGIN FOR r IN SELECT p.oid::regprocedure AS f FROM pg_proc p"
                    + " WHERE p.pronamespace = 'tandem'::regnamespace LOOP EXECUTE 'DROP FUNCTION ' || r.f || ' CASCADE'; END LOOP; END $$");
        }
        Db.exec(c, "CREATE TABLE a (id integer PRIMARY KEY, k text, x integer, y text)");
        Db.exec(c, "CREATE TABLE b (id integer PRIMARY KEY, k text, p integer, q text)");
        Db.exec(c, "INSERT INTO a SELECT g, 'ka' || g, g, 'y' || g FROM generate_series(1, 5) g");
        Db.exec(c, "INSERT INTO b SELECT g, 'kb' || g, g * 10, 'q' || g FROM generate_series(1, 5) g");
    }

    /** Writes 2–4 migration files valid in changelog order against the projected model; returns their ids. */
    private static List<String> generate(Random rnd, Train train, int n) {
        ModelTable a = new ModelTable("a");
        a.columns.put("x", "integer");
        a.columns.put("y", "text");
        ModelTable b = new ModelTable("b");
        b.columns.put("p", "integer");
        b.columns.put("q", "text");
        List<ModelTable> tables = List.of(a, b);
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            ModelTable t = tables.get(rnd.nextInt(2));
            List<String> cols = new ArrayList<>(t.columns.keySet());
            String col = cols.isEmpty() ? null : cols.get(rnd.nextInt(cols.size()));
            String id = String.format("%04d_m%d", i, i);
            String intent;
            int kind = rnd.nextInt(7);
            if (col == null && kind != 2 && kind != 4) {
                kind = 2;
            }
            switch (kind) {
                case 0 -> {
                    String to = col + "_r" + i;
                    intent = "rename_column: {table: " + t.name + ", column: " + col + ", to: " + to + "}";
                    String type = t.columns.remove(col);
                    t.columns.put(to, type);
                }
                case 1 -> {
                    String type = t.columns.get(col);
                    String to = type.equals("integer") ? "bigint" : type.equals("bigint") ? "integer" : type.equals("text") ? "varchar(100)" : "text";
                    String up = type.equals("bigint") ? ", up: \"" + col + "::integer\", down: \"" + col + "::bigint\"" : "";
                    intent = "change_column_type: {table: " + t.name + ", column: " + col + ", type: \"" + to + "\"" + up + "}";
                    t.columns.put(col, to);
                }
                case 2 -> {
                    String name = "c" + i;
                    intent = "add_column: {table: " + t.name + ", column: {name: " + name + ", type: text}}";
                    t.columns.put(name, "text");
                }
                case 3 -> {
                    intent = "drop_column: {table: " + t.name + ", column: " + col + "}";
                    t.columns.remove(col);
                }
                case 4 -> {
                    String to = t.name + "_t" + i;
                    intent = "rename_table: {table: " + t.name + ", to: " + to + "}";
                    t.name = to;
                }
                case 5 -> intent = "create_index: {table: " + t.name + ", name: " + t.name + "_" + col + "_i" + i + ", columns: [" + col + "]}";
                default -> {
                    String type = t.columns.get(col);
                    String check = type.contains("int") ? col + " IS NULL OR " + col + " >= 0" : col + " IS NULL OR length(" + col + ") < 100";
                    intent = "add_check: {table: " + t.name + ", name: " + t.name + "_" + col + "_k" + i + ", check: \"" + check + "\"}";
                }
            }
            train.write(id, "changes:\n  - " + intent + "\n");
            ids.add(id);
        }
        return ids;
    }

    /** What may run now, from each migration's state; apply is always valid; forward commands weigh double. */
    private List<String[]> validCommands(List<String> ids, boolean mayPurge) throws SQLException {
        List<String[]> out = new ArrayList<>();
        out.add(new String[] {"apply"});
        out.add(new String[] {"apply"});
        for (String id : ids) {
            Optional<MigrationRecord> r = record(id);
            if (r.isEmpty() || r.get().status().equals(Status.PENDING) || r.get().status().equals(Status.PURGED)) {
                continue;
            }
            MigrationRecord rec = r.get();
            Phase at = rec.phase().orElse(null);
            for (int twice = 0; twice < 2; twice++) {
                if (rec.status().equals(Status.IN_PROGRESS) && at == Phase.BACKFILL) {
                    out.add(new String[] {"switch-reads", id});
                }
                if (rec.status().equals(Status.IN_PROGRESS) && at == Phase.SWITCH_READS) {
                    out.add(new String[] {"contract", id});
                }
                if (mayPurge && rec.status().equals(Status.CONTRACTED)) {
                    out.add(new String[] {"purge", id});
                }
            }
            out.add(new String[] {"rollback", id});
        }
        return out;
    }

    /**
     * Runs one command in the sequence's session (one workspace per sequence saves the state-schema
     * check per command; a failed command gets a fresh one, as a new CLI process would).
     */
    private void run(Train train, String[] cmd) throws SQLException {
        try {
            switch (cmd[0]) {
                case "apply" -> {
                    if (new ApplyCommand(ws).run(train.migrations(), Phase.BACKFILL).waitingFor().isPresent()) {
                        waits++;
                    }
                }
                case "switch-reads" -> new AdvanceCommand(ws).run(cmd[1], Phase.SWITCH_READS);
                case "contract" -> new AdvanceCommand(ws).run(cmd[1], Phase.CONTRACT);
                case "purge" -> new PurgeCommand(ws).run(cmd[1]);
                case "rollback" -> new RollbackCommand(ws).run(cmd[1], Optional.empty(), cmd.length > 2);
                default -> throw new IllegalArgumentException(cmd[0]);
            }
        } catch (RuntimeException | SQLException e) {
            ws.close();
            ws = Workspace.forWriting(train.settings());
            throw e;
        }
    }

    private Optional<MigrationRecord> record(String id) throws SQLException {
        return Optional.ofNullable(ws.records().get(id));
    }

    /** True when a migration before a started one is pending (rolled back entirely): apply then refuses, exit 2. */
    private boolean outOfOrder(List<String> ids) throws SQLException {
        boolean pendingSeen = false;
        for (String id : ids) {
            boolean started = record(id).map(r -> !r.status().equals(Status.PENDING)).orElse(false);
            if (started && pendingSeen) {
                return true;
            }
            pendingSeen |= !started;
        }
        return false;
    }

    /** A command that is not valid now (contract before switch-reads, purge before contract) is exit 2 and changes nothing. */
    private void refusedCleanly(Connection c, Train train, List<String> ids, Random rnd, Map<String, Integer> counts,
                                List<String> log) throws SQLException {
        String id = ids.get(rnd.nextInt(ids.size()));
        Optional<MigrationRecord> r = record(id);
        String status = r.map(MigrationRecord::status).orElse(Status.PENDING);
        Optional<Phase> at = r.flatMap(MigrationRecord::phase);
        String[] cmd;
        if (!status.equals(Status.CONTRACTED) && !status.equals(Status.PURGED)) {
            cmd = new String[] {"purge", id};
        } else if (status.equals(Status.CONTRACTED)) {
            cmd = new String[] {"switch-reads", id};
        } else {
            cmd = new String[] {"rollback", id};
        }
        if (cmd[0].equals("switch-reads") && at.isPresent() && at.get() == Phase.BACKFILL) {
            return;
        }
        Fingerprint before = Fingerprint.of(c, List.of("public"), true);
        try {
            run(train, cmd);
            throw new AssertionError("`" + String.join(" ", cmd) + "` should be refused at " + status + " " + at + " after " + log);
        } catch (TandemException e) {
            assertEquals(TandemException.BAD_INPUT, e.exitCode(), String.join(" ", cmd) + ": " + e.getMessage());
        }
        PhaseWalk.assertNoDiff(before, Fingerprint.of(c, List.of("public"), true), "refused " + String.join(" ", cmd));
        count(counts, "refused");
    }

    /** The relation an application writes table {@code key} ("a" or "b") through now: its current name, or the old one (a view) while a rename is unpurged. */
    private static String relation(Connection c, String key) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace"
                + " AND relkind IN ('r', 'v') AND (relname = ? OR relname LIKE ?) ORDER BY random() LIMIT 1")) {
            st.setString(1, key);
            st.setString(2, key + "\\_t%");
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private static void appWrites(Connection c, Random rnd, Map<String, String> writes, int[] nextId) throws SQLException {
        int n = rnd.nextInt(4);
        for (int i = 0; i < n; i++) {
            String key = rnd.nextBoolean() ? "a" : "b";
            String rel = relation(c, key);
            List<String> mine = writes.keySet().stream().filter(w -> w.startsWith(key + ":")).toList();
            int op = mine.isEmpty() ? 0 : rnd.nextInt(3);
            String ident = dev.tandem.sql.Ident.quote(rel);
            if (op == 0) {
                int id = nextId[0]++;
                String k = "w" + id;
                Db.exec(c, "INSERT INTO " + ident + " (id, k) VALUES (" + id + ", '" + k + "')");
                writes.put(key + ":" + id, k);
            } else {
                String w = mine.get(rnd.nextInt(mine.size()));
                String id = w.substring(2);
                if (op == 1) {
                    String k = "u" + rnd.nextInt(1000);
                    Db.exec(c, "UPDATE " + ident + " SET k = '" + k + "' WHERE id = " + id);
                    writes.put(w, k);
                } else {
                    Db.exec(c, "DELETE FROM " + ident + " WHERE id = " + id);
                    writes.remove(w);
                }
            }
        }
    }

    private static void assertWrites(Connection c, Map<String, String> writes, List<String> log) throws SQLException {
        Map<String, String> actual = new TreeMap<>();
        for (String key : List.of("a", "b")) {
            String table = tableOf(c, key);
            try (PreparedStatement st = c.prepareStatement("SELECT id, k FROM " + dev.tandem.sql.Ident.quote(table) + " WHERE id >= 1000");
                 ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    actual.put(key + ":" + rs.getInt(1), rs.getString(2));
                }
            }
        }
        assertEquals(writes, actual, "application rows after " + log);
    }

    /** The base table (not the view) of table {@code key}. */
    private static String tableOf(Connection c, String key) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace"
                + " AND relkind = 'r' AND (relname = ? OR relname LIKE ?) AND relname NOT LIKE 'tandem%'")) {
            st.setString(1, key);
            st.setString(2, key + "\\_t%");
            try (ResultSet rs = st.executeQuery()) {
                List<String> names = new ArrayList<>();
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
                names.sort(Comparator.naturalOrder());
                if (names.size() != 1) {
                    throw new AssertionError("expected one base table for " + key + ": " + names);
                }
                return names.get(0);
            }
        }
    }

    private boolean anyPurged(List<String> ids) throws SQLException {
        for (String id : ids) {
            if (record(id).map(r -> r.status().equals(Status.PURGED)).orElse(false)) {
                return true;
            }
        }
        return false;
    }

    private static void count(Map<String, Integer> counts, String what) {
        counts.merge(what, 1, Integer::sum);
    }
}
