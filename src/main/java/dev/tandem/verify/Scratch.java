package dev.tandem.verify;

import dev.tandem.TandemException;
import dev.tandem.db.ConnectionConfig;
import dev.tandem.demo.EmbeddedServer;
import dev.tandem.sql.Ident;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The database verify works in: a fresh database on an embedded PostgreSQL (stopped and deleted on
 * {@link #close()}), or a scratch database given by URL. A scratch database that holds a table
 * (or view, sequence, …) outside Tandem's state schema is refused with exit 2, naming it, unless
 * {@code allowExisting}; when it was empty, {@link #close()} drops again what verify created there
 * (new schemas, and new relations, types and functions in the schemas that existed), so it can be
 * used again. With {@code allowExisting} nothing is dropped.
 */
final class Scratch implements AutoCloseable {
    private static final String DATABASE = "tandem_verify";
    private static final String USER_SCHEMAS = "n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'";

    private final Optional<EmbeddedServer> server;
    private final Supplier<Connection> opener;
    private final Connection connection;
    private final String description;
    private final Snapshot initial;

    private record Snapshot(Set<String> schemas, Set<Long> relations, Set<Long> types, Set<Long> functions) {}

    private Scratch(Optional<EmbeddedServer> server, Supplier<Connection> opener, String description, Snapshot initial,
                    Connection connection) {
        this.server = server;
        this.opener = opener;
        this.description = description;
        this.initial = initial;
        this.connection = connection;
    }

    /** Starts an embedded server with an empty database. */
    static Scratch embedded() {
        EmbeddedServer s = EmbeddedServer.start();
        try {
            s.createDatabase(DATABASE);
            return new Scratch(Optional.of(s), () -> s.connect(DATABASE), "embedded PostgreSQL " + s, null, s.connect(DATABASE));
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /** Opens the scratch database; refuses (exit 2) one with foreign tables unless {@code allowExisting}. */
    static Scratch of(ConnectionConfig config, boolean allowExisting, String stateSchema) {
        Connection c = config.open();
        try {
            if (!allowExisting) {
                Optional<String> foreign = firstForeignRelation(c, stateSchema);
                if (foreign.isPresent()) {
                    throw TandemException.badInput("the scratch database " + config.display() + " holds " + foreign.get()
                            + ", which Tandem did not create; verify needs an empty scratch database (it creates, changes and"
                            + " drops objects there). Pass --allow-existing to use it anyway.");
                }
            }
            return new Scratch(Optional.empty(), config::open, config.display(), allowExisting ? null : snapshot(c), c);
        } catch (SQLException e) {
            close(c);
            throw TandemException.runtime("cannot inspect the scratch database: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            close(c);
            throw e;
        }
    }

    Connection connection() {
        return connection;
    }

    /** Opens another connection to the same database (closed by the caller). */
    Supplier<Connection> opener() {
        return opener;
    }

    String description() {
        return description;
    }

    private static Optional<String> firstForeignRelation(Connection c, String stateSchema) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT CASE c.relkind WHEN 'v' THEN 'view ' WHEN 'm' THEN 'materialized view '"
                + " WHEN 'S' THEN 'sequence ' WHEN 'f' THEN 'foreign table ' ELSE 'table ' END || n.nspname || '.' || c.relname"
                + " FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE " + USER_SCHEMAS + " AND n.nspname <> ? AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')"
                + " ORDER BY n.nspname, c.relname LIMIT 1")) {
            ps.setString(1, stateSchema);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    private static Snapshot snapshot(Connection c) throws SQLException {
        return new Snapshot(new HashSet<>(strings(c, "SELECT n.nspname FROM pg_catalog.pg_namespace n WHERE " + USER_SCHEMAS)),
                new HashSet<>(longs(c, "SELECT c.oid::bigint FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE " + USER_SCHEMAS)),
                new HashSet<>(longs(c, "SELECT t.oid::bigint FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace WHERE " + USER_SCHEMAS)),
                new HashSet<>(longs(c, "SELECT p.oid::bigint FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace WHERE " + USER_SCHEMAS)));
    }

    /** Drops what verify created in a scratch database given by URL (see the class comment). */
    private void cleanUp(Consumer<String> log) {
        try (Statement s = connection.createStatement()) {
            connection.setAutoCommit(true);
            for (String schema : strings(connection, "SELECT n.nspname FROM pg_catalog.pg_namespace n WHERE " + USER_SCHEMAS)) {
                if (!initial.schemas().contains(schema)) {
                    s.execute("DROP SCHEMA IF EXISTS " + Ident.quote(schema) + " CASCADE");
                }
            }
            dropNew(s, "SELECT c.oid::bigint, CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'S' THEN 'SEQUENCE'"
                    + " WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END || ' IF EXISTS ' || c.oid::regclass::text"
                    + " FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                    + " WHERE " + USER_SCHEMAS + " AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')"
                    + " ORDER BY c.relkind = 'S'", initial.relations()); // sequences last: identity ones go with their table
            dropNew(s, "SELECT t.oid::bigint, 'TYPE IF EXISTS ' || t.oid::regtype::text FROM pg_catalog.pg_type t"
                    + " JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace WHERE " + USER_SCHEMAS
                    + " AND (t.typtype IN ('e', 'd', 'r', 'm') OR (t.typtype = 'c' AND EXISTS (SELECT FROM pg_catalog.pg_class c"
                    + " WHERE c.oid = t.typrelid AND c.relkind = 'c')))", initial.types());
            dropNew(s, "SELECT p.oid::bigint, CASE p.prokind WHEN 'p' THEN 'PROCEDURE' WHEN 'a' THEN 'AGGREGATE' ELSE 'FUNCTION' END"
                    + " || ' IF EXISTS ' || p.oid::regprocedure::text FROM pg_catalog.pg_proc p"
                    + " JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace WHERE " + USER_SCHEMAS
                    + " AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_proc'::regclass"
                    + " AND d.objid = p.oid AND d.deptype = 'e')", initial.functions());
        } catch (SQLException e) {
            log.accept("verify: could not clean the scratch database up: " + e.getMessage().strip());
        }
    }

    private static void dropNew(Statement s, String query, Set<Long> keep) throws SQLException {
        List<String> drops = new ArrayList<>();
        try (ResultSet rs = s.executeQuery(query)) {
            while (rs.next()) {
                if (!keep.contains(rs.getLong(1))) {
                    drops.add("DROP " + rs.getString(2) + " CASCADE");
                }
            }
        }
        SQLException first = null;
        for (String d : drops) {
            try {
                s.execute(d);
            } catch (SQLException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private static List<String> strings(Connection c, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private static List<Long> longs(Connection c, String sql) throws SQLException {
        List<Long> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getLong(1));
            }
        }
        return out;
    }

    /** Cleans up (URL, was empty), closes the connection and stops an embedded server. */
    void close(Consumer<String> log) {
        if (initial != null) {
            cleanUp(log);
        }
        close(connection);
        server.ifPresent(EmbeddedServer::close);
    }

    @Override
    public void close() {
        close(line -> { });
    }

    private static void close(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // nothing to add
        }
    }
}
