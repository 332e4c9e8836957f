package dev.tandem.plan;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.TandemException;
import dev.tandem.intent.ChangelogReader;
import dev.tandem.intent.Migration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two intents of one migration that change the same column (or table) are refused at the second one's position. */
class PlannerConflictTest {
    @TempDir
    Path dir;

    private Migration read(String yaml) throws Exception {
        Path file = dir.resolve("0001_x.yaml");
        Files.writeString(file, yaml);
        return ChangelogReader.readFile(file);
    }

    private TandemException refused(String yaml) throws Exception {
        Migration m = read(yaml);
        return assertThrows(TandemException.class, () -> new Planner(PlanOptions.defaults()).plan(m, Optional.empty()));
    }

    @Test
    void droppingAColumnAnotherIntentRenamesIsRefused() throws Exception {
        TandemException e = refused("""
                changes:
                  - rename_column: {table: users, column: full_name, to: display_name}
                  - drop_column: {table: users, column: full_name}
                """);
        assertEquals(TandemException.BAD_INPUT, e.exitCode());
        assertTrue(e.getMessage().contains("0001_x.yaml:3:5: drop_column: changes public.users.full_name, which the rename_column at line 2"),
                e.getMessage());
    }

    @Test
    void aColumnChangeOnATableAnotherIntentRenamesIsRefused() throws Exception {
        TandemException e = refused("""
                changes:
                  - add_column: {table: projects, column: {name: archived, type: boolean}}
                  - rename_table: {table: projects, to: workspaces}
                """);
        assertTrue(e.getMessage().contains(":3:5: rename_table: changes public.projects.*, which the add_column at line 2"), e.getMessage());
    }

    @Test
    void intentsOnDifferentColumnsPlanTogether() throws Exception {
        Migration m = read("""
                changes:
                  - rename_column: {table: users, column: full_name, to: display_name}
                  - add_column: {table: users, column: {name: slug, type: text}}
                  - set_default: {table: tasks, column: priority, default: "3"}
                """);
        assertDoesNotThrow(() -> new Planner(PlanOptions.defaults()).plan(m, Optional.empty()));
    }
}
