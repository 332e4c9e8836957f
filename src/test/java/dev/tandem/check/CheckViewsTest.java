package dev.tandem.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.testing.Cli;
import dev.tandem.testing.Db;
import dev.tandem.testing.SampleSchema;
import dev.tandem.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** tandem check on a snapshot with views: a view a change would break is a finding naming it, unless the migration drops it. */
class CheckViewsTest {
    @Test
    void aViewThatAChangeWouldBreakIsAFindingUnlessTheMigrationDropsIt(@TempDir Path dir) throws Exception {
        TestDatabase db = TestDatabase.create("CheckViewsTest");
        try (Connection c = db.connect()) {
            SampleSchema.load(c);
            Db.exec(c, "CREATE VIEW user_secrets AS SELECT id, password_hash FROM users");
        }
        Path snapshot = dir.resolve("schema.json");
        Cli.Result snap = Cli.run(Cli.withDb(db, "snapshot", "-o", snapshot.toString()));
        assertEquals(0, snap.code(), snap.describe());

        Path changelogs = Files.createDirectory(dir.resolve("changelogs"));
        Files.writeString(changelogs.resolve("0001_drop.yaml"), "changes:\n  - drop_column: {table: users, column: password_hash}\n");
        Cli.Result r = Cli.run("check", changelogs.toString(), "--schema-snapshot", snapshot.toString(), "--format", "json");
        assertEquals(4, r.code(), r.describe());
        List<Map<String, Object>> fs = CheckCommandTest.findings(r.out());
        assertEquals(1, fs.size(), r.out());
        assertEquals("check/refused", fs.get(0).get("rule"), r.out());
        assertTrue(fs.get(0).get("message").toString().contains("view public.user_secrets reads public.users.password_hash"), r.out());

        Files.writeString(changelogs.resolve("0001_drop.yaml"), """
                changes:
                  - sql: {phase: expand, up: "DROP VIEW user_secrets", down: "CREATE VIEW user_secrets AS SELECT id, password_hash FROM public.users"}
                  - drop_column: {table: users, column: password_hash}
                """);
        Cli.Result ok = Cli.run("check", changelogs.toString(), "--schema-snapshot", snapshot.toString(), "--format", "json");
        assertTrue(CheckCommandTest.findings(ok.out()).stream().noneMatch(f -> "check/refused".equals(f.get("rule"))), ok.out());
    }
}
