package dev.tandem.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.catalog.Fingerprint;
import dev.tandem.testing.Cli;
import dev.tandem.testing.Db;
import dev.tandem.testing.PhaseWalk;
import dev.tandem.testing.SampleSchema;
import dev.tandem.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Author-written expressions are compiled against the live catalog before any DDL: a typo or a
 * non-boolean check fails {@code plan --url} and {@code apply} with exit 2 at the intent's position,
 * naming the field, and the database is exactly as before.
 */
class CliExpressionPreflightTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            add_column up typo     | '  - add_column: {table: users, column: {name: slug, type: text}, up: lower(emial)}'                        | up (lower(emial))
            split_column down typo | '  - split_column: {table: users, column: full_name, into: [{name: first_name, type: text, up: \"split_part(full_name, '' '', 1)\"}], down: \"upper(frist_name)\"}' | down (upper(frist_name))
            add_check not boolean  | '  - add_check: {table: tasks, name: tasks_title_len, check: \"length(title)\"}'                             | check (length(title))
            set_not_null up type   | '  - set_not_null: {table: tasks, column: due_date, up: \"gen_random_uuid()\"}'                               | up (gen_random_uuid())
            create_index where     | '  - create_index: {table: tasks, name: tasks_x_idx, columns: [title], where: \"deleted_at IS NULL\"}'         | where (deleted_at IS NULL)
            """)
    void aBadExpressionFailsPlanAndApplyBeforeAnyDdl(String name, String change, String field) throws Exception {
        Path file = dir.resolve("0001_bad.yaml");
        Files.writeString(file, "changes:\n" + change + "\n");
        TestDatabase db = TestDatabase.create("preflight");
        try (Connection c = db.connect()) {
            SampleSchema.load(c);
            SampleSchema.seed(c, 50);
            Fingerprint before = Fingerprint.of(c, List.of("public"), true);

            Cli.Result plan = Cli.run(Cli.withDb(db, "plan", file.toString()));
            assertEquals(2, plan.code(), plan.describe());
            assertTrue(plan.err().contains(file + ":2:5"), "points at the intent: " + plan.err());
            assertTrue(plan.err().contains(field), "names the field and expression: " + plan.err());

            Cli.Result apply = Cli.run(Cli.withDb(db, "apply", file.toString()));
            assertEquals(2, apply.code(), apply.describe());
            assertTrue(apply.err().contains(field), apply.err());
            PhaseWalk.assertNoDiff(before, Fingerprint.of(c, List.of("public"), true), "after the refused apply");
            assertFalse(Db.count(c, "SELECT count(*) FROM tandem.migrations") > 0, "no migration was started");
        }
    }
}
