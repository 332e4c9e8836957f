package dev.tandem.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.TandemException;
import dev.tandem.intent.ChangelogReader;
import dev.tandem.intent.Migration;
import dev.tandem.lint.LintOptions;
import dev.tandem.plan.PlanOptions;
import dev.tandem.plan.Planner;
import dev.tandem.report.Finding;
import dev.tandem.report.Report;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code check} and the planner that {@code apply} uses judge two changes of one column in one
 * migration by the same rule: for each pair, check reports {@code check/conflict} exactly when the
 * planner refuses, with the same message.
 */
class CheckAgreesWithApplyTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {
            // combine: constraints, defaults, NOT NULL and indexes of one column
            "  - set_default: {table: tasks, column: priority, default: \"3\"}\n  - set_not_null: {table: tasks, column: priority, up: \"coalesce(priority, 3)\"}\n",
            "  - set_not_null: {table: tasks, column: due_date, up: \"coalesce(due_date, current_date)\"}\n  - add_check: {table: tasks, name: tasks_due_check, check: \"due_date > '2000-01-01'\"}\n",
            "  - add_unique: {table: users, name: users_email_key2, columns: [email]}\n  - set_default: {table: users, column: email, default: \"''\"}\n",
            "  - drop_default: {table: tasks, column: priority}\n  - drop_not_null: {table: tasks, column: priority}\n",
            "  - change_column_type: {table: tasks, column: priority, type: bigint}\n  - drop_default: {table: tasks, column: priority}\n",
            // combine: a type change with the default, NOT NULL, comment, checks and unique constraints of its column (ColumnChangeSet)
            "  - change_column_type: {table: tasks, column: priority, type: bigint, up: \"priority::bigint\", down: \"priority::integer\"}\n  - set_default: {table: tasks, column: priority, default: \"3\"}\n",
            "  - set_comment: {table: tasks, column: description, comment: about}\n  - change_column_type: {table: tasks, column: description, type: varchar(200)}\n"
                    + "  - set_default: {table: tasks, column: description, default: \"''\"}\n  - set_not_null: {table: tasks, column: description, up: \"coalesce(description, '')\"}\n"
                    + "  - add_check: {table: tasks, name: tasks_description_check, check: \"length(description) > 0\"}\n"
                    + "  - add_unique: {table: tasks, name: tasks_description_key, columns: [project_id, description]}\n",
            // clash: one of them reshapes the column, or joins a type change it cannot join
            "  - change_column_type: {table: tasks, column: priority, type: bigint}\n  - drop_not_null: {table: tasks, column: priority}\n",
            "  - change_column_type: {table: tasks, column: priority, type: bigint}\n  - set_default: {table: tasks, column: priority, default: \"3\"}\n  - set_default: {table: tasks, column: priority, default: \"4\"}\n",
            "  - change_column_type: {table: tasks, column: priority, type: bigint}\n  - add_check: {table: tasks, name: tasks_p, check: \"priority > 0\", up: {priority: \"1\"}}\n",
            "  - change_column_type: {table: tasks, column: priority, type: bigint}\n  - change_column_type: {table: tasks, column: priority, type: numeric}\n",
            "  - change_column_type: {table: user_profiles, column: phone, type: varchar(40)}\n  - add_unique: {table: user_profiles, name: user_profiles_phone_key, columns: [phone], up: {phone: \"phone || '#'\"}}\n",
            "  - rename_column: {table: users, column: full_name, to: display_name}\n  - set_not_null: {table: users, column: full_name, up: \"coalesce(full_name, '')\"}\n",
            "  - set_default: {table: tasks, column: priority, default: \"3\"}\n  - drop_column: {table: tasks, column: priority}\n",
            "  - rename_table: {table: tasks, to: todos}\n  - set_default: {table: tasks, column: priority, default: \"3\"}\n",
    })
    void checkReportsAConflictExactlyWhenThePlannerRefuses(String changes) throws Exception {
        Path file = dir.resolve("0001_pair.yaml");
        Files.writeString(file, "changes:\n" + changes);
        Migration m = ChangelogReader.readFile(file);
        String refusal = null;
        try {
            new Planner(PlanOptions.defaults()).plan(m, Optional.empty());
        } catch (TandemException e) {
            assertEquals(TandemException.BAD_INPUT, e.exitCode());
            refusal = e.getMessage();
        }
        Report report = new CheckCommand(PlanOptions.defaults(), LintOptions.defaults()).run(file, Optional.empty());
        List<Finding> conflicts = report.findings().stream()
                .filter(f -> f.rule().equals("check/conflict")).toList();
        if (refusal == null) {
            assertEquals(List.of(), conflicts, "the planner accepts this pair, so check must too");
        } else {
            assertEquals(1, conflicts.size(), "the planner refuses (" + refusal + "), so check must report it: " + conflicts);
            Finding f = conflicts.get(0);
            assertTrue(refusal.endsWith(f.message()), "same message: " + refusal + " / " + f.message());
            assertTrue(refusal.startsWith(f.location() + ": "), "same position: " + refusal + " / " + f.location());
        }
    }
}
