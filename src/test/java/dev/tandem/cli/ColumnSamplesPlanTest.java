package dev.tandem.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.testing.Cli;
import dev.tandem.testing.SampleSchema;
import dev.tandem.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code tandem plan samples/<scenario>} for the column scenarios: offline, and against the sample
 * schema (real types, keys and constraints), exit 0 with the steps each scenario is about.
 */
class ColumnSamplesPlanTest {
    @ParameterizedTest
    @CsvSource({
            "add-not-null-column, CREATE UNIQUE INDEX CONCURRENTLY",
            "split-full-name, ADD COLUMN \"first_name\" text, ADD COLUMN \"last_name\" text",
            "drop-column, RENAME COLUMN \"phone\" TO \"tandem_retired_",
            "rename-column, RENAME COLUMN \"full_name\" TO \"tandem_retired_"})
    void samplesPlan(String scenario, String expected) throws SQLException {
        String dir = SampleSchema.repoRoot().resolve("samples").resolve(scenario).toString();
        Cli.Result offline = Cli.run("plan", dir);
        assertEquals(0, offline.code(), offline.err());
        assertTrue(offline.out().contains(expected), offline.out());
        TestDatabase db = TestDatabase.create("samples_" + scenario.replace('-', '_'));
        try (Connection c = db.connect()) {
            SampleSchema.load(c);
        }
        Cli.Result online = Cli.run(Cli.withDb(db, "plan", dir));
        assertEquals(0, online.code(), online.err());
        assertTrue(online.out().contains(expected), online.out());
        assertTrue(!online.out().contains("<type of") && !online.out().contains("<primary key>"), "no placeholders with --url:\n" + online.out());
    }
}
