package dev.tandem.lifecycle;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tandem.TandemException;
import dev.tandem.catalog.Fingerprint;
import dev.tandem.execute.LockPolicy;
import dev.tandem.plan.Phase;
import dev.tandem.sql.QualifiedName;
import dev.tandem.state.MigrationRecord;
import dev.tandem.state.MigrationRecord.Status;
import dev.tandem.testing.LifecycleDriver;
import dev.tandem.testing.SampleDatabaseTest;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lifecycle of {@code rename_column users.full_name -> display_name} on a real PostgreSQL,
 * driven through the same commands as the CLI (apply, switch-reads, contract, rollback, purge).
 * Every test gets a fresh database with the seeded sample schema in {@code public}, so tests do not
 * share Tandem state (the migration id is the same in every test).
 * <p>"Old app" writes only {@code full_name}, "new app" writes only {@code display_name}: exactly
 * what the two application versions of a rolling deploy do.
 */
class RenameLifecycleTest extends SampleDatabaseTest {
    static final int USERS = 300;

    RenameLifecycleTest() {
        super("rename_", USERS);
    }
    static final QualifiedName USERS_TABLE = new QualifiedName("public", "users");
    static final String ID = LifecycleDriver.RENAME_ID;

    @TempDir
    Path changelog;

    LifecycleDriver tandem;

    @BeforeEach
    void setUp() throws SQLException {
        tandem = LifecycleDriver.renameFullName(db, changelog);
    }

    // ------------------------------------------------------------------------------------- tests

    @Test
    @DisplayName("every phase: apply, old/new writes, roll back to an identical fingerprint, apply again; then purge")
    void everyPhaseRollsBackExactly() throws SQLException {
        for (Phase p : Phase.values()) {
            // Rolling back the backfill deliberately keeps the values it copied into display_name
            // (the copy has no undo: the column still exists and dual-write keeps it equal to
            // full_name from here on, and expand's rollback drops it anyway). So for that phase the
            // data part of the fingerprint leaves out public.users.display_name; the catalog part
            // and every other column and table are still compared.
            Map<QualifiedName, Set<String>> exclude = p == Phase.BACKFILL
                    ? Map.of(USERS_TABLE, Set.of("display_name")) : Map.of();
            Fingerprint before = fingerprint(exclude);

            tandem.forward(p);
            assertEquals(Optional.of(p), tandem.record().phase(), "phase recorded after applying " + p);
            assertWritesWork(p);

            assertEquals(List.of(p), tandem.rollbackOne(), "rollback of " + p + " undoes exactly " + p);
            assertNoDiff(before, fingerprint(exclude), "rollback of " + p);
            MigrationRecord r = tandem.record();
            assertEquals(p.previous(), r.phase(), "phase after rolling back " + p);
            assertEquals(p == Phase.EXPAND ? Status.PENDING : Status.IN_PROGRESS, r.status(), "status after rolling back " + p);

            tandem.forward(p);
            assertEquals(Optional.of(p), tandem.record().phase(), "phase after applying " + p + " again");
            assertWritesWork(p);
        }
        assertEquals(Status.CONTRACTED, tandem.record().status());

        tandem.purge();
        assertEquals(Status.PURGED, tandem.record().status());
        List<String> columns = columns();
        assertFalse(columns.contains("full_name"), "full_name is gone after purge: " + columns);
        assertTrue(columns.stream().noneMatch(col -> col.startsWith("tandem_")), "the retired column is gone after purge: " + columns);
        assertEquals(List.of("id", "email", "password_hash", "created_at", "updated_at", "display_name"), columns);
        assertTrue(notNull("display_name"), "display_name is NOT NULL after purge");
        assertEquals(List.of("users_set_updated_at"), triggersOnUsers(), "only the user's own trigger is left on users");
        assertEquals(List.of(), tandemFunctions(), "no Tandem trigger function is left");
        assertEquals(List.of("users_email_key", "users_pkey"), constraintsOnUsers(), "no helper constraint is left on users");

        // the new application keeps working after purge
        UUID id = insertNew("after-purge@test.invalid", "After Purge");
        assertEquals("After Purge", get(id, "display_name"));
        deleteRows(List.of(id));

        TandemException refused = assertThrows(TandemException.class, () -> tandem.rollbackOne(),
                "rollback after purge must be refused");
        assertEquals(TandemException.BAD_INPUT, refused.exitCode(), "exit code of a refused rollback: " + refused.getMessage());
        assertEquals(Status.PURGED, tandem.record().status());
    }

