package dev.tandem.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.TandemException;
import dev.tandem.catalog.Fingerprint;
import dev.tandem.plan.Phase;
import dev.tandem.testing.Db;
import dev.tandem.testing.LifecycleDriver;
import dev.tandem.testing.PhaseWalk;
import dev.tandem.testing.SampleDatabaseTest;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The enum intents on the seeded sample schema: {@code create_enum} and {@code rename_enum_value}
 * through {@link PhaseWalk}; {@code add_enum_value}, whose expand cannot be rolled back (PostgreSQL
 * has no DROP VALUE), walked forward with every later phase rolled back and the refusal checked; a
 * text column changed to an enum by {@code change_column_type}; a lock trace showing that none of
 * the statements locks a table.
 */
class EnumLifecycleTest extends SampleDatabaseTest {
    @TempDir
    Path dir;

    EnumLifecycleTest() {
        super("enum_", 10);
    }

    LifecycleDriver tandem(String yaml) {
        return LifecycleDriver.forMigration(db, dir, "0001_enum", yaml);
    }

    String labels(String type) throws SQLException {
        return (String) Db.scalar(c, "SELECT string_agg(enumlabel, ',' ORDER BY enumsortorder) FROM pg_enum WHERE enumtypid = '" + type + "'::regtype");
    }

    long types(String name) throws SQLException {
        return Db.count(c, "SELECT count(*) FROM pg_type WHERE typname = '" + name + "'");
    }

    @Test
    void createEnum() throws SQLException {
        LifecycleDriver tandem = tandem("""
                changes:
                  - create_enum: {name: task_size, values: [small, "it's medium", large]}
                """);
        PhaseWalk.run(tandem, c, List.of("public"), p -> {
            assertEquals("small,it's medium,large", labels("task_size"), "after " + p);
        });
    }

    @Test
    void createEnumRefusesAnExistingType() throws SQLException {
        Fingerprint before = Db.publicFingerprint(c);
        TandemException e = assertThrows(TandemException.class, () -> tandem("""
                changes:
                  - create_enum: {name: project_status, values: [a]}
                """).apply(Phase.EXPAND));
        assertTrue(e.getMessage().contains("0001_enum.yaml:2:") && e.getMessage().contains("type public.project_status already exists"), e.getMessage());
        PhaseWalk.assertNoDiff(before, Db.publicFingerprint(c), "nothing changed");
    }

    @Test
    void renameEnumValueAtContract() throws SQLException {
        long archived = Db.count(c, "SELECT count(*) FROM projects WHERE status = 'archived'");
        LifecycleDriver tandem = tandem("""
                changes:
                  - rename_enum_value: {enum: project_status, from: archived, to: retired}
                """);
        PhaseWalk.run(tandem, c, List.of("public"), p -> {
            boolean renamed = p == Phase.CONTRACT;
            assertEquals(renamed ? "active,completed,retired" : "active,completed,archived", labels("project_status"), "after " + p);
            assertEquals(archived, Db.count(c, "SELECT count(*) FROM projects WHERE status::text = '" + (renamed ? "retired" : "archived") + "'"),
                    "rows keep their label after " + p);
        });
    }

    @Test
    void addEnumValueIsIrreversibleAndSaysSo() throws SQLException {
        LifecycleDriver tandem = tandem("""
                changes:
                  - add_enum_value: {enum: project_status, value: paused, after: active}
                """);
        tandem.forward(Phase.EXPAND);
        assertEquals("active,paused,completed,archived", labels("project_status"));
        // usable at once by the next transaction
        c.setAutoCommit(false);
        try {
            assertEquals(1, c.createStatement().executeUpdate("UPDATE projects SET status = 'paused' WHERE id = (SELECT id FROM projects LIMIT 1)"));
        } finally {
            c.rollback();
            c.setAutoCommit(true);
        }
        Fingerprint afterExpand = Db.publicFingerprint(c);
        TandemException e = assertThrows(TandemException.class, tandem::rollbackOne);
        assertTrue(e.getMessage().toLowerCase().contains("irreversible"), e.getMessage());
        assertEquals(Optional.of(Phase.EXPAND), tandem.record().phase(), "still at expand");
        PhaseWalk.assertNoDiff(afterExpand, Db.publicFingerprint(c), "the refused rollback changed nothing");
        for (Phase p : List.of(Phase.DUAL_WRITE, Phase.BACKFILL, Phase.SWITCH_READS, Phase.CONTRACT)) {
            Fingerprint before = Db.publicFingerprint(c);
            tandem.forward(p);
            assertEquals(List.of(p), tandem.rollbackOne());
            PhaseWalk.assertNoDiff(before, Db.publicFingerprint(c), "rollback of " + p);
            tandem.forward(p);
        }
        tandem.purge();
        assertEquals("active,paused,completed,archived", labels("project_status"));
    }

    @Test
    void addEnumValueRefusesAnExistingLabel() throws SQLException {
        Fingerprint before = Db.publicFingerprint(c);
        TandemException e = assertThrows(TandemException.class, () -> tandem("""
                changes:
                  - add_enum_value: {enum: project_status, value: completed}
                """).apply(Phase.EXPAND));
        assertTrue(e.getMessage().contains("public.project_status already has the label completed"), e.getMessage());
        PhaseWalk.assertNoDiff(before, Db.publicFingerprint(c), "nothing changed");
    }

