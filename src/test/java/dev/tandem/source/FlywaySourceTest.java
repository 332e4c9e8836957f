package dev.tandem.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.TandemException;
import dev.tandem.intent.Intent;
import dev.tandem.intent.Migration;
import dev.tandem.intent.RawSql;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Offline: a Flyway folder read as Flyway reads it — order, names, checksums, undo and repeatable files. */
class FlywaySourceTest {
    @TempDir
    Path dir;

    @Test
    void versionsAreOrderedAsFlywayOrdersThem() throws Exception {
        for (String v : List.of("2", "1_10", "1.1", "1", "1_2", "1.1.1", "10")) {
            Files.writeString(dir.resolve("V" + v + "__step_" + v.replace('.', '_') + ".sql"), "SELECT " + v.length() + ";\n");
        }
        FlywaySource src = (FlywaySource) SourceDetector.open(dir, SourceOptions.none());
        assertEquals(List.of("1", "1.1", "1.1.1", "1.2", "1.10", "2", "10"), src.versions());
        List<Migration> ms = src.migrations();
        assertEquals("V1_10__step_1_10", ms.get(4).id());
        assertEquals("step 1 10", ms.get(4).description());
        assertTrue(FlywayVersion.parse("1.0").get().compareTo(FlywayVersion.parse("1").get()) == 0);
        assertTrue(FlywayVersion.parse("1.9").get().compareTo(FlywayVersion.parse("1.10").get()) < 0);
        assertTrue(FlywayVersion.parse("1a").isEmpty());
    }

    @Test
    void checksumIsFlywaysCrc32OfTheLines() {
        // CRC-32 of the UTF-8 bytes "CREATE TABLE users (id bigint PRIMARY KEY);SELECT 1;" (lines without terminators)
        // is 2951726805 (zlib.crc32 in Python); Flyway stores it as a signed int: 2951726805 - 2^32
        String script = "CREATE TABLE users (id bigint PRIMARY KEY);\nSELECT 1;\n";
        assertEquals(-1343240491, FlywayChecksum.of(script));
        assertEquals(-1343240491, FlywayChecksum.of(script.replace("\n", "\r\n")), "line endings do not count");
        assertEquals(-1343240491, FlywayChecksum.of("\uFEFF" + script), "a BOM does not count");
        assertEquals(78787420, FlywayChecksum.of("SELECT 1;"));
        assertEquals(1425341637, FlywayChecksum.of("-- ünïcode\nSELECT 1;\n"), "UTF-8 bytes");
        assertEquals(0, FlywayChecksum.of(""));
    }

    @Test
    void aByteOrderMarkIsNotPartOfTheFirstStatement() throws Exception {
        String sql = "\uFEFFCREATE INDEX CONCURRENTLY projects_owner_idx ON projects (owner_id);\n";
        Files.writeString(dir.resolve("V1__index.sql"), sql);
        Migration m = FlywaySource.read(dir).migrations().get(0);
        assertFalse(m.changes().get(0) instanceof RawSql, "translated, not run raw: " + m.changes());
        assertEquals(String.valueOf(FlywayChecksum.of(sql)), m.checksum());
    }

