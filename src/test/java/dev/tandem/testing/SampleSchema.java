package dev.tandem.testing;

import dev.tandem.sql.Ident;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Pattern;

/**
 * Loads the sample schema ({@code samples/schema.sql}) and its data ({@code samples/seed.sql})
 * from the repository, for tests. Both files create and fill objects in the current schema, so
 * {@link #loadInto} can put an independent copy in a schema of its own.
 * <p>The repository root is found from the working directory upwards (the first directory with
 * {@code samples/schema.sql}), or given with {@code -Dtandem.repo.root=…}.
 */
public final class SampleSchema {
    /** Users created by {@link #seed(Connection)}. */
    public static final int DEFAULT_USERS = 2000;

    private static final Pattern SCALE = Pattern.compile("(?<![:\\w]):scale\\b");

    private SampleSchema() {}

    /** Runs {@code samples/schema.sql} in one transaction, in the current schema. */
    public static void load(Connection c) throws SQLException {
        runScript(c, schemaSql());
    }

    /** Runs {@code samples/seed.sql} with {@value #DEFAULT_USERS} users. */
    public static void seed(Connection c) throws SQLException {
        seed(c, DEFAULT_USERS);
    }

    /**
     * Runs {@code samples/seed.sql} in one transaction with {@code :scale} replaced by the number of
     * users (about 5 × users tasks, 2 × users comments, …; see the file's header).
     */
    public static void seed(Connection c, int users) throws SQLException {
        runScript(c, seedSql(users));
    }

    /**
     * Creates the schema, then loads the sample schema and, when {@code users > 0}, the seed into
     * it; the session's search_path is restored afterwards.
     */
    public static void loadInto(Connection c, String schema, int users) throws SQLException {
        String saved;
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT current_setting('search_path')")) {
            rs.next();
            saved = rs.getString(1);
        }
        try (Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + Ident.quote(schema));
            s.execute("SET search_path = " + Ident.quote(schema));
        }
        try {
            load(c);
            if (users > 0) {
                seed(c, users);
            }
        } finally {
            try (PreparedStatement ps = c.prepareStatement("SELECT set_config('search_path', ?, false)")) {
                ps.setString(1, saved);
                ps.executeQuery().close();
            }
        }
    }

    /** The text of {@code samples/schema.sql}. */
    public static String schemaSql() {
        return read("samples/schema.sql");
    }

    /** The text of {@code samples/seed.sql} with {@code :scale} replaced. */
    public static String seedSql(int users) {
        if (users < 1) {
            throw new IllegalArgumentException("users must be at least 1, was " + users);
        }
        return SCALE.matcher(read("samples/seed.sql")).replaceAll(Integer.toString(users));
    }

    /** The repository root (the directory that holds {@code samples/}). */
    public static Path repoRoot() {
        String configured = System.getProperty("tandem.repo.root");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath();
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("samples/schema.sql"))) {
                return p;
            }
        }
        throw new IllegalStateException("samples/schema.sql not found from " + Path.of("").toAbsolutePath()
                + " upwards; set -Dtandem.repo.root");
    }

    private static String read(String relative) {
        try {
            return Files.readString(repoRoot().resolve(relative), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void runScript(Connection c, String sql) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            s.execute(sql);
            c.commit();
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
    }
}
