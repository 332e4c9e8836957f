package dev.tandem.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.TandemException;
import dev.tandem.plan.Phase;
import dev.tandem.testing.Db;
import dev.tandem.testing.LifecycleDriver;
import dev.tandem.testing.PhaseWalk;
import dev.tandem.testing.SampleDatabaseTest;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code add_column} with {@code check: {name, expression}}: the constraint carries the author's name in every phase. */
class NamedCheckLifecycleTest extends SampleDatabaseTest {
    @TempDir
    Path dir;

    NamedCheckLifecycleTest() {
        super("named_check_", 10);
    }

    String sqlState(String sql) {
        try (java.sql.Statement s = c.createStatement()) {
            s.execute(sql);
            return null;
        } catch (SQLException e) {
            return e.getSQLState();
        }
    }

    @Test
    void theCheckHasTheGivenName() throws SQLException {
        LifecycleDriver tandem = LifecycleDriver.forMigration(db, dir, "0001_estimate", """
                changes:
                  - add_column:
                      table: tasks
                      column: {name: estimate_hours, type: integer, default: "0", check: {name: tasks_estimate_nonnegative, expression: "estimate_hours >= 0"}}
                """);
        PhaseWalk.run(tandem, c, List.of("public"), p -> {
            boolean checked = p.ordinal() >= Phase.BACKFILL.ordinal();
            assertEquals(checked ? 1 : 0, Db.count(c, "SELECT count(*) FROM pg_constraint WHERE conname = 'tasks_estimate_nonnegative'"),
                    "named check after " + p);
            assertEquals(0, Db.count(c, "SELECT count(*) FROM pg_constraint WHERE conname = 'tasks_estimate_hours_check'"),
                    "no derived name after " + p);
            if (checked) {
                assertEquals("23514", sqlState("UPDATE tasks SET estimate_hours = -1 WHERE id = (SELECT id FROM tasks LIMIT 1)"),
                        "a violating write is refused after " + p);
            }
            if (p.ordinal() >= Phase.SWITCH_READS.ordinal()) {
                assertEquals(1, Db.count(c, "SELECT count(*) FROM pg_constraint WHERE conname = 'tasks_estimate_nonnegative' AND convalidated"));
            }
        });
    }

    @Test
    void aTakenNameIsRefused() throws SQLException {
        TandemException e = assertThrows(TandemException.class, () -> LifecycleDriver.forMigration(db, dir, "0001_estimate", """
                changes:
                  - add_column:
                      table: tasks
                      column: {name: estimate_hours, type: integer, check: {name: tasks_priority_check, expression: "estimate_hours >= 0"}}
                """).apply(Phase.EXPAND));
        assertEquals(TandemException.BAD_INPUT, e.exitCode());
        assertTrue(e.getMessage().contains("0001_estimate.yaml:2:") && e.getMessage().contains("check name tasks_priority_check is already taken"),
                e.getMessage());
        assertEquals(false, Db.columnExists(c, "public", "tasks", "estimate_hours"));
    }
}