    @Test
    @DisplayName("rollback --all from contract restores the schema and every row exactly")
    void rollbackAllIsExact() throws SQLException {
        Fingerprint start = fingerprint(Map.of());
        List<String> constraintsBefore = constraintsOnUsers();
        List<String> columnsBefore = columns();

        tandem.apply(Phase.BACKFILL);
        tandem.advance(Phase.SWITCH_READS);
        tandem.advance(Phase.CONTRACT);
        assertEquals(Status.CONTRACTED, tandem.record().status());

        assertEquals(List.of(Phase.CONTRACT, Phase.SWITCH_READS, Phase.BACKFILL, Phase.DUAL_WRITE, Phase.EXPAND),
                tandem.rollback(Optional.empty(), true));
        assertNoDiff(start, fingerprint(Map.of()), "rollback --all");
        MigrationRecord r = tandem.record();
        assertEquals(Status.PENDING, r.status());
        assertEquals(Optional.empty(), r.phase());

        assertEquals(columnsBefore, columns(), "column order");
        // a positional INSERT (no column list) relies on the visible column order
        try (Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            try {
                assertEquals(1, s.executeUpdate("INSERT INTO users VALUES (gen_random_uuid(), 'x@y', 'name', 'hash', now(), now())"));
            } finally {
                c.rollback();
                c.setAutoCommit(true);
            }
        }
        assertEquals(constraintsBefore, constraintsOnUsers(), "no Tandem constraint is left on users");
        assertEquals(List.of("users_set_updated_at"), triggersOnUsers(), "no Tandem trigger is left on users");
        assertEquals(List.of(), tandemTriggersAnywhere(), "no tandem_ trigger anywhere");
        assertEquals(List.of(), tandemFunctions(), "no tg_ function in schema tandem");
        assertEquals(0L, count("SELECT count(*) FROM pg_constraint WHERE conname LIKE '%display_name%' OR conname LIKE '%not_null_restore%'"),
                "no constraint Tandem derived");
    }

    @Test
    @DisplayName("rolling back contract re-syncs full_name from rows the new app wrote after contract")
    void contractRollbackRestoresDataWrittenAfterContract() throws SQLException {
        tandem.apply(Phase.BACKFILL);
        tandem.advance(Phase.SWITCH_READS);
        tandem.advance(Phase.CONTRACT);
        assertFalse(columns().contains("full_name"), "full_name is retired by contract");

        UUID inserted = insertNew("after-contract@test.invalid", "Inserted After Contract");
        UUID existing = someSeededUser();
        updateNew(existing, "Renamed After Contract");

        assertEquals(List.of(Phase.CONTRACT), tandem.rollbackOne());
        assertTrue(columns().contains("full_name"), "full_name is back");
        for (UUID id : List.of(inserted, existing)) {
            assertEquals(get(id, "display_name"), get(id, "full_name"), "full_name of " + id + " after rolling back contract");
        }
        assertEquals("Inserted After Contract", get(inserted, "full_name"));
        assertEquals("Renamed After Contract", get(existing, "full_name"));
        assertTrue(notNull("full_name"), "full_name is NOT NULL again");
        assertEquals(0L, count("SELECT count(*) FROM users WHERE full_name IS DISTINCT FROM display_name"));
        assertEquals(List.of("users_display_name_not_null", "users_email_key", "users_pkey"), constraintsOnUsers(),
                "the temporary NOT NULL helper check is gone again");

        // the old application works again, and its writes reach display_name
        UUID old = insertOld("old-again@test.invalid", "Old Again");
        assertEquals("Old Again", get(old, "display_name"));
    }

