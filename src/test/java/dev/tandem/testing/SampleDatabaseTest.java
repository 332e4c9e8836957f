package dev.tandem.testing;

import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;

/**
 * Base of the lifecycle tests that each need a fresh database with the seeded sample schema in
 * {@code public}: every test method gets its own database (named after the method, so Tandem state
 * is never shared) and an open connection {@link #c}, closed afterwards.
 */
public abstract class SampleDatabaseTest {
    private final String prefix;
    private final int users;

    protected TestDatabase db;
    protected Connection c;

    /** @param prefix database name prefix; @param users seeded users (tasks and the rest follow the seed's ratios) */
    protected SampleDatabaseTest(String prefix, int users) {
        this.prefix = prefix;
        this.users = users;
    }

    @BeforeEach
    void openSampleDatabase(TestInfo info) throws SQLException {
        db = TestDatabase.create(prefix + info.getTestMethod().orElseThrow().getName());
        c = db.connect();
        SampleSchema.load(c);
        SampleSchema.seed(c, users);
    }

    @AfterEach
    void closeSampleDatabase() throws SQLException {
        if (c != null) {
            c.close();
        }
    }
}
