package dev.tandem.state;

import dev.tandem.TandemException;
import dev.tandem.sql.Ident;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.Liquibase;
import liquibase.Scope;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.ClassLoaderResourceAccessor;
import liquibase.ui.LoggerUIService;

/**
 * Creates or upgrades Tandem's own schema (default {@code tandem}) with Liquibase, from the
 * changelog in {@code dev/tandem/state/changelog.yaml}. Liquibase's analytics call is turned off,
 * its console output goes to the logger (never stdout), and its logging is kept at WARNING.
 * <p>It does not touch any schema other than the state schema.
 */
public final class StateSchema {
    private static final Logger LIQUIBASE_LOG = Logger.getLogger("liquibase");

    static {
        System.setProperty("liquibase.analytics.enabled", "false");
        System.setProperty("liquibase.showBanner", "false");
        LIQUIBASE_LOG.setLevel(Level.WARNING);
    }

    private StateSchema() {}

    /** Brings the state schema to the current version. Safe to call concurrently (Liquibase locks). */
    public static void migrate(Connection c, String schema) {
        try {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(true);
            String searchPath;
            try (Statement s = c.createStatement()) {
                s.execute("CREATE SCHEMA IF NOT EXISTS " + Ident.quote(schema));
                try (var rs = s.executeQuery("SELECT current_setting('search_path')")) {
                    rs.next();
                    searchPath = rs.getString(1);
                }
            }
            Map<String, Object> scope = Map.of(
                    Scope.Attr.ui.name(), new LoggerUIService(),
                    "liquibase.analytics.enabled", false);
            Scope.child(scope, () -> {
                Database db = DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(c));
                db.setDefaultSchemaName(schema);
                db.setLiquibaseSchemaName(schema);
                try (Liquibase lb = new Liquibase("dev/tandem/state/changelog.yaml", new ClassLoaderResourceAccessor(), db) {
                    @Override
                    public void close() {
                        // keep the caller's connection open
                    }
                }) {
                    lb.setChangeLogParameter("tandem.schema", Ident.quote(schema));
                    lb.setShowSummaryOutput(liquibase.UpdateSummaryOutputEnum.LOG);
                    lb.update(new Contexts(), new LabelExpression());
                }
            });
            // Liquibase puts the state schema first on the session's search_path; raw sql steps
            // must see the session's own path, so restore it
            try (var ps = c.prepareStatement("SELECT set_config('search_path', ?, false)")) {
                ps.setString(1, searchPath);
                ps.execute();
            }
            c.setAutoCommit(autoCommit);
        } catch (TandemException e) {
            throw e;
        } catch (Exception e) {
            throw TandemException.runtime("could not create or upgrade Tandem's state schema " + schema + ": " + rootMessage(e), e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t instanceof SQLException || t.getMessage() != null ? t.getMessage() : t.toString();
    }
}
