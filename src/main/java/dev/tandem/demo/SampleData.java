package dev.tandem.demo;

import dev.tandem.TandemException;
import dev.tandem.sql.Ident;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The sample project-management schema and its deterministic seed data, read from the classpath
 * ({@code samples/schema.sql}, {@code samples/seed.sql}, packaged from the repository's
 * {@code samples/} folder), so the demo runs from the jar alone.
 */
public final class SampleData {
    private SampleData() {}

    public static String resource(String path) {
        try (InputStream in = SampleData.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new TandemException(TandemException.RUNTIME, "resource " + path + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw TandemException.runtime("cannot read " + path, e);
        }
    }

    /** Creates {@code schema} and loads the sample schema and {@code users} users' worth of data into it (5 tasks per user). */
    public static void load(Connection c, String schema, int users) throws SQLException {
        load(c, schema, users, 5);
    }

    /**
     * Creates {@code schema} and loads the sample schema and {@code users} users' worth of data into
     * it, with {@code tasksPerUser} tasks per user (set-based inserts; one transaction).
     */
    public static void load(Connection c, String schema, int users, int tasksPerUser) throws SQLException {
        if (tasksPerUser < 1) {
            throw new IllegalArgumentException("tasksPerUser must be at least 1");
        }
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA IF NOT EXISTS " + Ident.quote(schema));
            s.execute("SET LOCAL search_path = " + Ident.quote(schema) + ", public");
            s.execute("SET LOCAL tandem_seed.tasks_per_user = " + tasksPerUser);
            s.execute(resource("samples/schema.sql"));
            if (users > 0) {
                s.execute(resource("samples/seed.sql").replaceAll("(?<![:\\w]):scale\\b", Integer.toString(users)));
            }
            c.commit();
        } catch (SQLException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
    }
}
