package dev.tandem.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.db.PgPass;
import dev.tandem.testing.Cli;
import dev.tandem.testing.TestDatabase;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The config file, TANDEM_* and libpq variables and ~/.pgpass: precedence flag &gt; environment &gt; file &gt; default. */
class CliConfigTest {
    @TempDir
    Path tmp;

    @Test
    void precedenceIsFlagThenEnvironmentThenFileThenDefault() throws Exception {
        TestDatabase db = TestDatabase.create("CliConfigTest_prec");
        try (var c = db.connect(); var s = c.createStatement()) {
            s.execute("CREATE SCHEMA from_file; CREATE TABLE from_file.a (id int); CREATE SCHEMA from_env; CREATE TABLE from_env.b (id int)");
        }
        Path config = tmp.resolve("tandem.yaml");
        Files.writeString(config, "url: " + db.jdbcUrl() + "\nuser: " + db.user() + "\nschema: from_file\nlock_timeout: 1500\n"
                + "backfill:\n  batch-size: 300\n");
        Map<String, String> env = new HashMap<>();
        assertTrue(snapshot(env, config, "--schema", "public").err().contains("schema(s) public"));
        env.put("TANDEM_SCHEMA", "from_env");
        assertTrue(snapshot(env, config, "--schema", "public").err().contains("schema(s) public"), "the flag wins");
        Cli.Result fromEnv = snapshot(env, config);
        assertTrue(fromEnv.err().contains("schema(s) from_env") && fromEnv.out().contains("\"b\""), fromEnv.describe());
        env.remove("TANDEM_SCHEMA");
        Cli.Result fromFile = snapshot(env, config);
        assertTrue(fromFile.err().contains("schema(s) from_file") && fromFile.out().contains("\"a\""), fromFile.describe());
        Files.writeString(config, "url: " + db.jdbcUrl() + "\nuser: " + db.user() + "\n");
        assertTrue(snapshot(env, config).err().contains("schema(s) public"), "the default");
    }

    private static Cli.Result snapshot(Map<String, String> env, Path config, String... more) {
        String[] args = new String[3 + more.length];
        args[0] = "snapshot";
        args[1] = "--config";
        args[2] = config.toString();
        System.arraycopy(more, 0, args, 3, more.length);
        Cli.Result r = Cli.run(Map.copyOf(env), args);
        assertEquals(0, r.code(), r.describe());
        return r;
    }

    @Test
    void libpqVariablesNameTheDatabaseAndPasswordsNeverShow() throws Exception {
        TestDatabase db = TestDatabase.create("CliConfigTest_pg");
        URI u = URI.create(db.jdbcUrl().substring("jdbc:".length()));
        Map<String, String> env = new HashMap<>(Map.of("PGHOST", u.getHost(), "PGPORT", String.valueOf(u.getPort()),
                "PGDATABASE", u.getPath().substring(1), "PGUSER", db.user(), "PGSSLMODE", "disable"));
        if (db.password() != null) {
            env.put("PGPASSWORD", db.password());
        }
        Cli.Result r = Cli.run(env, "status", tmp.resolve("none").toString(), "--format", "json");
        assertEquals(0, r.code(), r.describe());

        env.put("PGPORT", "1");
        env.put("PGPASSWORD", "pgpassword-secret");
        Cli.Result refused = Cli.run(env, "status", tmp.resolve("none").toString(), "--format", "json");
        assertEquals(1, refused.code(), refused.describe());
        assertTrue(refused.err().contains("127.0.0.1:1") || refused.err().contains("localhost:1"), refused.describe());
        assertFalse(refused.all().contains("pgpassword-secret"), refused.describe());

        Path config = tmp.resolve("secret.yaml");
        Files.writeString(config, "url: postgresql://someone:file-secret@127.0.0.1:1/x\n");
        Cli.Result fromFile = Cli.run(Map.of(), "status", tmp.resolve("none").toString(), "--config", config.toString());
        assertEquals(1, fromFile.code(), fromFile.describe());
        assertFalse(fromFile.all().contains("file-secret"), fromFile.describe());
    }

    @Test
    void aBadConfigFileIsRefusedWithItsPosition() throws Exception {
        Path config = tmp.resolve("tandem.yaml");
        Files.writeString(config, "url: jdbc:postgresql://localhost/x\nschemas: a\n");
        Cli.Result r = Cli.run("status", "--config", config.toString(), "--format", "json");
        assertEquals(2, r.code(), r.describe());
        assertTrue(r.err().contains(config + ":2:1: unknown key \"schemas\""), r.describe());
        Files.writeString(config, "backfill:\n  batch-size: many\n");
        Cli.Result nan = Cli.run("apply", Files.createDirectories(tmp.resolve("changelogs")).toString(), "--config", config.toString(), "--url", "jdbc:postgresql://127.0.0.1:1/x");
        assertEquals(2, nan.code(), nan.describe());
        assertTrue(nan.err().contains("backfill.batch-size"), nan.describe());
        Cli.Result missing = Cli.run("status", "--config", tmp.resolve("nope.yaml").toString());
        assertEquals(2, missing.code(), missing.describe());
    }

    @Test
    void pgpassLinesMatchWithWildcardsAndEscapes() throws Exception {
        Path pgpass = tmp.resolve("pgpass");
        Files.writeString(pgpass, "# comment\nother:5432:*:*:no\ndb.example:*:app:alice:pa\\:ss\\\\1\n*:*:*:*:fallback\n");
        assertEquals(Optional.of("pa:ss\\1"), PgPass.lookup(pgpass, "db.example", "6432", "app", "alice"));
        assertEquals(Optional.of("fallback"), PgPass.lookup(pgpass, "db.example", "6432", "app", "bob"));
        assertEquals(Optional.empty(), PgPass.lookup(tmp.resolve("absent"), "h", "1", "d", "u"));
    }
}
