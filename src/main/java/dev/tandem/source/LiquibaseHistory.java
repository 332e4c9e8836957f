package dev.tandem.source;

import dev.tandem.TandemException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import liquibase.Scope;
import liquibase.changelog.ChangeLogHistoryService;
import liquibase.changelog.ChangeLogHistoryServiceFactory;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.util.LiquibaseUtil;

/**
 * Liquibase's {@code databasechangelog} table in the session's current schema (where Liquibase
 * keeps it by default): whether it exists, creating it with liquibase-core's own history service
 * when it does not, and inserting one row the way Liquibase 4.33 does (ID, AUTHOR, FILENAME,
 * DATEEXECUTED, ORDEREXECUTED = max + 1, EXECTYPE 'EXECUTED', MD5SUM, DESCRIPTION, COMMENTS, TAG
 * NULL, LIQUIBASE = the liquibase-core version, CONTEXTS, LABELS, DEPLOYMENT_ID).
 *
 * <p>It does not handle a history table moved elsewhere with {@code liquibaseSchemaName} or
 * renamed with {@code databaseChangeLogTableName}. It does not lock; {@link SourceHistory#flush}
 * inserts under {@code databasechangeloglock} ({@link LiquibaseLock}).
 */
final class LiquibaseHistory {
    private LiquibaseHistory() {}

    static boolean exists(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT to_regclass('databasechangelog') IS NOT NULL")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    /** Creates the table with Liquibase's own DDL when it is missing (commits; call outside a transaction). */
    static void ensure(Connection c) throws SQLException {
        if (exists(c)) {
            return;
        }
        try {
            Scope.child(LiquibaseSource.scope(), () -> {
                Database db = DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(c));
                ChangeLogHistoryService svc = Scope.getCurrentScope().getSingleton(ChangeLogHistoryServiceFactory.class)
                        .getChangeLogService(db);
                svc.init();
                db.commit();
            });
        } catch (Exception e) {
            throw TandemException.runtime("cannot create databasechangelog: " + e.getMessage(), e);
        }
    }

    /** Inserts the row for one changeSet; {@code deploymentId} is shared by the rows of one run. */
    static void insert(Connection c, LiquibaseEntry e, String deploymentId) throws SQLException {
        int next;
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT coalesce(max(orderexecuted), 0) + 1 FROM databasechangelog")) {
            rs.next();
            next = rs.getInt(1);
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO databasechangelog (id, author, filename, dateexecuted,"
                + " orderexecuted, exectype, md5sum, description, comments, tag, liquibase, contexts, labels, deployment_id)"
                + " VALUES (?, ?, ?, localtimestamp, ?, 'EXECUTED', ?, ?, ?, NULL, ?, ?, ?, ?)")) {
            ps.setString(1, e.id());
            ps.setString(2, e.author());
            ps.setString(3, e.filename());
            ps.setInt(4, next);
            ps.setString(5, e.md5sum());
            ps.setString(6, truncate(e.description(), 255));
            ps.setString(7, truncate(e.comments().orElse(""), 255));
            ps.setString(8, LiquibaseUtil.getBuildVersion());
            ps.setString(9, e.contexts().orElse(null));
            ps.setString(10, e.labels().orElse(null));
            ps.setString(11, deploymentId);
            ps.executeUpdate();
        }
    }

    /** A deployment id in Liquibase's form: the last ten digits of the epoch milliseconds. */
    static String deploymentId() {
        String ms = String.valueOf(System.currentTimeMillis());
        return ms.substring(ms.length() - 10);
    }

    private static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }
}