    @Test
    @DisplayName("apply continues from where the migration is; re-running it at backfill does nothing")
    void applyContinuesAndIsIdempotent() throws SQLException {
        ApplyCommand.Result expand = tandem.apply(Phase.EXPAND);
        assertEquals(Optional.of(Phase.EXPAND), expand.outcomes().get(0).phase());
        assertEquals(Optional.of(Phase.EXPAND), tandem.record().phase());

        int logFrom = tandem.log().size();
        ApplyCommand.Result toBackfill = tandem.apply(Phase.BACKFILL);
        List<String> secondRun = tandem.log().subList(logFrom, tandem.log().size());
        assertEquals(1, toBackfill.outcomes().size());
        assertEquals(Optional.of(Phase.BACKFILL), toBackfill.outcomes().get(0).phase());
        assertTrue(toBackfill.outcomes().get(0).message().startsWith("backfill applied"), toBackfill.outcomes().get(0).message());
        assertEquals(Optional.of(Phase.BACKFILL), tandem.record().phase());
        assertEquals(Status.IN_PROGRESS, tandem.record().status());
        assertTrue(secondRun.stream().noneMatch(l -> l.contains(": expand (")), "expand is not applied twice:\n" + String.join("\n", secondRun));
        assertTrue(secondRun.stream().anyMatch(l -> l.contains(": dual-write (")) && secondRun.stream().anyMatch(l -> l.contains(": backfill (")),
                "dual-write and backfill ran:\n" + String.join("\n", secondRun));
        assertEquals(0L, count("SELECT count(*) FROM users WHERE display_name IS DISTINCT FROM full_name"));

        Fingerprint atBackfill = fingerprint(Map.of());
        ApplyCommand.Result again = tandem.apply(Phase.BACKFILL);
        assertEquals("already at backfill", again.outcomes().get(0).message());
        assertEquals(Optional.empty(), again.waitingFor());
        assertNoDiff(atBackfill, fingerprint(Map.of()), "re-running apply at backfill");
        // asking for less than what is applied does nothing either
        assertEquals("already at backfill", tandem.apply(Phase.EXPAND).outcomes().get(0).message());
    }

    @Test
    @DisplayName("a dual-write interrupted by a lock timeout rolls back exactly, and a re-run of apply resumes it")
    void interruptedPhaseResumesOrRollsBack() throws SQLException {
        tandem.apply(Phase.EXPAND);
        Fingerprint afterExpand = fingerprint(Map.of());
        // lock_timeout 50 ms, two attempts: fails fast while another session holds ROW EXCLUSIVE
        LifecycleDriver impatient = tandem.withLocks(new LockPolicy(50, 50, 2, 2_000));

        interruptDualWrite(impatient);
        MigrationRecord r = tandem.record();
        assertEquals(Status.INTERRUPTED, r.status());
        assertEquals(Optional.of(Phase.EXPAND), r.phase(), "the last complete phase is still expand");
        assertEquals(1L, tandemFunctions().size(), "the sync function (step 1) was created before the interruption");
        assertEquals(List.of(), tandemTriggersAnywhere(), "the sync trigger (step 2) was not");

        // rolling back the interrupted phase undoes exactly the steps that ran
        assertEquals(List.of(Phase.DUAL_WRITE), tandem.rollbackOne());
        assertNoDiff(afterExpand, fingerprint(Map.of()), "rollback of an interrupted dual-write");
        assertEquals(Status.IN_PROGRESS, tandem.record().status());
        assertEquals(Optional.of(Phase.EXPAND), tandem.record().phase());

        // interrupted again; this time apply is simply run again and resumes
        interruptDualWrite(impatient);
        assertEquals(Status.INTERRUPTED, tandem.record().status());
        int logFrom = tandem.log().size();
        ApplyCommand.Result resumed = tandem.apply(Phase.BACKFILL);
        assertEquals(Optional.of(Phase.BACKFILL), resumed.outcomes().get(0).phase());
        List<String> resumeLog = tandem.log().subList(logFrom, tandem.log().size());
        assertTrue(resumeLog.stream().anyMatch(l -> l.contains("create the sync function") && l.contains("already applied")),
                "the step that ran before the interruption is not run again:\n" + String.join("\n", resumeLog));
        assertEquals(Optional.of(Phase.BACKFILL), tandem.record().phase());
        assertEquals(Status.IN_PROGRESS, tandem.record().status());
        assertEquals(1, tandemTriggersAnywhere().size(), "exactly one sync trigger");
        assertEquals(0L, count("SELECT count(*) FROM users WHERE display_name IS DISTINCT FROM full_name"));
        assertWritesWork(Phase.BACKFILL);
    }

