package dev.tandem.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.TandemException;
import dev.tandem.catalog.Fingerprint;
import dev.tandem.intent.ChangelogReader;
import dev.tandem.intent.Migration;
import dev.tandem.plan.MigrationPlan;
import dev.tandem.plan.Phase;
import dev.tandem.plan.PlanCodec;
import dev.tandem.state.MigrationRecord.Status;
import dev.tandem.testing.Db;
import dev.tandem.testing.LifecycleDriver;
import dev.tandem.testing.SampleDatabaseTest;
import dev.tandem.util.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plan stored by an earlier Tandem keeps working: {@code plan-format-1.json} is the plan that
 * Tandem's plan format version 1 stored for a two-intent migration (rename {@code users.full_name},
 * retype {@code tasks.priority} to bigint) on the sample schema. It is a frozen fixture — never
 * regenerate it; a new format version adds a new fixture beside it. Each test stores it as an older
 * release would have when expand started, runs that expand from it, and then carries the migration
 * through the remaining phases, purge or rollback with today's commands, which must read it from
 * the state table. A plan from a newer Tandem is refused with exit 2 and changes nothing.
 */
class StoredPlanFormatTest extends SampleDatabaseTest {
    static final String ID = "0001_rename_and_retype";
    static final String YAML = """
            description: Rename users.full_name and widen tasks.priority
            changes:
              - rename_column:
                  table: users
                  column: full_name
                  to: display_name
              - change_column_type:
                  table: tasks
                  column: priority
                  type: bigint
            """;

    StoredPlanFormatTest() {
        super("stored_plan_", 200);
    }

    @TempDir
    Path changelog;

    LifecycleDriver tandem;
    Migration migration;

    @BeforeEach
    void writeChangelog() throws IOException {
        tandem = LifecycleDriver.forMigration(db, changelog, ID, YAML);
        migration = ChangelogReader.readFile(changelog.resolve(ID + ".yaml"));
    }

    static String fixture() throws IOException {
        try (InputStream in = StoredPlanFormatTest.class.getResourceAsStream("/dev/tandem/plan/stored/plan-format-1.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Stores {@code planJson} as the migration's plan and runs its expand phase, as the older release did. */
    void startedByAnOlderTandem(String planJson) throws SQLException {
        try (Workspace ws = Workspace.forWriting(tandem.settings())) {
            ws.store().start(ws.connection(), ID, migration.checksum(), migration.description(), planJson);
            MigrationPlan plan = PlanCodec.fromJson(planJson);
            ws.executor().apply(ws.connection(), plan, Phase.EXPAND);
        }
    }

    @Test
    @DisplayName("a version-1 stored plan is carried through every remaining phase and purge")
    void carriesTheFixtureForward() throws Exception {
        Map<String, Object> before = rows();
        startedByAnOlderTandem(fixture());
        tandem.apply(Phase.BACKFILL);
        tandem.advance(Phase.SWITCH_READS);
        tandem.advance(Phase.CONTRACT);
        tandem.purge();

        assertEquals(Status.PURGED, tandem.record().status());
        assertFalse(Db.columnExists(c, "public", "users", "full_name"));
        assertTrue(Db.columnExists(c, "public", "users", "display_name"));
        assertEquals("bigint", Db.scalar(c, "SELECT data_type FROM information_schema.columns"
                + " WHERE table_name = 'tasks' AND column_name = 'priority'"));
        assertEquals(before.get("names"), Db.scalar(c, "SELECT md5(string_agg(id || ':' || display_name, ',' ORDER BY id)) FROM users"));
        assertEquals(before.get("priorities"), Db.scalar(c, "SELECT md5(string_agg(id || ':' || priority, ',' ORDER BY id)) FROM tasks"));
    }

    @Test
    @DisplayName("a version-1 stored plan rolls back exactly from contract")
    void rollsTheFixtureBack() throws Exception {
        Fingerprint before = Db.publicFingerprint(c);
        startedByAnOlderTandem(fixture());
        tandem.apply(Phase.BACKFILL);
        tandem.advance(Phase.SWITCH_READS);
        tandem.advance(Phase.CONTRACT);
        tandem.rollback(Optional.empty(), true);
        assertEquals(before, Db.publicFingerprint(c));
    }

    @Test
    @DisplayName("a plan stored before plans carried a version reads as version 1")
    void readsAnUnversionedPlan() throws Exception {
        Fingerprint before = Db.publicFingerprint(c);
        Map<String, Object> plan = fixtureMap();
        assertEquals(1L, plan.remove("format_version"));
        startedByAnOlderTandem(Json.write(plan));
        tandem.apply(Phase.BACKFILL);
        tandem.advance(Phase.SWITCH_READS);
        tandem.rollback(Optional.empty(), true);
        assertEquals(before, Db.publicFingerprint(c));
    }

    @Test
    @DisplayName("a plan stored by a newer Tandem is refused with exit 2 and nothing changes")
    void refusesAFutureFormat() throws Exception {
        startedByAnOlderTandem(fixture());
        Map<String, Object> plan = fixtureMap();
        plan.put("format_version", 99L);
        Db.exec(c, "UPDATE tandem.migrations SET plan = '" + Json.write(plan).replace("'", "''") + "'::jsonb WHERE id = '" + ID + "'");
        Fingerprint before = Db.publicFingerprint(c);
        String state = stateRow();

        for (var command : java.util.List.<Attempt>of(() -> tandem.apply(Phase.BACKFILL),
                () -> tandem.rollback(Optional.empty(), true))) {
            TandemException e = assertThrows(TandemException.class, command::run);
            assertEquals(TandemException.BAD_INPUT, e.exitCode(), e.getMessage());
            assertTrue(e.getMessage().contains("format version 99") && e.getMessage().contains(ID), e.getMessage());
        }
        assertEquals(before, Db.publicFingerprint(c));
        assertEquals(state, stateRow());
    }

    interface Attempt {
        void run() throws Exception;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> fixtureMap() throws IOException {
        return new LinkedHashMap<>((Map<String, Object>) Json.parse(fixture()));
    }

    String stateRow() throws SQLException {
        return String.valueOf(Db.scalar(c, "SELECT phase || '/' || status FROM tandem.migrations WHERE id = '" + ID + "'"));
    }

    Map<String, Object> rows() throws SQLException {
        return Map.of("names", Db.scalar(c, "SELECT md5(string_agg(id || ':' || full_name, ',' ORDER BY id)) FROM users"),
                "priorities", Db.scalar(c, "SELECT md5(string_agg(id || ':' || priority, ',' ORDER BY id)) FROM tasks"));
    }

    /** Not a test: writes the fixture once (kept for the record of how it was made; do not rerun). */
    static void writeFixture(Workspace ws, Migration m, Path out) throws Exception {
        MigrationPlan plan = ws.planner().plan(m, Optional.of(ws.catalog(java.util.List.of(m))));
        Files.writeString(out, Json.pretty(PlanCodec.toMap(plan)) + "\n");
    }
}
