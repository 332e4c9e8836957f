package dev.tandem.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.testing.Cli;
import dev.tandem.testing.TestDatabase;
import dev.tandem.util.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.Liquibase;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.DirectoryResourceAccessor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Liquibase changelog (XML root, YAML and XML includes, a formatted-SQL file, contexts) half
 * applied by liquibase-core itself, the rest by Tandem's five phases through the command line while
 * an old and a new application write; afterwards Liquibase's own update runs nothing and lists no
 * unrun changeSet.
 */
class LiquibaseSourceTest {
    static {
        System.setProperty("liquibase.analytics.enabled", "false");
    }

    @TempDir
    Path dir;

    private static final String RENAME = "changes.xml::9::dave";

    @Test
    void tandemFinishesWhatLiquibaseStartedAndLiquibaseAgrees() throws Exception {
        TestDatabase db = TestDatabase.create("LiquibaseSourceTest");
        Path master = LiquibaseChangelogFixture.write(dir);
        try (Connection c = db.connect()) {
            liquibase(c).update(LiquibaseChangelogFixture.LIQUIBASE_HALF, new Contexts("test"), new LabelExpression());
        }
        assertEquals(LiquibaseChangelogFixture.LIQUIBASE_HALF, count(db, "SELECT count(*) FROM databasechangelog"));

        // plan lists only the changeSets Liquibase has not run
        Cli.Result plan = ok(db, "plan", master.toString(), "--contexts", "test", "--format", "json");
        assertFalse(plan.out().contains("tables.yaml::1::alice"), plan.out());
        assertTrue(plan.out().contains(RENAME), plan.out());

        AtomicBoolean oldApp = new AtomicBoolean(true);
        AtomicBoolean newApp = new AtomicBoolean(false);
        AtomicBoolean stop = new AtomicBoolean(false);
        List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger oldWrites = new AtomicInteger();
        AtomicInteger newWrites = new AtomicInteger();
        Thread writer = new Thread(() -> {
            try (Connection w = db.connect()) {
                while (!stop.get()) {
                    try (Statement s = w.createStatement()) {
                        if (oldApp.get()) {
                            s.execute("INSERT INTO users (email, full_name) VALUES ('" + UUID.randomUUID() + "@old', 'Old Writer')");
                            s.execute("UPDATE users SET full_name = 'Old ' || id WHERE id = (SELECT min(id) FROM users)");
                            oldWrites.incrementAndGet();
                        }
                        if (newApp.get()) {
                            s.execute("INSERT INTO users (email, display_name) VALUES ('" + UUID.randomUUID() + "@new', 'New Writer')");
                            newWrites.incrementAndGet();
                        }
                    } catch (SQLException e) {
                        if (!e.getMessage().contains("lock timeout")) {
                            errors.add(e);
                        }
                    }
                    Thread.sleep(5);
                }
            } catch (Exception e) {
                errors.add(e);
            }
        });
        writer.start();
        List<String> finished = new ArrayList<>();
        try {
            for (int round = 0; round < 20; round++) {
                Cli.Result r = ok(db, "apply", master.toString(), "--contexts", "test", "--format", "json");
                List<String> ready = new ArrayList<>();
                for (Object o : (List<?>) ((Map<?, ?>) Json.parse(r.out())).get("migrations")) {
                    Map<?, ?> row = (Map<?, ?>) o;
                    if ("in-progress".equals(row.get("status"))) {
                        ready.add((String) row.get("id"));
                    }
                }
                if (ready.isEmpty()) {
                    break;
                }
                for (String id : ready) {
                    ok(db, "switch-reads", id);
                    if (id.equals(RENAME)) {
                        newApp.set(true);
                        Thread.sleep(200);
                        oldApp.set(false); // every instance reads the new shape: contract may go
                        Thread.sleep(50);
                    }
                    ok(db, "contract", id, "--yes", "--quiet-period", "0s"); // the writers above just stopped; the gate itself is ContractReadinessTest's
                    // a later changeSet on the same table waits until this one is purged (the release-train rule)
                    ok(db, "purge", id, "--yes");
                    finished.add(id);
                }
            }
            Thread.sleep(200);
        } finally {
            stop.set(true);
            writer.join();
        }
        assertEquals(List.of(), errors, "application writes failed");
        assertTrue(oldWrites.get() > 0 && newWrites.get() > 0, oldWrites + " old, " + newWrites + " new writes");
        assertEquals(LiquibaseChangelogFixture.RUN_WITH_TEST_CONTEXT - LiquibaseChangelogFixture.LIQUIBASE_HALF, finished.size(),
                "Tandem finished " + finished);
        assertEquals(LiquibaseChangelogFixture.RUN_WITH_TEST_CONTEXT, count(db, "SELECT count(*) FROM databasechangelog"));
        assertEquals(0, count(db, "SELECT count(*) FROM databasechangelog WHERE md5sum IS NULL OR exectype <> 'EXECUTED'"));
        assertEquals(0, count(db, "SELECT count(*) FROM users WHERE display_name IS NULL"), "every row has the new name");
        assertEquals(0, count(db, "SELECT count(*) FROM information_schema.columns WHERE table_name = 'users' AND column_name = 'full_name'"));
        assertEquals(50, count(db, "SELECT count(*) FROM workspaces WHERE NOT archived"));
        assertEquals(1, count(db, "SELECT count(*) FROM pg_class WHERE relname = 'audit_log'"));
        assertEquals(1, count(db, "SELECT count(*) FROM information_schema.columns WHERE table_name = 'workspaces' AND column_name = 'title'"),
                "more.sql's ALTER TABLE … RENAME COLUMN ran as rename_column");
        assertEquals(1, count(db, "SELECT count(*) FROM information_schema.columns WHERE table_name = 'users' AND column_name = 'status'"),
                "the prod-only dropColumn did not run");

        // Liquibase's own view: nothing left to run, and update changes nothing
        try (Connection c = db.connect()) {
            Liquibase lb = liquibase(c);
            assertEquals(List.of(), lb.listUnrunChangeSets(new Contexts("test"), new LabelExpression()).stream()
                    .map(cs -> cs.getFilePath() + "::" + cs.getId()).toList());
            lb.update(new Contexts("test"), new LabelExpression());
        }
        assertEquals(LiquibaseChangelogFixture.RUN_WITH_TEST_CONTEXT, count(db, "SELECT count(*) FROM databasechangelog"));
        // and Tandem, asked again, has nothing to apply
        String again = ok(db, "apply", master.toString(), "--contexts", "test").out();
        assertFalse(again.contains(" applied"), again);
        assertEquals(finished.size(), again.lines().filter(l -> l.endsWith("already at contract")).count(), again);
    }

