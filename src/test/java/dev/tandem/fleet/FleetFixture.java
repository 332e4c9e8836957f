package dev.tandem.fleet;

import dev.tandem.demo.EmbeddedServer;
import dev.tandem.sql.Ident;
import dev.tandem.testing.Cli;
import dev.tandem.testing.Db;
import dev.tandem.testing.TestDatabase;
import dev.tandem.util.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Databases for fleet tests on two PostgreSQL servers: the test JVM's ({@link TestDatabase}) and a
 * second embedded server started here on another free port (stopped when the JVM exits). Each
 * database or tenant schema gets a table {@code accounts(id, full_name)} with rows; the migration
 * {@link #ID} renames {@code full_name} to {@code display_name}.
 */
final class FleetFixture {
    static final String ID = "0001_rename_full_name";
    private static EmbeddedServer second;

    /** One target: its name, JDBC URL without credentials, and optional schema. */
    record Db1(String name, String url, Optional<String> schema, String user, String password) {
        Connection connect() throws SQLException {
            java.util.Properties p = new java.util.Properties();
            p.setProperty("user", user);
            if (password != null) {
                p.setProperty("password", password);
            }
            return DriverManager.getConnection(url, p);
        }

        String table() {
            return schema.map(s -> Ident.quote(s) + ".").orElse("") + "accounts";
        }

        String stateSchema() {
            return schema.map(s -> "tandem_" + s).orElse("tandem");
        }
    }

    private FleetFixture() {}

    static synchronized EmbeddedServer secondServer() {
        if (second == null) {
            second = EmbeddedServer.start();
            EmbeddedServer s = second;
            Runtime.getRuntime().addShutdownHook(new Thread(s::close, "fleet-second-server-shutdown"));
        }
        return second;
    }

    /** {@code onFirst} databases on the test server and {@code onSecond} on the second one, each with {@code rows} accounts. */
    static List<Db1> databases(String prefix, int onFirst, int onSecond, int rows) throws SQLException {
        List<Db1> out = new ArrayList<>();
        for (int i = 1; i <= onFirst; i++) {
            TestDatabase db = TestDatabase.create(prefix + "_a" + i);
            out.add(new Db1("a" + i, stripCredentials(db.jdbcUrl()), Optional.empty(), db.user(), db.password()));
        }
        EmbeddedServer s = secondServer();
        for (int i = 1; i <= onSecond; i++) {
            String name = (prefix + "_b" + i + "_" + System.nanoTime() % 100000).toLowerCase();
            s.createDatabase(name);
            out.add(new Db1("b" + i, stripCredentials(s.jdbcUrl(name)), Optional.empty(), s.user(), null));
        }
        for (Db1 d : out) {
            seed(d, rows);
        }
        return out;
    }

    /** {@code n} tenant schemas t1..tn on one new database of the second server, each with {@code rows} accounts. */
    static List<Db1> tenants(String prefix, int n, int rows) throws SQLException {
        EmbeddedServer s = secondServer();
        String name = (prefix + "_" + System.nanoTime() % 100000).toLowerCase();
        s.createDatabase(name);
        List<Db1> out = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            Db1 d = new Db1("t" + i, stripCredentials(s.jdbcUrl(name)), Optional.of("t" + i), s.user(), null);
            try (Connection c = d.connect()) {
                Db.exec(c, "CREATE SCHEMA " + Ident.quote("t" + i));
            }
            seed(d, rows);
            out.add(d);
        }
        return out;
    }

    static void seed(Db1 d, int rows) throws SQLException {
        try (Connection c = d.connect()) {
            Db.exec(c, "CREATE TABLE " + d.table() + " (id bigint PRIMARY KEY, full_name text NOT NULL)");
            Db.exec(c, "INSERT INTO " + d.table() + " SELECT g, 'name ' || g FROM generate_series(1, " + rows + ") g");
        }
    }

    private static String stripCredentials(String url) {
        return url.replaceAll("([?&])(user|password)=[^&]*&?", "$1").replaceAll("[?&]$", "");
    }

    /** Writes a fleet file with the targets and waves (lists of target names; empty: no waves key). */
    static Path fleetFile(Path dir, List<Db1> targets, List<List<String>> waves) throws Exception {
        StringBuilder y = new StringBuilder("targets:\n");
        for (Db1 d : targets) {
            y.append("  - {name: ").append(d.name()).append(", url: \"").append(d.url()).append('"');
            d.schema().ifPresent(s -> y.append(", schema: ").append(s));
            y.append("}\n");
        }
        if (!waves.isEmpty()) {
            y.append("waves:\n");
            for (List<String> w : waves) {
                y.append("  - [").append(String.join(", ", w)).append("]\n");
            }
        }
        Path f = dir.resolve("fleet.yaml");
        Files.writeString(f, y.toString(), StandardCharsets.UTF_8);
        return f;
    }

    static Path changelog(Path dir) throws Exception {
        Path cl = Files.createDirectories(dir.resolve("changelogs"));
        Files.writeString(cl.resolve(ID + ".yaml"), "description: rename accounts.full_name\nchanges:\n  - rename_column:\n"
                + "      table: accounts\n      column: full_name\n      to: display_name\n", StandardCharsets.UTF_8);
        return cl;
    }

    /** Runs {@code tandem fleet <args> --fleet FILE} in-process with the user (both servers use the same one). */
    static Cli.Result fleet(Path fleetFile, Db1 any, String... args) {
        List<String> a = new ArrayList<>(List.of("fleet"));
        a.addAll(List.of(args));
        a.addAll(List.of("--fleet", fleetFile.toString(), "--user", any.user()));
        Map<String, String> env = new LinkedHashMap<>();
        if (any.password() != null) {
            env.put("PGPASSWORD", any.password());
        }
        return Cli.run(env, a.toArray(String[]::new));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> json(Cli.Result r) {
        return (Map<String, Object>) Json.parse(r.out());
    }

    /** name → target object of a fleet JSON document. */
    @SuppressWarnings("unchecked")
    static Map<String, Map<String, Object>> byTarget(Map<String, Object> doc) {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        for (Object o : (List<Object>) doc.get("targets")) {
            Map<String, Object> t = (Map<String, Object>) o;
            out.put((String) t.get("name"), t);
        }
        return out;
    }

    /** The phase and status of {@link #ID} on a target from its own state schema ("none" when not started). */
    static String phaseOf(Db1 d) throws SQLException {
        try (Connection c = d.connect()) {
            // a run killed while it created the state schema may leave the schema without its tables
            if (Db.scalar(c, "SELECT to_regclass(" + Ident.literal(Ident.quote(d.stateSchema()) + ".migrations") + ")") == null) {
                return "none";
            }
            Object p = Db.scalar(c, "SELECT coalesce(phase, '-') || '/' || status FROM " + Ident.quote(d.stateSchema())
                    + ".migrations WHERE id = " + Ident.literal(ID));
            return p == null ? "none" : p.toString();
        }
    }

    /** Rows where the new column does not equal the old one, or -1 when the new column is not there. */
    static long mismatches(Db1 d) throws SQLException {
        try (Connection c = d.connect()) {
            if (!Db.columnExists(c, d.schema().orElse("public"), "accounts", "display_name")) {
                return -1;
            }
            return Db.count(c, "SELECT count(*) FROM " + d.table() + " WHERE display_name IS DISTINCT FROM full_name");
        }
    }

    static long rows(Db1 d) throws SQLException {
        try (Connection c = d.connect()) {
            return Db.count(c, "SELECT count(*) FROM " + d.table());
        }
    }
}
