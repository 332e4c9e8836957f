package dev.tandem.lifecycle;

import dev.tandem.TandemException;
import dev.tandem.backfill.Backfiller;
import dev.tandem.catalog.CatalogReader;
import dev.tandem.catalog.CatalogSnapshot;
import dev.tandem.execute.AdvisoryLock;
import dev.tandem.execute.PhaseExecutor;
import dev.tandem.execute.StatementRunner;
import dev.tandem.intent.Intent;
import dev.tandem.intent.Migration;
import dev.tandem.plan.MigrationPlan;
import dev.tandem.plan.PlanCodec;
import dev.tandem.plan.Planner;
import dev.tandem.state.MigrationRecord;
import dev.tandem.state.StateSchema;
import dev.tandem.state.StateStore;
import java.net.InetAddress;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * One open session of Tandem against a database: the connection, the advisory lock (for commands
 * that change anything), the state schema brought up to date, and the planner and executor wired
 * with the settings. Commands borrow it; closing it releases the lock and the connection.
 */
public final class Workspace implements AutoCloseable {
    private final Settings settings;
    private final Connection connection;
    private final StateStore store;
    private final Planner planner;
    private final PhaseExecutor executor;
    private final boolean locked;

    private Workspace(Settings settings, Connection connection, boolean locked) throws SQLException {
        this.settings = settings;
        this.connection = connection;
        this.locked = locked;
        this.store = new StateStore(settings.plan().stateSchema(), who(connection));
        this.planner = new Planner(settings.plan());
        this.executor = new PhaseExecutor(store, new StatementRunner(settings.locks(), settings.log()),
                new Backfiller(store, settings.backfill(), settings.log(), settings.connection()::open), settings.log());
    }

    /** Opens a workspace that may change the database: takes the advisory lock and migrates the state schema. */
    public static Workspace forWriting(Settings settings) {
        Connection c = settings.connection().open();
        try {
            AdvisoryLock.acquire(c, settings.plan().stateSchema());
            StateSchema.migrate(c, settings.plan().stateSchema());
            return new Workspace(settings, c, true);
        } catch (SQLException e) {
            closeQuietly(c);
            throw TandemException.runtime("cannot prepare the database: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(c);
            throw e;
        }
    }

    /** Opens a read-only workspace: no lock, no schema change. */
    public static Workspace forReading(Settings settings) {
        Connection c = settings.connection().open();
        try {
            return new Workspace(settings, c, false);
        } catch (SQLException e) {
            closeQuietly(c);
            throw TandemException.runtime("cannot read the database: " + e.getMessage(), e);
        }
    }

    public Connection connection() {
        return connection;
    }

    public StateStore store() {
        return store;
    }

    public Planner planner() {
        return planner;
    }

    public PhaseExecutor executor() {
        return executor;
    }

    public Settings settings() {
        return settings;
    }

    public void log(String line) {
        settings.log().accept(line);
    }

    /** Records by id; empty when the state schema does not exist yet. */
    public Map<String, MigrationRecord> records() throws SQLException {
        Map<String, MigrationRecord> out = new LinkedHashMap<>();
        if (store.exists(connection)) {
            for (MigrationRecord r : store.all(connection)) {
                out.put(r.id(), r);
            }
        }
        return out;
    }

    public MigrationRecord record(String id) throws SQLException {
        return records().values().stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow(() ->
                TandemException.badInput("unknown migration " + id + ": Tandem has not started it (see `tandem status`)"));
    }

    /**
     * The plan stored when the migration's expand started, read with {@link PlanCodec} (which
     * upgrades older format versions).
     *
     * @throws TandemException BAD_INPUT when the plan was stored by a newer Tandem (a format version
     *         this one does not know), RUNTIME when the stored plan is missing or unreadable
     */
    public MigrationPlan storedPlan(MigrationRecord r) {
        String json = r.planJson().orElseThrow(() ->
                new TandemException(TandemException.RUNTIME, "migration " + r.id() + " has no stored plan"));
        try {
            return PlanCodec.fromJson(json);
        } catch (PlanCodec.UnsupportedPlanFormatException e) {
            throw TandemException.badInput("migration " + r.id() + " was started by a newer Tandem: its stored plan has format version "
                    + e.version() + ", and this Tandem reads versions up to " + PlanCodec.FORMAT_VERSION
                    + "; continue or roll it back with that Tandem release or a later one (nothing was changed)");
        } catch (IllegalArgumentException e) {
            throw new TandemException(TandemException.RUNTIME, "the stored plan of migration " + r.id() + " is unreadable ("
                    + e.getMessage() + "); nothing was changed");
        }
    }

    /**
     * The live catalog of the default schema and every schema the migrations name, with the
     * connected role's {@link dev.tandem.catalog.RoleCapabilities}. Waits at most the longest
     * lock_timeout for a table locked by another session (exit 3 then).
     */
    public CatalogSnapshot catalog(Collection<Migration> migrations) throws SQLException {
        TreeSet<String> schemas = new TreeSet<>();
        schemas.add(settings.plan().defaultSchema());
        for (Migration m : migrations) {
            for (Intent i : m.changes()) {
                i.tables().forEach(t -> t.schema().ifPresent(schemas::add));
            }
        }
        return CatalogReader.read(connection, schemas, settings.locks().maxTimeoutMs()).withRole(dev.tandem.catalog.RoleCapabilitiesReader.read(connection));
    }

    private static String who(Connection c) throws SQLException {
        String role;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT current_user")) {
            rs.next();
            role = rs.getString(1);
        }
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "unknown-host";
        }
        return System.getProperty("user.name", "unknown") + "@" + host + " as " + role;
    }

    @Override
    public void close() {
        try {
            if (locked) {
                if (!connection.getAutoCommit()) {
                    connection.rollback();
                    connection.setAutoCommit(true);
                }
                AdvisoryLock.release(connection, settings.plan().stateSchema());
            }
        } catch (SQLException ignored) {
            // the session ends below; the lock goes with it
        }
        closeQuietly(connection);
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // nothing to add
        }
    }
}