    @Test
    void blockingSqlIsRefusedAtItsLine() throws Exception {
        TestDatabase db = TestDatabase.create("LiquibaseSourceTest");
        Path master = LiquibaseChangelogFixture.write(dir);
        Files.writeString(dir.resolve("changes.xml"), Files.readString(dir.resolve("changes.xml")).replace(
                "<sql>CREATE TABLE audit_log (id bigint PRIMARY KEY, message text NOT NULL)</sql>",
                "<sql>CREATE INDEX ON users (lower(email))</sql>")); // unnamed: not translated, so linted, and blocking
        try (Connection c = db.connect()) {
            liquibase(c).update(LiquibaseChangelogFixture.LIQUIBASE_HALF, new Contexts("test"), new LabelExpression());
        }
        Cli.Result r = Cli.run(Cli.withDb(db, "apply", master.toString(), "--contexts", "test"));
        assertEquals(2, r.code(), r.describe());
        int line = lineOf(dir.resolve("changes.xml"), "id=\"16\"");
        assertTrue(r.err().contains("changes.xml:" + line + ":"), r.describe());
        assertTrue(r.err().contains("'16'") && r.err().contains("CONCURRENTLY"), r.describe());
        assertEquals(0, count(db, "SELECT count(*) FROM pg_class WHERE relname IN ('users_display_name_idx', 'users_lower_idx')"),
                "nothing was changed");
        assertEquals(1, count(db, "SELECT count(*) FROM information_schema.columns WHERE table_name = 'users' AND column_name = 'full_name'"));
    }

    private static int lineOf(Path file, String text) throws Exception {
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i + 1;
            }
        }
        throw new AssertionError(text + " not in " + file);
    }

    private Liquibase liquibase(Connection c) throws Exception {
        Database d = DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(c));
        return new Liquibase("master.xml", new DirectoryResourceAccessor(dir), d);
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
