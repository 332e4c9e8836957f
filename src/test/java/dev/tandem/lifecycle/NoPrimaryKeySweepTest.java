package dev.tandem.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.intent.AddCheck;
import dev.tandem.intent.AddColumn;
import dev.tandem.intent.AddForeignKey;
import dev.tandem.intent.ChangeColumnType;
import dev.tandem.intent.DropColumn;
import dev.tandem.intent.Intent;
import dev.tandem.intent.MergeColumns;
import dev.tandem.intent.RenameColumn;
import dev.tandem.intent.SetNotNull;
import dev.tandem.intent.SplitColumn;
import dev.tandem.plan.Phase;
import dev.tandem.sql.Names;
import dev.tandem.sql.QualifiedName;
import dev.tandem.testing.Db;
import dev.tandem.testing.LifecycleDriver;
import dev.tandem.testing.PhaseWalk;
import dev.tandem.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue #11.3, the class behind it: EVERY intent kind whose plan backfills (or repairs rows) walks
 * all phases on a table without a primary key or unique index, whose rows come in pairs that only
 * their physical position tells apart — with old- and new-application writes, exact rollbacks
 * (fingerprint incl. data) and the backfill cut by ctid pages. A new intent kind must be added to
 * {@link #CASES} or to {@link #NOT_BACKFILLING} ({@link #everyIntentKindIsClassified}), so a recipe
 * that forgets the ctid path fails here.
 */
class NoPrimaryKeySweepTest {
    static final QualifiedName EVENTS = new QualifiedName("public", "events");
    static final int ROWS = 2000;

    /** Intent kinds that never backfill nor repair rows (no batched UPDATE in any phase). */
    static final Set<Class<?>> NOT_BACKFILLING = Set.of(dev.tandem.intent.CreateTable.class, dev.tandem.intent.DropTable.class,
            dev.tandem.intent.RenameTable.class, dev.tandem.intent.RawSql.class, dev.tandem.intent.DropNotNull.class,
            dev.tandem.intent.SetDefault.class, dev.tandem.intent.DropDefault.class, dev.tandem.intent.AddUnique.class,
            dev.tandem.intent.DropConstraint.class, dev.tandem.intent.CreateIndex.class, dev.tandem.intent.DropIndex.class,
            dev.tandem.intent.SetComment.class, dev.tandem.intent.RenameConstraint.class,
            // catalog-only: no row is copied (an exclusion constraint builds its index under the lock)
            dev.tandem.intent.SetReplicaIdentity.class, dev.tandem.intent.CreateEnum.class, dev.tandem.intent.AddEnumValue.class,
            dev.tandem.intent.RenameEnumValue.class, dev.tandem.intent.AddExclusion.class);

    /**
     * One backfilling intent on {@code events}. Writes and expectations are formats over the test's
     * tag (its rows' {@code code}); an expectation is a count that must be 1.
     *
     * @param invariant after a phase, a count of rows that must be 0 (empty: nothing to check then)
     * @param backfilled columns the backfill's rollback keeps filled
     * @param ctid whether the plan has a batched backfill (drop_column has none)
     */
    record Case(Class<? extends Intent> kind, String id, String yaml, String oldWrite, String oldExpect, String newWrite,
                String newExpect, Function<Phase, Optional<String>> invariant, Set<String> backfilled, String afterPurge,
                boolean ctid) {
        @Override
        public String toString() {
            return id;
        }
    }

    static Optional<String> between(Phase p, Phase from, Phase until, String sql) {
        return p.ordinal() >= from.ordinal() && p.ordinal() < until.ordinal() ? Optional.of(sql) : Optional.empty();
    }

    static final List<Case> CASES = List.of(
            new Case(RenameColumn.class, "0001_rename_payload", """
                    changes:
                      - rename_column: {table: events, column: payload, to: body}
                    """,
                    "INSERT INTO events (code, payload) VALUES ('%s', 'from old')", "SELECT count(*) FROM events WHERE code = '%s' AND body = 'from old'",
                    "INSERT INTO events (code, body) VALUES ('%s', 'from new')", "SELECT count(*) FROM events WHERE code = '%s' AND payload = 'from new'",
                    p -> between(p, Phase.BACKFILL, Phase.CONTRACT, "SELECT count(*) FROM events WHERE body IS DISTINCT FROM payload"),
                    Set.of("body"), "SELECT count(*) FROM events WHERE body IS DISTINCT FROM CASE WHEN code LIKE '%7' THEN NULL ELSE 'payload ' || substr(code, 2) END",
                    true),
            new Case(AddColumn.class, "0001_add_code_len", """
                    changes:
                      - add_column: {table: events, column: {name: code_len, type: integer}, up: length(code)}
                    """,
                    "INSERT INTO events (code) VALUES ('%s')", "SELECT count(*) FROM events WHERE code = '%1$s' AND code_len = length('%1$s')",
                    "INSERT INTO events (code, code_len) VALUES ('%1$s', length('%1$s'))", "SELECT count(*) FROM events WHERE code = '%s'",
                    p -> between(p, Phase.BACKFILL, Phase.CONTRACT, "SELECT count(*) FROM events WHERE code_len IS DISTINCT FROM length(code)"),
                    Set.of("code_len"), "SELECT count(*) FROM events WHERE code_len IS DISTINCT FROM length(code)", true),
            new Case(ChangeColumnType.class, "0001_amount_bigint", """
                    changes:
                      - change_column_type: {table: events, column: amount, type: bigint}
                    """,
                    "INSERT INTO events (code, amount) VALUES ('%s', 5)", "SELECT count(*) FROM events WHERE code = '%s' AND amount = 5",
                    "INSERT INTO events (code, amount) VALUES ('%s', 6)", "SELECT count(*) FROM events WHERE code = '%s' AND amount = 6",
                    p -> between(p, Phase.BACKFILL, Phase.SWITCH_READS, "SELECT count(*) FROM events WHERE "
                            + dev.tandem.sql.Ident.quote(Names.bounded("tandem_new", "0001_amount_bigint", "amount")) + " IS DISTINCT FROM amount::bigint"),
                    Set.of(Names.bounded("tandem_new", "0001_amount_bigint", "amount")),
                    "SELECT count(*) FROM information_schema.columns WHERE table_name = 'events' AND column_name = 'amount' AND data_type <> 'bigint'",
                    true),
            new Case(SplitColumn.class, "0001_split_payload", """
                    changes:
                      - split_column:
                          table: events
                          column: payload
                          into:
                            - {name: head, type: text, up: "split_part(payload, ' ', 1)"}
                            - {name: tail, type: text, up: "split_part(payload, ' ', 2)"}
                          down: "CASE WHEN head IS NULL THEN NULL ELSE concat_ws(' ', head, tail) END"
                    """,
                    "INSERT INTO events (code, payload) VALUES ('%s', 'a b')", "SELECT count(*) FROM events WHERE code = '%s' AND head = 'a' AND tail = 'b'",
                    "INSERT INTO events (code, head, tail) VALUES ('%s', 'c', 'd')", "SELECT count(*) FROM events WHERE code = '%s' AND payload = 'c d'",
                    p -> between(p, Phase.BACKFILL, Phase.CONTRACT, "SELECT count(*) FROM events WHERE head IS DISTINCT FROM split_part(payload, ' ', 1)"
                            + " OR tail IS DISTINCT FROM split_part(payload, ' ', 2)"),
                    Set.of("head", "tail"), "SELECT count(*) FROM events WHERE head IS DISTINCT FROM CASE WHEN code LIKE '%7' THEN NULL ELSE 'payload' END",
                    true),
            new Case(MergeColumns.class, "0001_merge_names", """
                    changes:
                      - merge_columns:
                          table: events
                          columns: [first, last]
                          into: {name: whole, type: text, up: "concat_ws(' ', first, last)"}
                          down: {first: "split_part(whole, ' ', 1)", last: "split_part(whole, ' ', 2)"}
                    """,
                    "INSERT INTO events (code, first, last) VALUES ('%s', 'a', 'b')", "SELECT count(*) FROM events WHERE code = '%s' AND whole = 'a b'",
                    "INSERT INTO events (code, whole) VALUES ('%s', 'c d')", "SELECT count(*) FROM events WHERE code = '%s' AND first = 'c' AND last = 'd'",
                    p -> between(p, Phase.BACKFILL, Phase.CONTRACT, "SELECT count(*) FROM events WHERE whole IS DISTINCT FROM concat_ws(' ', first, last)"),
                    Set.of("whole"), "SELECT count(*) FROM events WHERE whole IS DISTINCT FROM 'f' || substr(code, 2) || ' l' || substr(code, 2)",
                    true),
            new Case(DropColumn.class, "0001_drop_payload", """
                    changes:
                      - drop_column: {table: events, column: payload, down: "'n/a'"}
                    """,
                    "INSERT INTO events (code, payload) VALUES ('%s', 'x')", "SELECT count(*) FROM events WHERE code = '%s' AND payload = 'x'",
                    "INSERT INTO events (code) VALUES ('%s')", "SELECT count(*) FROM events WHERE code = '%s' AND payload = 'n/a'",
                    p -> Optional.empty(), Set.of(), "SELECT count(*) FROM information_schema.columns WHERE table_name = 'events' AND column_name = 'payload'",
                    false),
            new Case(SetNotNull.class, "0001_payload_not_null", """
                    changes:
                      - set_not_null: {table: events, column: payload, up: "coalesce(payload, 'none')"}
                    """,
                    "INSERT INTO events (code) VALUES ('%s')", "SELECT count(*) FROM events WHERE code = '%s' AND payload = 'none'",
                    "INSERT INTO events (code, payload) VALUES ('%s', 'y')", "SELECT count(*) FROM events WHERE code = '%s' AND payload = 'y'",
                    p -> between(p, Phase.BACKFILL, Phase.CONTRACT, "SELECT count(*) FROM events WHERE payload IS NULL"),
                    Set.of(), "SELECT count(*) FROM events WHERE payload IS NULL", true),
            new Case(AddCheck.class, "0001_amount_check", """
                    changes:
                      - add_check: {table: events, name: events_amount_check, check: "amount >= 0", up: {amount: "0"}}
                    """,
                    "INSERT INTO events (code, amount) VALUES ('%s', -4)", "SELECT count(*) FROM events WHERE code = '%s' AND amount = 0",
                    "INSERT INTO events (code, amount) VALUES ('%s', 4)", "SELECT count(*) FROM events WHERE code = '%s' AND amount = 4",
                    p -> between(p, Phase.BACKFILL, Phase.CONTRACT, "SELECT count(*) FROM events WHERE amount < 0"),
                    Set.of(), "SELECT count(*) FROM events WHERE amount < 0", true),
            new Case(AddForeignKey.class, "0001_ref_fkey", """
                    changes:
                      - add_foreign_key: {table: events, name: events_ref_fkey, columns: [ref], references: {table: kinds, columns: [id]},
                                          up: {ref: "NULL"}}
                    """,
                    "INSERT INTO events (code, ref) VALUES ('%s', 99)", "SELECT count(*) FROM events WHERE code = '%s' AND ref IS NULL",
                    "INSERT INTO events (code, ref) VALUES ('%s', 2)", "SELECT count(*) FROM events WHERE code = '%s' AND ref = 2",
                    p -> between(p, Phase.BACKFILL, Phase.CONTRACT, "SELECT count(*) FROM events WHERE ref NOT IN (1, 2, 3)"),
                    Set.of(), "SELECT count(*) FROM events WHERE ref NOT IN (1, 2, 3)", true));

    static Stream<Case> cases() {
        return CASES.stream();
    }

    @TempDir
    Path changelog;

    /**
     * Every row twice (rows g and g + ROWS/2 agree in every column but, for some, {@code amount}:
     * both negative, so the add_check repair makes them identical and only a one-to-one restore
     * gives each its own original back); some payloads NULL; some refs without a kind.
     */
    static void seed(Connection c) throws SQLException {
        int half = ROWS / 2;
        Db.exec(c, "CREATE TABLE kinds (id integer PRIMARY KEY); INSERT INTO kinds VALUES (1), (2), (3)");
        Db.exec(c, "CREATE TABLE events (code text NOT NULL, first text, last text, payload text, amount integer, ref integer)");
        Db.exec(c, "INSERT INTO events SELECT 'e' || (g % " + half + "), 'f' || (g % " + half + "), 'l' || (g % " + half + "),"
                + " 'payload ' || (g % " + half + "), ((g % " + half + ") % 7) - 2 - CASE WHEN g > " + half + " AND g % 3 = 0 THEN 5 ELSE 0 END,"
                + " CASE WHEN g % 11 = 0 THEN NULL ELSE (g % " + half + ") % 5 END"
                + " FROM generate_series(1, " + ROWS + ") g");
        Db.exec(c, "UPDATE events SET payload = NULL WHERE code LIKE '%7'");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void walksEveryPhaseWithoutPrimaryKey(Case k) throws SQLException {
        TestDatabase db = TestDatabase.create("nopk_" + k.id().substring(5).replace('_', 'x'));
        try (Connection c = db.connect()) {
            seed(c);
            LifecycleDriver tandem = LifecycleDriver.forMigration(db, changelog, k.id(), k.yaml());
            PhaseWalk.run(tandem, c, List.of("public"), new PhaseWalk.Checks() {
                @Override
                public void afterPhase(Phase p) throws SQLException {
                    String tag = "t-" + p.wireName();
                    try {
                        Optional<String> invariant = k.invariant().apply(p);
                        if (invariant.isPresent()) {
                            assertEquals(0L, Db.count(c, invariant.get()), k + ": every row consistent after " + p + " (" + invariant.get() + ")");
                        }
                        if (p.ordinal() >= Phase.DUAL_WRITE.ordinal() && p.ordinal() < Phase.CONTRACT.ordinal()) {
                            Db.exec(c, k.oldWrite().formatted(tag + "-old"));
                            assertEquals(1L, Db.count(c, k.oldExpect().formatted(tag + "-old")), k + ": old-app write after " + p);
                            Db.exec(c, k.newWrite().formatted(tag + "-new"));
                            assertEquals(1L, Db.count(c, k.newExpect().formatted(tag + "-new")), k + ": new-app write after " + p);
                        }
                    } finally {
                        Db.exec(c, "DELETE FROM events WHERE code LIKE '" + tag + "-%'");
                    }
                }

                @Override
                public Map<QualifiedName, Set<String>> excludedData(Phase p) {
                    return p == Phase.BACKFILL && !k.backfilled().isEmpty() ? Map.of(EVENTS, k.backfilled()) : Map.of();
                }

                @Override
                public void afterPurge() throws SQLException {
                    assertEquals((long) ROWS, Db.count(c, "SELECT count(*) FROM events"), k + ": no row lost or duplicated");
                    assertEquals(0L, Db.count(c, k.afterPurge()), k + ": final shape (" + k.afterPurge() + ")");
                    if (k.ctid()) {
                        assertTrue(tandem.log().stream().anyMatch(l -> l.contains("by ctid pages")),
                                k + ": the backfill was cut by ctid pages: " + tandem.log());
                    }
                }
            });
        }
    }

    @Test
    void everyIntentKindIsClassified() {
        Set<String> covered = CASES.stream().map(k -> k.kind().getSimpleName()).collect(Collectors.toCollection(TreeSet::new));
        Set<String> known = NOT_BACKFILLING.stream().map(Class::getSimpleName).collect(Collectors.toCollection(TreeSet::new));
        Set<String> unclassified = Arrays.stream(Intent.class.getPermittedSubclasses()).map(Class::getSimpleName)
                .filter(n -> !covered.contains(n) && !known.contains(n)).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(Set.of(), unclassified, "intent kinds neither in the no-PK sweep nor known not to backfill");
    }
}
