package dev.tandem.demo;

import dev.tandem.backfill.BackfillOptions;
import dev.tandem.catalog.Fingerprint;
import dev.tandem.db.ConnectionConfig;
import dev.tandem.execute.LockPolicy;
import dev.tandem.intent.ChangelogReader;
import dev.tandem.intent.Migration;
import dev.tandem.lifecycle.AdvanceCommand;
import dev.tandem.lifecycle.ApplyCommand;
import dev.tandem.lifecycle.RollbackCommand;
import dev.tandem.lifecycle.Settings;
import dev.tandem.lifecycle.Workspace;
import dev.tandem.plan.Phase;
import dev.tandem.plan.PlanOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code tandem demo}: loads the sample schema into a database, carries
 * {@code 0001_rename_full_name} (users.full_name → display_name) through all five phases while
 * showing that an old-version and a new-version write both work after each phase, then rolls
 * everything back and compares the schema and data fingerprints with the start.
 * <p>This is the simple, single-client demo; it does not simulate live traffic.
 */
public final class Demo {
    private static final String MIGRATION = "0001_rename_full_name";

    private final PrintWriter out;
    private final int users;

    public Demo(PrintWriter out, int users) {
        this.out = out;
        this.users = users;
    }

    /** Runs against the embedded server (url empty) or the given database, in a schema of its own. */
    public boolean run(Optional<ConnectionConfig> url, String schema) throws SQLException, IOException {
        if (url.isPresent()) {
            return runOn(url.get(), schema);
        }
        out.println("Starting an embedded PostgreSQL (no setup needed) …");
        out.flush();
        try (EmbeddedServer server = EmbeddedServer.start()) {
            server.createDatabase("tandem_demo");
            ConnectionConfig config = ConnectionConfig.of(server.jdbcUrl("tandem_demo"), server.user(), null, Map.of());
            return runOn(config, schema);
        }
    }

    private boolean runOn(ConnectionConfig config, String schema) throws SQLException, IOException {
        Settings settings = new Settings(config, new PlanOptions(schema, "tandem"), LockPolicy.defaults(),
                BackfillOptions.defaults(), line -> {
                    out.println(line);
                    out.flush();
                });
        try (Connection c = config.open()) {
            if (tableExists(c, schema, "users")) {
                throw dev.tandem.TandemException.badInput("schema " + schema + " in " + config.display()
                        + " already has a users table; the demo loads the sample schema into a schema of its own: pass another --schema");
            }
            out.println("Loading the sample project-management schema into schema " + schema + " …");
            long t0 = System.nanoTime();
            SampleData.load(c, schema, users);
            out.printf("  %s users, %s tasks, %s projects in %d ms%n", count(c, schema, "users"), count(c, schema, "tasks"),
                    count(c, schema, "projects"), (System.nanoTime() - t0) / 1_000_000);
            Fingerprint before = Fingerprint.of(c, List.of(schema), true);

            List<Migration> migrations = List.of(ChangelogReader.readFile(changelogFile()));
            out.println();
            out.println("Migration " + MIGRATION + ": users.full_name -> display_name, without breaking the running application.");
            try (Workspace ws = Workspace.forWriting(settings)) {
                for (Phase p : List.of(Phase.EXPAND, Phase.DUAL_WRITE, Phase.BACKFILL)) {
                    new ApplyCommand(ws).run(migrations, p);
                    writes(c, schema, p);
                }
                out.println("  (here the team rolls out the version that reads and writes display_name)");
                new AdvanceCommand(ws).run(MIGRATION, Phase.SWITCH_READS);
                writes(c, schema, Phase.SWITCH_READS);
                out.println("  (here the last instance of the old version is gone)");
                new AdvanceCommand(ws).run(MIGRATION, Phase.CONTRACT);
                writes(c, schema, Phase.CONTRACT);
                out.println("  columns of users now: " + String.join(", ", columns(c, schema)));
                out.println();
                out.println("Rolling everything back (works until `tandem purge`) …");
                new RollbackCommand(ws).run(MIGRATION, Optional.empty(), true);
            }
            deleteDemoRows(c, schema);
            Fingerprint after = Fingerprint.of(c, List.of(schema), true);
            List<String> diff = before.diff(after);
            out.println();
            out.println("  columns of users now: " + String.join(", ", columns(c, schema)));
            if (diff.isEmpty()) {
                out.println("Schema and data are exactly as before: " + before.lines().size() + " catalog facts and every row compared.");
                return true;
            }
            out.println("Schema differs from before:");
            diff.forEach(d -> out.println("  " + d));
            return false;
        } finally {
            out.flush();
        }
    }

    /** One old-version and one new-version write after a phase, and what each side reads back. */
    private void writes(Connection c, String schema, Phase phase) throws SQLException {
        String users = dev.tandem.sql.Ident.quote(schema) + ".users";
        boolean hasNew = columns(c, schema).contains("display_name");
        boolean hasOld = columns(c, schema).contains("full_name");
        String n = phase.wireName();
        if (hasOld) {
            exec(c, "INSERT INTO " + users + " (email, full_name, password_hash) VALUES (?, ?, 'x')", "old-" + n + "@demo.test", "Old App " + n);
        }
        if (hasNew && phase.ordinal() >= Phase.DUAL_WRITE.ordinal()) {
            exec(c, "INSERT INTO " + users + " (email, display_name, password_hash) VALUES (?, ?, 'x')", "new-" + n + "@demo.test", "New App " + n);
        }
        StringBuilder sb = new StringBuilder("  after " + n + ": ");
        if (hasOld) {
            sb.append("old-version insert ok");
        }
        if (hasNew && phase.ordinal() >= Phase.DUAL_WRITE.ordinal()) {
            sb.append(hasOld ? ", " : "").append("new-version insert ok");
        }
        if (hasOld && hasNew) {
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*) FILTER (WHERE display_name IS DISTINCT FROM full_name), count(*) FROM " + users)) {
                rs.next();
                sb.append("; rows where the two columns differ: ").append(rs.getLong(1)).append(" of ").append(rs.getLong(2));
            }
        }
        out.println(sb);
    }

    private static void deleteDemoRows(Connection c, String schema) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("DELETE FROM " + dev.tandem.sql.Ident.quote(schema) + ".users WHERE email LIKE '%@demo.test'");
        }
    }

    private static void exec(Connection c, String sql, String a, String b) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, a);
            ps.setString(2, b);
            ps.executeUpdate();
        }
    }

    private static List<String> columns(Connection c, String schema) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT attname FROM pg_attribute WHERE attrelid = to_regclass(?)"
                + " AND attnum > 0 AND NOT attisdropped ORDER BY attnum")) {
            ps.setString(1, dev.tandem.sql.Ident.quote(schema) + ".users");
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    private static long count(Connection c, String schema, String table) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM " + dev.tandem.sql.Ident.quote(schema) + "." + dev.tandem.sql.Ident.quote(table))) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static boolean tableExists(Connection c, String schema, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            ps.setString(1, dev.tandem.sql.Ident.quote(schema) + "." + dev.tandem.sql.Ident.quote(table));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private static Path changelogFile() throws IOException {
        Path dir = Files.createTempDirectory("tandem-demo");
        Path file = dir.resolve(MIGRATION + ".yaml");
        Files.writeString(file, SampleData.resource("changelogs/" + MIGRATION + ".yaml"));
        file.toFile().deleteOnExit();
        dir.toFile().deleteOnExit();
        return file;
    }
}
