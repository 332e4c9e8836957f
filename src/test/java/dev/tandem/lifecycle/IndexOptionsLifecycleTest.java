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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Index options through {@link PhaseWalk}: {@code create_index} with an operator class, sort order,
 * INCLUDE and storage parameters; {@code add_unique} with INCLUDE and storage parameters; a refused
 * parameter; a failed CONCURRENTLY build with options leaves nothing behind.
 */
class IndexOptionsLifecycleTest extends SampleDatabaseTest {
    @TempDir
    Path dir;

    IndexOptionsLifecycleTest() {
        super("index_options_", 20);
    }

    LifecycleDriver tandem(String yaml) {
        return LifecycleDriver.forMigration(db, dir, "0001_index_options", yaml);
    }

    String indexdef(String name) throws SQLException {
        Object d = Db.scalar(c, "SELECT indexdef FROM pg_indexes WHERE indexname = '" + name + "'");
        return d == null ? null : d.toString();
    }

    @Test
    void createIndexWithOpclassOrderIncludeAndFillfactor() throws SQLException {
        LifecycleDriver tandem = tandem("""
                changes:
                  - create_index:
                      table: tasks
                      name: tasks_title_pattern_idx
                      columns: ["title text_pattern_ops", "created_at DESC NULLS LAST"]
                      include: [status]
                      with: {fillfactor: 70}
                      where: "due_date IS NULL"
                """);
        PhaseWalk.run(tandem, c, List.of("public"), p -> {
            String def = indexdef("tasks_title_pattern_idx");
            assertTrue(def != null && def.contains("(title text_pattern_ops, created_at DESC NULLS LAST) INCLUDE (status)")
                    && def.contains("WITH (fillfactor='70')") && def.contains("WHERE (due_date IS NULL)"), "after " + p + ": " + def);
            assertEquals(Boolean.TRUE, Db.scalar(c, "SELECT indisvalid FROM pg_index WHERE indexrelid = 'tasks_title_pattern_idx'::regclass"));
        });
    }

    @Test
    void addUniqueWithIncludeAndStorageParameters() throws SQLException {
        LifecycleDriver tandem = tandem("""
                changes:
                  - add_unique:
                      table: users
                      name: users_email_name_key
                      columns: [email, full_name]
                      include: [created_at]
                      with: {fillfactor: 80, deduplicate_items: off}
                """);
        PhaseWalk.run(tandem, c, List.of("public"), p -> {
            boolean on = p.ordinal() >= Phase.SWITCH_READS.ordinal();
            String def = indexdef("users_email_name_key");
            if (!on) {
                assertEquals(null, def, "no index before switch-reads, after " + p);
                return;
            }
            assertTrue(def.contains("(email, full_name) INCLUDE (created_at) WITH (fillfactor='80', deduplicate_items=off)"), def);
            assertEquals("u", Db.scalar(c, "SELECT contype::text FROM pg_constraint WHERE conname = 'users_email_name_key'"), "after " + p);
        });
    }

    @Test
    void aParameterTheMethodDoesNotTakeIsRefusedBeforeAnyChange() throws SQLException {
        Fingerprint before = Db.publicFingerprint(c);
        TandemException e = assertThrows(TandemException.class, () -> tandem("""
                changes:
                  - create_index: {table: tasks, name: tasks_status_idx2, columns: [status], with: {pages_per_range: 4}}
                """).apply(Phase.EXPAND));
        assertEquals(TandemException.BAD_INPUT, e.exitCode());
        assertTrue(e.getMessage().contains("0001_index_options.yaml:2:") && e.getMessage().contains("'pages_per_range' is not one of btree's"),
                e.getMessage());
        PhaseWalk.assertNoDiff(before, Db.publicFingerprint(c), "nothing changed");
    }

    @Test
    void aFailedBuildWithOptionsDropsItsInvalidIndex() throws SQLException {
        LifecycleDriver tandem = tandem("""
                changes:
                  - create_index: {table: tasks, name: tasks_bad_idx, columns: ["(100 / (priority - 3))"], include: [title], with: {fillfactor: 60}}
                """);
        Fingerprint before = Db.publicFingerprint(c);
        TandemException e = assertThrows(TandemException.class, () -> tandem.apply(Phase.EXPAND));
        assertTrue(e.getMessage().contains("building index public.tasks_bad_idx failed; the INVALID index it left was dropped"), e.getMessage());
        assertEquals(0, Db.count(c, "SELECT count(*) FROM pg_class WHERE relname = 'tasks_bad_idx'"), "no INVALID index left");
        PhaseWalk.assertNoDiff(before, Db.publicFingerprint(c), "nothing is left behind");
    }
}
