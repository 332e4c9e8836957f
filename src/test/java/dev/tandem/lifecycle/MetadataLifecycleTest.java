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
}