    @Test
    void aTextColumnBecomesAnEnum() throws SQLException {
        Db.exec(c, "CREATE TYPE task_size AS ENUM ('s', 'm', 'l')");
        Db.exec(c, "ALTER TABLE tasks ADD COLUMN size text");
        Db.exec(c, "UPDATE tasks SET size = (ARRAY['s', 'm', 'l'])[1 + abs(hashtext(id::text)) % 3]");
        String before = (String) Db.scalar(c, "SELECT string_agg(id || size, ',' ORDER BY id) FROM tasks");
        LifecycleDriver tandem = tandem("""
                changes:
                  - change_column_type: {table: tasks, column: size, type: task_size, up: "size::task_size", down: "size::text"}
                """);
        String shadow = dev.tandem.sql.Names.bounded("tandem_new", "0001_enum", "size");
        PhaseWalk.run(tandem, c, List.of("public"), new PhaseWalk.Checks() {
            @Override
            public void afterPhase(Phase p) throws SQLException {
                boolean swapped = p.ordinal() >= Phase.SWITCH_READS.ordinal();
                assertEquals(swapped ? "task_size" : "text", Db.scalar(c, "SELECT format_type(atttypid, atttypmod) FROM pg_attribute"
                        + " WHERE attrelid = 'tasks'::regclass AND attname = 'size'"), "type after " + p);
                assertEquals(before, Db.scalar(c, "SELECT string_agg(id || size::text, ',' ORDER BY id) FROM tasks"), "values after " + p);
                if (p.ordinal() >= Phase.BACKFILL.ordinal() && !swapped) {
                    assertEquals(0, Db.count(c, "SELECT count(*) FROM tasks WHERE " + dev.tandem.sql.Ident.quote(shadow)
                            + " IS DISTINCT FROM size::task_size"), "the enum copy equals up(old) after " + p);
                }
            }

            @Override
            public java.util.Map<dev.tandem.sql.QualifiedName, java.util.Set<String>> excludedData(Phase phase) {
                return phase == Phase.BACKFILL ? java.util.Map.of(new dev.tandem.sql.QualifiedName("public", "tasks"), java.util.Set.of(shadow))
                        : java.util.Map.of();
            }
        });
    }

    @Test
    void noStatementLocksATable() throws SQLException {
        c.setAutoCommit(false);
        try {
            Db.exec(c, "CREATE TYPE public.t_size AS ENUM ('a')");
            Db.exec(c, "ALTER TYPE public.project_status RENAME VALUE 'archived' TO 'retired'");
            Db.exec(c, "ALTER TYPE public.project_status ADD VALUE IF NOT EXISTS 'paused' AFTER 'active'");
            assertEquals(0, Db.count(c, "SELECT count(*) FROM pg_locks l JOIN pg_class r ON r.oid = l.relation"
                    + " WHERE l.pid = pg_backend_pid() AND l.locktype = 'relation' AND r.relnamespace = 'public'::regnamespace"),
                    "no lock on a table of the schema");
        } finally {
            c.rollback();
            c.setAutoCommit(true);
        }
    }

    @Test
    void unknownTypesAndLabelsAreRefusedBeforeAnyStep() throws Exception {
        Fingerprint before = Db.publicFingerprint(c);
        for (String[] bad : new String[][] {
                {"rename_enum_value: {enum: project_status, from: gone, to: x}", "rename_enum_value: from: public.project_status has no label gone"},
                {"rename_enum_value: {enum: project_status, from: active, to: completed}", "to: public.project_status already has the label completed"},
                {"add_enum_value: {enum: no_such_type, value: x}", "enum: type public.no_such_type does not exist"},
                {"add_enum_value: {enum: project_status, value: x, before: gone}", "before: public.project_status has no label gone"}}) {
            java.nio.file.Path sub = java.nio.file.Files.createTempDirectory(dir, "m");
            TandemException e = assertThrows(TandemException.class, () -> LifecycleDriver.forMigration(db, sub, "0001_enum",
                    "changes:\n  - set_comment: {table: tasks, comment: first}\n  - " + bad[0] + "\n").apply(Phase.EXPAND), bad[0]);
            assertEquals(TandemException.BAD_INPUT, e.exitCode(), bad[0]);
            assertTrue(e.getMessage().contains("0001_enum.yaml:3:") && e.getMessage().contains(bad[1]), e.getMessage());
        }
        PhaseWalk.assertNoDiff(before, Db.publicFingerprint(c), "nothing changed, not even the comment of the first intent");
    }

    @Test
    void addValueToAnEnumCreatedInTheSameMigration() throws SQLException {
        LifecycleDriver tandem = tandem("""
                changes:
                  - create_enum: {name: task_size, values: [s, l]}
                  - add_enum_value: {enum: task_size, value: m, before: l}
                """);
        tandem.forward(Phase.EXPAND);
        assertEquals("s,m,l", labels("task_size"));
    }
}