    @Test
    @DisplayName("the backfill does not fire the users' own updated_at trigger")
    void backfillDoesNotFireUserTriggers() throws SQLException {
        assumeTrue(isSuperuser(), "the backfill uses session_replication_role = replica only where the role may set it");
        tandem.apply(Phase.DUAL_WRITE);
        Map<String, String> stampsBefore = updatedAtById();
        assertEquals(USERS, stampsBefore.size());
        assertEquals((long) USERS, count("SELECT count(*) FROM users WHERE display_name IS NULL"), "nothing copied before backfill");

        tandem.apply(Phase.BACKFILL);
        assertEquals(0L, count("SELECT count(*) FROM users WHERE display_name IS DISTINCT FROM full_name"), "everything copied");
        Map<String, String> stampsAfter = updatedAtById();
        List<String> changed = new ArrayList<>();
        stampsBefore.forEach((id, ts) -> {
            if (!ts.equals(stampsAfter.get(id))) {
                changed.add(id + ": " + ts + " -> " + stampsAfter.get(id));
            }
        });
        assertEquals(List.of(), changed, "updated_at of backfilled rows must not change");
    }

    /*
     * Regression test (fixed). See RenameColumnRecipe.plan(): the copy
     * of the NOT NULL of full_name, CHECK ("display_name" IS NOT NULL) NOT VALID, is added in the
     * dual-write phase. NOT VALID only skips existing rows; PostgreSQL checks every new row
     * version, and the sync trigger is BEFORE INSERT OR UPDATE OF full_name, display_name, so it
     * does not fire for an UPDATE that touches other columns. Until the backfill has reached a
     * row, its display_name is NULL, and any old-app UPDATE of that row that does not set
     * full_name (change of password, email, a touch of updated_at) fails with
     * "new row for relation users violates check constraint users_display_name_not_null"
     * (SQLSTATE 23514) — exactly the failed transactions dual-write must never cause.
     */
    @Test
    @DisplayName("after dual-write, an old-app UPDATE of another column on a not-yet-backfilled row works")
    void oldAppUpdateOfAnotherColumnWorksBeforeBackfill() throws SQLException {
        tandem.apply(Phase.DUAL_WRITE);
        UUID seeded = someSeededUser();
        assertNull(get(seeded, "display_name"), "precondition: the row is not backfilled yet");
        c.setAutoCommit(false);
        try (PreparedStatement ps = c.prepareStatement("UPDATE users SET password_hash = 'changed-by-old-app' WHERE id = ?")) {
            ps.setObject(1, seeded);
            assertDoesNotThrow(() -> ps.executeUpdate(),
                    "an old-app UPDATE of password_hash must keep working during dual-write");
        } finally {
            c.rollback();
            c.setAutoCommit(true);
        }
    }

