package dev.tandem.cli;

import dev.tandem.testing.TestDatabase;
import java.sql.SQLException;

/** Lets tests of other packages build the CLI tests' sample database. */
public final class CliLifecycleTestAccess {
    private CliLifecycleTestAccess() {}

    public static TestDatabase sampleDb(String name, int users) throws SQLException {
        return CliLifecycleTest.sampleDb(name, users);
    }
}
