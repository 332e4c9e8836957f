package dev.tandem.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.testing.Cli;
import dev.tandem.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.Liquibase;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.lockservice.LockService;
import liquibase.lockservice.LockServiceFactory;
import liquibase.resource.DirectoryResourceAccessor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tandem writes databasechangelog only under Liquibase's databasechangeloglock: while a Liquibase
 * process holds it, contract gives up after the wait (exit 3) naming the holder and records
 * nothing; once it is released, the next apply records the changeSet and releases the lock.
 */
class LiquibaseLockTest {
    static {
        System.setProperty("liquibase.analytics.enabled", "false");
    }

    @TempDir
    Path dir;

    @Test
    void aHeldLockDefersTheHistoryRowUntilItIsReleased() throws Exception {
        TestDatabase db = TestDatabase.create("LiquibaseLockTest");
        Path master = LiquibaseChangelogFixture.write(dir);
        try (Connection c = db.connect()) {
            Database d = DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(c));
            new Liquibase("master.xml", new DirectoryResourceAccessor(dir), d)
                    .update(LiquibaseChangelogFixture.LIQUIBASE_HALF, new Contexts("test"), new LabelExpression());
        }
        String id = "changes.xml::9::dave";
        ok(db, "apply", master.toString(), "--contexts", "test");
        ok(db, "switch-reads", id);

        String previous = System.getProperty("tandem.liquibase.lockWaitSeconds");
        System.setProperty("tandem.liquibase.lockWaitSeconds", "1");
        try (Connection other = db.connect()) {
            Database od = DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(other));
            LockService held = LockServiceFactory.getInstance().getLockService(od);
            assertTrue(held.acquireLock(), "the other Liquibase process holds the lock");
            try {
                Cli.Result r = Cli.run(Cli.withDb(db, "contract", id, "--yes", "--quiet-period", "0s"));
                assertEquals(3, r.code(), r.describe());
                assertTrue(r.err().contains("databasechangeloglock is held by"), r.describe());
                assertEquals(LiquibaseChangelogFixture.LIQUIBASE_HALF, count(db, "SELECT count(*) FROM databasechangelog"), "nothing recorded");
            } finally {
                held.releaseLock();
            }
        } finally {
            if (previous == null) {
                System.clearProperty("tandem.liquibase.lockWaitSeconds");
            } else {
                System.setProperty("tandem.liquibase.lockWaitSeconds", previous);
            }
        }
        assertEquals(1, count(db, "SELECT count(*) FROM tandem.migrations WHERE id = '" + id + "' AND status = 'contracted'"),
                "the contract itself was applied");
        ok(db, "apply", master.toString(), "--contexts", "test");
        assertEquals(LiquibaseChangelogFixture.LIQUIBASE_HALF + 1, count(db, "SELECT count(*) FROM databasechangelog"));
        assertEquals(1, count(db, "SELECT count(*) FROM databasechangelog WHERE filename = 'changes.xml' AND id = '9' AND author = 'dave'"));
        assertEquals(0, count(db, "SELECT count(*) FROM databasechangeloglock WHERE locked"), "Tandem released the lock");
    }

    private static Cli.Result ok(TestDatabase db, String... args) {
        Cli.Result r = Cli.run(Cli.withDb(db, args));
        assertEquals(0, r.code(), () -> String.join(" ", args) + "\n" + r.describe());
        return r;
    }

    private static long count(TestDatabase db, String sql) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
