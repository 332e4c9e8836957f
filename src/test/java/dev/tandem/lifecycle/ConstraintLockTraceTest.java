package dev.tandem.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.catalog.CatalogReader;
import dev.tandem.intent.ChangelogReader;
import dev.tandem.intent.Migration;
import dev.tandem.plan.LockLevel;
import dev.tandem.plan.MigrationPlan;
import dev.tandem.plan.Phase;
import dev.tandem.plan.PlanOptions;
import dev.tandem.plan.Planner;
import dev.tandem.plan.Step;
import dev.tandem.testing.Db;
import dev.tandem.testing.SampleSchema;
import dev.tandem.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lock tracing: every step of the constraint intents' plans is run on a real PostgreSQL, each
 * transactional one in its own transaction, and before its commit the strongest lock this backend
 * holds on the step's table is read from {@code pg_locks}: it must be exactly the lock the step
 * declares. The table's relfilenode must not change (no step rewrites).
 */
class ConstraintLockTraceTest {
    @TempDir
    Path dir;

    static final String CHANGES = """
            changes:
              - set_not_null: {table: tasks, column: due_date, up: "coalesce(due_date, date '2000-01-01')"}
              - add_check: {table: tasks, name: tasks_title_length, check: "length(title) <= 100", up: {title: "left(title, 100)"}}
              - add_foreign_key: {table: tasks, name: tasks_member_fkey, columns: [project_id, assigned_to], references: {table: project_members, columns: [project_id, user_id]}, up: {assigned_to: "NULL"}}
              - add_unique: {table: tasks, name: tasks_title_key, columns: [title, id]}
              - drop_not_null: {table: tasks, column: project_id}
              - set_default: {table: tasks, column: priority, default: "3"}
              - drop_default: {table: tasks, column: status}
              - drop_constraint: {table: tasks, name: tasks_priority_check}
              - create_index: {table: tasks, name: tasks_x_idx, columns: ["lower(title)"]}
              - drop_index: {name: tasks_status_idx}
            """;

    @Test
    void everyStepTakesExactlyTheLockItDeclares() throws Exception {
        TestDatabase db = TestDatabase.create("cons_locks");
        try (Connection c = db.connect()) {
            SampleSchema.load(c);
            SampleSchema.seed(c, 50);
            Db.exec(c, "CREATE SCHEMA tandem");
            Path f = dir.resolve("0001_all.yaml");
            Files.writeString(f, CHANGES);
            Migration m = ChangelogReader.readFile(f);
            MigrationPlan plan = new Planner(PlanOptions.defaults()).plan(m, Optional.of(CatalogReader.read(c, List.of("public"))));
            long filenode = relfilenode(c);
            int traced = 0;
            for (Phase p : Phase.values()) {
                for (Step s : plan.phase(p).steps()) {
                    String sql = s.sql();
                    if (!s.transactional()) {
                        Db.exec(c, sql);
                        continue;
                    }
                    c.setAutoCommit(false);
                    Db.exec(c, sql);
                    LockLevel held = strongestLockOnTasks(c);
                    c.commit();
                    c.setAutoCommit(true);
                    LockLevel declared = "public.tasks".equals(s.table()) ? s.lock() : LockLevel.NONE;
                    assertEquals(declared, held, p + " / " + s.description());
                    traced++;
                }
            }
            assertTrue(traced > 20, "traced " + traced + " steps");
            assertEquals(filenode, relfilenode(c), "no step rewrote tasks");
        }
    }

    static long relfilenode(Connection c) throws SQLException {
        return Db.count(c, "SELECT relfilenode FROM pg_class WHERE oid = 'public.tasks'::regclass");
    }

    static LockLevel strongestLockOnTasks(Connection c) throws SQLException {
        LockLevel max = LockLevel.NONE;
        try (PreparedStatement ps = c.prepareStatement("SELECT mode FROM pg_locks WHERE pid = pg_backend_pid() AND locktype = 'relation'"
                + " AND relation = 'public.tasks'::regclass AND granted");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                LockLevel l = LockLevel.parse(rs.getString(1));
                if (l.compareTo(max) > 0) {
                    max = l;
                }
            }
        }
        return max;
    }
}