    @Test
    void statementsAreTranslatedAndUndoFilesAreTheRollback() throws Exception {
        Files.writeString(dir.resolve("V1__init.sql"), "CREATE TABLE users (id bigint PRIMARY KEY, full_name text);\n");
        Files.writeString(dir.resolve("V2__rename.sql"), "-- rename\nALTER TABLE users RENAME COLUMN full_name TO display_name;\n");
        Files.writeString(dir.resolve("V3__seed.sql"), "INSERT INTO users VALUES (1, 'a');\n");
        Files.writeString(dir.resolve("U3__seed.sql"), "DELETE FROM users WHERE id = 1;\n");
        Files.writeString(dir.resolve("R__views.sql"), "CREATE OR REPLACE VIEW v AS SELECT 1;\n");
        Files.writeString(dir.resolve("notes.txt"), "not a migration");
        FlywaySource src = FlywaySource.read(dir);
        List<Migration> ms = src.migrations();
        assertEquals(List.of("V1__init", "V2__rename", "V3__seed"), ms.stream().map(Migration::id).toList());
        assertEquals(List.of("create_table"), kinds(ms.get(0)));
        assertEquals(List.of("rename_column"), kinds(ms.get(1)));
        assertEquals(2, ms.get(1).changes().get(0).position().line());
        RawSql seed = (RawSql) ms.get(2).changes().get(0);
        assertEquals(Optional.of("DELETE FROM users WHERE id = 1;"), seed.down());
        assertEquals(List.of(dir.resolve("R__views.sql")), src.repeatables());
        assertEquals(String.valueOf(FlywayChecksum.of(Files.readString(dir.resolve("V2__rename.sql")))), ms.get(1).checksum());
    }

    @Test
    void badFoldersAreRefusedNamingTheFile() throws Exception {
        Files.writeString(dir.resolve("V1__a.sql"), "SELECT 1;");
        Files.writeString(dir.resolve("V1.0__b.sql"), "SELECT 2;");
        TandemException dup = assertThrows(TandemException.class, () -> FlywaySource.read(dir));
        assertEquals(TandemException.BAD_INPUT, dup.exitCode());
        assertTrue(dup.getMessage().contains("V1") && dup.getMessage().contains("duplicate"), dup.getMessage());
        Files.delete(dir.resolve("V1.0__b.sql"));
        Files.writeString(dir.resolve("V2_missing_separator.sql"), "SELECT 2;");
        TandemException name = assertThrows(TandemException.class, () -> FlywaySource.read(dir));
        assertTrue(name.getMessage().contains("V2_missing_separator.sql") && name.getMessage().contains("two underscores"), name.getMessage());
        Files.delete(dir.resolve("V2_missing_separator.sql"));
        Files.writeString(dir.resolve("V3__block.sql"), "SELECT 1;\n\nCREATE INDEX ON big (a);\n");
        FlywaySource src = FlywaySource.read(dir);
        TandemException blocking = assertThrows(TandemException.class, src::migrations);
        assertTrue(blocking.getMessage().startsWith(dir.resolve("V3__block.sql") + ":3:"), blocking.getMessage());
        assertTrue(blocking.getMessage().contains("CONCURRENTLY"), blocking.getMessage());
        // a Tandem changelog folder (YAML) is not a Flyway folder
        Files.writeString(dir.resolve("0001_x.yaml"), "changes: []\n");
        assertFalse(FlywaySource.isFlywayFolder(dir));
    }

    @Test
    void checkAndPlanTakeTheFolder() throws Exception {
        Files.writeString(dir.resolve("V1__init.sql"), "CREATE TABLE users (id bigint PRIMARY KEY, full_name text);\n");
        Files.writeString(dir.resolve("V2__rename.sql"), "ALTER TABLE users RENAME COLUMN full_name TO display_name;\n");
        dev.tandem.testing.Cli.Result plan = dev.tandem.testing.Cli.run("plan", dir.toString());
        assertEquals(0, plan.code(), plan.describe());
        assertTrue(plan.out().contains("V2__rename") && plan.out().contains("display_name"), plan.out());
        dev.tandem.testing.Cli.Result check = dev.tandem.testing.Cli.run("check", dir.toString());
        assertEquals(0, check.code(), check.describe());
        Files.writeString(dir.resolve("V3__block.sql"), "VACUUM FULL users;\n");
        dev.tandem.testing.Cli.Result bad = dev.tandem.testing.Cli.run("check", dir.toString());
        assertEquals(4, bad.code(), bad.describe());
        assertTrue(bad.all().contains("V3__block.sql:1:"), bad.describe());
    }

    private static List<String> kinds(Migration m) {
        return m.changes().stream().map(Intent::kind).toList();
    }
}