    /*
     * Regression test (fixed). The undo of contract's "drop the sync
     * trigger" step re-syncs the old column with one plain
     *   UPDATE users SET full_name = display_name WHERE full_name IS DISTINCT FROM display_name
     * (RenameColumnRecipe.plan(), contract section). Unlike the backfill it runs without
     * session_replication_role = replica, so the table's own BEFORE UPDATE trigger stamps
     * updated_at = now() on every row the new application wrote after contract (and an audit
     * trigger would log each of them) — the side effect DESIGN.md ("Running DDL without hurting
     * traffic") requires the backfill to avoid. It is also one unbatched UPDATE over the table.
     */
    @Test
    @DisplayName("rolling back contract does not fire the users' updated_at trigger for re-synced rows")
    void contractRollbackDoesNotFireUserTriggers() throws SQLException {
        assumeTrue(isSuperuser(), "replica role needs a superuser");
        tandem.apply(Phase.BACKFILL);
        tandem.advance(Phase.SWITCH_READS);
        tandem.advance(Phase.CONTRACT);
        UUID existing = someSeededUser();
        updateNew(existing, "Renamed After Contract");
        String stamped = get(existing, "updated_at::text");

        tandem.rollbackOne();
        assertEquals("Renamed After Contract", get(existing, "full_name"));
        assertEquals(stamped, get(existing, "updated_at::text"),
                "the re-sync by the contract rollback must not stamp updated_at again");
    }

    // ----------------------------------------------------------------------- writes per phase

    /**
     * The writes each application version can do once phase {@code p} is applied, and what the
     * other column shows afterwards. Only rows inserted here are written (so the fingerprints of
     * existing data stay comparable); they are deleted again at the end.
     */
    private void assertWritesWork(Phase p) throws SQLException {
        boolean oldColumn = p.ordinal() < Phase.CONTRACT.ordinal();
        boolean newApp = p.ordinal() >= Phase.DUAL_WRITE.ordinal();
        boolean synced = p.ordinal() >= Phase.DUAL_WRITE.ordinal() && p.ordinal() <= Phase.SWITCH_READS.ordinal();
        String tag = p.wireName() + "-" + UUID.randomUUID().toString().substring(0, 8);
        List<UUID> mine = new ArrayList<>();
        try {
            if (oldColumn) {
                UUID o = insertOld("old-" + tag + "@test.invalid", "Old Insert " + tag);
                mine.add(o);
                assertEquals("Old Insert " + tag, get(o, "full_name"));
                assertSynced(o, synced, p, "old-app insert");
                if (p == Phase.EXPAND) {
                    assertNull(get(o, "display_name"), "no sync before dual-write");
                }
                updateOld(o, "Old Update " + tag);
                assertEquals("Old Update " + tag, get(o, "full_name"));
                assertSynced(o, synced, p, "old-app update");
            }
            if (newApp) {
                UUID n = insertNew("new-" + tag + "@test.invalid", "New Insert " + tag);
                mine.add(n);
                assertEquals("New Insert " + tag, get(n, "display_name"));
                assertSynced(n, synced, p, "new-app insert");
                updateNew(n, "New Update " + tag);
                assertEquals("New Update " + tag, get(n, "display_name"));
                assertSynced(n, synced, p, "new-app update");
                if (oldColumn) {
                    // each version also updates the other version's row
                    updateNew(mine.get(0), "New Update Of Old Row " + tag);
                    assertSynced(mine.get(0), synced, p, "new-app update of an old-app row");
                    updateOld(n, "Old Update Of New Row " + tag);
                    assertSynced(n, synced, p, "old-app update of a new-app row");
                }
            }
        } finally {
            deleteRows(mine);
        }
    }

    private void assertSynced(UUID id, boolean synced, Phase p, String what) throws SQLException {
        if (!synced) {
            return;
        }
        String full = get(id, "full_name");
        String display = get(id, "display_name");
        assertNotNull(display, what + " after " + p + ": display_name is NULL");
        assertEquals(full, display, what + " after " + p + ": full_name and display_name differ");
    }

    private UUID insertOld(String email, String name) throws SQLException {
        return insert("INSERT INTO users (email, full_name, password_hash) VALUES (?, ?, 'hash') RETURNING id", email, name);
    }

    private UUID insertNew(String email, String name) throws SQLException {
        return insert("INSERT INTO users (email, display_name, password_hash) VALUES (?, ?, 'hash') RETURNING id", email, name);
    }

