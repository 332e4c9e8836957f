package dev.tandem.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;

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

/**
 * The metadata intents ({@code set_comment}, …) through {@link PhaseWalk} on the seeded sample
 * schema: each phase applied, checked, rolled back to an identical fingerprint (comments included),
 * applied again; then contract and purge.
 */
class MetadataLifecycleTest extends SampleDatabaseTest {
    static final String ID = "0001_meta";

    @TempDir
    Path dir;

    MetadataLifecycleTest() {
        super("meta_", 20);
    }

    LifecycleDriver tandem(String yaml) {
        return LifecycleDriver.forMigration(db, dir, ID, yaml);
    }

    Object tableComment(String table) throws SQLException {
        return Db.scalar(c, "SELECT obj_description('" + table + "'::regclass, 'pg_class')");
    }

    Object columnComment(String table, String column) throws SQLException {
        return Db.scalar(c, "SELECT col_description('" + table + "'::regclass, (SELECT attnum FROM pg_attribute WHERE attrelid = '"
                + table + "'::regclass AND attname = '" + column + "'))");
    }

    @Test
    void setCommentsOfATableAndAColumn() throws SQLException {
        LifecycleDriver tandem = tandem("""
                changes:
                  - set_comment: {table: tasks, comment: "Work items; one per card"}
                  - set_comment: {table: tasks, column: title, comment: "It's what the card shows"}
                """);
        PhaseWalk.run(tandem, c, List.of("public"), p -> {
            assertEquals("Work items; one per card", tableComment("tasks"), "table comment after " + p);
            assertEquals("It's what the card shows", columnComment("tasks", "title"), "column comment after " + p);
        });
    }

    @Test
    void nullClearsAComment() throws SQLException {
        Db.exec(c, "COMMENT ON TABLE users IS 'people'");
        Db.exec(c, "COMMENT ON COLUMN users.email IS 'login'");
        LifecycleDriver tandem = tandem("""
                changes:
                  - set_comment: {table: users, comment: null}
                  - set_comment: {table: users, column: email, comment: null}
                """);
        PhaseWalk.run(tandem, c, List.of("public"), p -> {
            assertEquals(null, tableComment("users"), "table comment cleared after " + p);
            assertEquals(null, columnComment("users", "email"), "column comment cleared after " + p);
        });
        // the walk's rollbacks restored 'people' and 'login' exactly (the fingerprint compares comments)
    }

    @Test
    void aChangedCommentIsRestoredByTheRollback() throws SQLException {
        Db.exec(c, "COMMENT ON COLUMN users.email IS 'login'");
        LifecycleDriver tandem = tandem("""
                changes:
                  - set_comment: {table: users, column: email, comment: "unique login"}
                """);
        tandem.forward(Phase.EXPAND);
        assertEquals("unique login", columnComment("users", "email"));
        tandem.rollbackOne();
        assertEquals("login", columnComment("users", "email"));
    }

    long constraintNamed(String name) throws SQLException {
        return Db.count(c, "SELECT count(*) FROM pg_constraint WHERE conname = '" + name + "'");
    }

    long indexNamed(String name) throws SQLException {
        return Db.count(c, "SELECT count(*) FROM pg_class WHERE relkind = 'i' AND relname = '" + name + "'");
    }

    @Test
    void renameConstraintsAtContract() throws SQLException {
        LifecycleDriver tandem = tandem("""
                changes:
                  - rename_constraint: {table: users, name: users_email_key, to: users_email_unique}
                  - rename_constraint: {table: tasks, name: tasks_priority_check, to: tasks_priority_range}
                """);
        PhaseWalk.run(tandem, c, List.of("public"), p -> {
            boolean renamed = p == Phase.CONTRACT;
            assertEquals(renamed ? 0 : 1, constraintNamed("users_email_key"), "old unique name after " + p);
            assertEquals(renamed ? 1 : 0, constraintNamed("users_email_unique"), "new unique name after " + p);
            assertEquals(renamed ? 1 : 0, indexNamed("users_email_unique"), "the backing index is renamed with it after " + p);
            assertEquals(renamed ? 1 : 0, constraintNamed("tasks_priority_range"), "new check name after " + p);
            // the constraint still holds under either name
            String dup = "UPDATE users SET email = (SELECT email FROM users ORDER BY id OFFSET 1 LIMIT 1)"
                    + " WHERE id = (SELECT id FROM users ORDER BY id LIMIT 1)";
            assertEquals("23505", sqlState(dup), "duplicate email refused after " + p);
        });
    }

    String sqlState(String sql) {
        try (java.sql.Statement s = c.createStatement()) {
            s.execute(sql);
            return null;
        } catch (SQLException e) {
            return e.getSQLState();
        }
    }
}
