package dev.tandem.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.testing.Cli;
import dev.tandem.testing.SampleSchema;
import dev.tandem.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** tandem snapshot from a real database, then tandem check on that snapshot (no database). */
class CheckSnapshotTest {
    @Test
    void unknownTablesAndColumnsAreFindingsAndLaterMigrationsPlanOnTheProjection(@TempDir Path dir) throws Exception {
        TestDatabase db = TestDatabase.create("CheckSnapshotTest");
        try (Connection c = db.connect()) {
            SampleSchema.load(c);
        }
        Path snapshot = dir.resolve("schema.json");
        Cli.Result snap = Cli.run(Cli.withDb(db, "snapshot", "-o", snapshot.toString()));
        assertEquals(0, snap.code(), snap.describe());

        Path changelogs = Files.createDirectory(dir.resolve("changelogs"));
        Files.writeString(changelogs.resolve("0001_rename.yaml"), "changes:\n  - rename_column: {table: users, column: full_name, to: display_name}\n");
        Files.writeString(changelogs.resolve("0002_no_column.yaml"), "changes:\n  - rename_column: {table: users, column: nope, to: x}\n");
        Files.writeString(changelogs.resolve("0003_no_table.yaml"), "changes:\n  - rename_column: {table: ghosts, column: a, to: b}\n");
        Files.writeString(changelogs.resolve("0004_again.yaml"), "changes:\n  - rename_column: {table: users, column: display_name, to: name}\n");

        Cli.Result r = Cli.run("check", changelogs.toString(), "--schema-snapshot", snapshot.toString(), "--format", "json", "--overlaps");
        assertEquals(4, r.code(), r.describe());
        List<Map<String, Object>> fs = CheckCommandTest.findings(r.out());
        List<String> summary = fs.stream().map(f -> Path.of((String) f.get("file")).getFileName() + ":" + f.get("line") + ":"
                + f.get("column") + " " + f.get("rule")).toList();
        assertEquals(List.of("0002_no_column.yaml:2:5 check/unknown-object", "0003_no_table.yaml:2:5 check/unknown-object",
                "0004_again.yaml:2:5 check/overlap"), summary, r.out());
        assertTrue(fs.get(0).get("message").toString().contains("unknown column nope"), fs.get(0).toString());
        assertTrue(fs.get(1).get("message").toString().contains("unknown table"), fs.get(1).toString());

        // offline, the unknown names cannot be seen: only the overlap warning remains
        Cli.Result offline = Cli.run("check", changelogs.toString());
        assertEquals(0, offline.code(), offline.describe());
    }
}