    private UUID insert(String sql, String email, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, email);
            ps.setString(2, name);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getObject(1, UUID.class);
            }
        }
    }

    private void updateOld(UUID id, String name) throws SQLException {
        update("UPDATE users SET full_name = ? WHERE id = ?", id, name);
    }

    private void updateNew(UUID id, String name) throws SQLException {
        update("UPDATE users SET display_name = ? WHERE id = ?", id, name);
    }

    private void update(String sql, UUID id, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, name);
            ps.setObject(2, id);
            assertEquals(1, ps.executeUpdate(), sql);
        }
    }

    private void deleteRows(List<UUID> ids) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM users WHERE id = ?")) {
            for (UUID id : ids) {
                ps.setObject(1, id);
                ps.executeUpdate();
            }
        }
    }

    /** One column (or expression) of one user, as text. Not prepared: the column set changes between phases. */
    private String get(UUID id, String expr) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT " + expr + " FROM users WHERE id = '" + id + "'")) {
            assertTrue(rs.next(), "no user " + id);
            return rs.getString(1);
        }
    }

    // ----------------------------------------------------------------------------- catalog

    private Fingerprint fingerprint(Map<QualifiedName, Set<String>> excludeColumns) {
        return Fingerprint.of(c, List.of("public"), true, excludeColumns);
    }

    private static void assertNoDiff(Fingerprint expected, Fingerprint actual, String what) {
        List<String> diff = expected.diff(actual);
        assertTrue(diff.isEmpty(), what + ": the fingerprint differs (- before, + after):\n" + String.join("\n", diff));
    }

    private void interruptDualWrite(LifecycleDriver impatient) throws SQLException {
        try (Connection blocker = db.connect()) {
            blocker.setAutoCommit(false);
            try (Statement s = blocker.createStatement()) {
                // what an open application transaction that wrote to users holds
                s.execute("LOCK TABLE users IN ROW EXCLUSIVE MODE");
            }
            TandemException e = assertThrows(TandemException.class, () -> impatient.apply(Phase.DUAL_WRITE));
            assertEquals(TandemException.LOCK, e.exitCode(), "a lock timeout is exit 3: " + e.getMessage());
            blocker.rollback();
        }
    }

    private List<String> columns() throws SQLException {
        return strings("SELECT attname FROM pg_attribute WHERE attrelid = 'public.users'::regclass"
                + " AND attnum > 0 AND NOT attisdropped ORDER BY attnum");
    }

    private boolean notNull(String column) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT attnotnull FROM pg_attribute"
                + " WHERE attrelid = 'public.users'::regclass AND attname = ? AND NOT attisdropped")) {
            ps.setString(1, column);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next(), "no column " + column);
                return rs.getBoolean(1);
            }
        }
    }

    private List<String> triggersOnUsers() throws SQLException {
        return strings("SELECT tgname FROM pg_trigger WHERE tgrelid = 'public.users'::regclass AND NOT tgisinternal ORDER BY tgname");
    }

    private List<String> tandemTriggersAnywhere() throws SQLException {
        return strings("SELECT tgname FROM pg_trigger WHERE tgname LIKE 'tandem\\_%' AND NOT tgisinternal ORDER BY tgname");
    }

    private List<String> tandemFunctions() throws SQLException {
        return strings("SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace"
                + " WHERE n.nspname = 'tandem' AND p.proname LIKE 'tg\\_%' ORDER BY 1");
    }

    private List<String> constraintsOnUsers() throws SQLException {
        return strings("SELECT conname FROM pg_constraint WHERE conrelid = 'public.users'::regclass AND contype <> 'n' ORDER BY conname");
    }

    private UUID someSeededUser() throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT id FROM users WHERE email = 'user7@example.com'")) {
            assertTrue(rs.next());
            return rs.getObject(1, UUID.class);
        }
    }

    private Map<String, String> updatedAtById() throws SQLException {
        Map<String, String> out = new LinkedHashMap<>();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT id::text, updated_at::text FROM users ORDER BY id")) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getString(2));
            }
        }
        return out;
    }

    private boolean isSuperuser() throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    private long count(String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private List<String> strings(String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
