package dev.tandem.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.testing.Cli;
import dev.tandem.testing.SampleSchema;
import dev.tandem.testing.TestDatabase;
import java.sql.Connection;
import org.junit.jupiter.api.Test;

/** {@code tandem plan samples/add-foreign-key}: offline, and with the catalog of the seeded sample schema. */
class CliConstraintSampleTest {
    private static final String SAMPLE = SampleSchema.repoRoot().resolve("samples/add-foreign-key").toString();

    @Test
    void planShowsTheSampleOffline() {
        Cli.Result r = Cli.run("plan", SAMPLE);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("FOREIGN KEY (\"project_id\", \"assigned_to\") REFERENCES \"public\".\"project_members\"(\"project_id\", \"user_id\") NOT VALID"), r.out());
        assertTrue(r.out().contains("VALIDATE CONSTRAINT \"tasks_assignee_membership_fkey\""), r.out());
    }

    @Test
    void planShowsTheSampleWithTheCatalog() throws Exception {
        TestDatabase db = TestDatabase.create("cli_fk_sample");
        try (Connection c = db.connect()) {
            SampleSchema.load(c);
        }
        Cli.Result r = Cli.run(Cli.withDb(db, "plan", SAMPLE, "--format", "json"));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("\\\"id\\\" = \\\"saved\\\".\\\"id\\\"") || r.out().contains("\"saved\""), "the restore joins on the real key: " + r.out());
        assertTrue(!r.out().contains("<primary key>"), "no placeholder with a catalog");
    }
}
