package dev.tandem.source;

import dev.tandem.sql.Ident;
import dev.tandem.state.MigrationRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Hands finished migrations back to the tool they came from. When Tandem applies a migration of
 * a Liquibase changelog it {@link #remember}s the changeSet's row in {@code <state>.source_history};
 * {@link #flush} writes the row into {@code databasechangelog} once the migration is contracted
 * (or purged) — so {@code liquibase update} afterwards runs nothing of it — and marks it written.
 * Rolling a contracted migration back does not remove the row (do not roll back past contract
 * what Liquibase has recorded). Migrations of a Flyway folder go the same way into
 * {@code flyway_schema_history} ({@link FlywayHistory}).
 */
public final class SourceHistory {
    private SourceHistory() {}

    /** Ids of every migration Tandem has a record of; empty when the state schema does not exist yet. */
    static java.util.Set<String> tandemIds(Connection c, String stateSchema) throws SQLException {
        java.util.Set<String> out = new java.util.HashSet<>();
        String table = Ident.quote(stateSchema) + ".migrations";
        try (PreparedStatement ps = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    return out;
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM " + table); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    static void remember(Connection c, String stateSchema, LiquibaseEntry e) throws SQLException {
        remember(c, stateSchema, "liquibase", e);
    }

    /**
     * Remembers the history row of one migration for {@code tool} ({@code liquibase} or
     * {@code flyway}; for Flyway the entry's id is the version, filename the script, md5sum the
     * checksum, author empty).
     */
    static void remember(Connection c, String stateSchema, String tool, LiquibaseEntry e) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + Ident.quote(stateSchema) + ".source_history"
                + " (migration_id, tool, change_id, author, filename, md5sum, description, comments, contexts, labels)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (migration_id) DO UPDATE SET"
                + " md5sum = excluded.md5sum, description = excluded.description, comments = excluded.comments,"
                + " contexts = excluded.contexts, labels = excluded.labels WHERE source_history.recorded_at IS NULL")) {
            ps.setString(1, e.migrationId());
            ps.setString(2, tool);
            ps.setString(3, e.id());
            ps.setString(4, e.author());
            ps.setString(5, e.filename());
            ps.setString(6, e.md5sum());
            ps.setString(7, e.description());
            ps.setString(8, e.comments().orElse(null));
            ps.setString(9, e.contexts().orElse(null));
            ps.setString(10, e.labels().orElse(null));
            ps.executeUpdate();
        }
    }

    /** A remembered row due to be written, with its tool and how long Tandem took (first apply to now). */
    private record Due(String tool, LiquibaseEntry entry, long millis) {}

    /**
     * Writes every remembered, not yet written row whose migration is contracted or purged into its
     * tool's history — {@code databasechangelog} under Liquibase's {@code databasechangeloglock}
     * ({@link LiquibaseLock}), {@code flyway_schema_history} under a table lock — one transaction
     * per tool, and returns the migration ids written. Commits what the connection has open first;
     * its autocommit mode is restored on return. Does nothing when the state schema has no such rows.
     *
     * @throws dev.tandem.TandemException LOCK when the history is locked past the wait; the rows
     *     stay remembered and the next flush writes them
     */
    public static List<String> flush(Connection c, String stateSchema, Consumer<String> log) throws SQLException {
        String s = Ident.quote(stateSchema);
        List<Due> due = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT h.migration_id, h.change_id, h.author, h.filename, h.md5sum,"
                + " h.description, h.comments, h.contexts, h.labels, h.tool,"
                + " (extract(epoch FROM now() - m.created_at) * 1000)::bigint FROM " + s + ".source_history h JOIN " + s
                + ".migrations m ON m.id = h.migration_id WHERE h.recorded_at IS NULL AND m.status IN (?, ?)"
                + " ORDER BY m.updated_at, h.migration_id")) {
            ps.setString(1, MigrationRecord.Status.CONTRACTED);
            ps.setString(2, MigrationRecord.Status.PURGED);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    due.add(new Due(rs.getString(10), new LiquibaseEntry(rs.getString(1), rs.getString(2), rs.getString(3),
                            rs.getString(4), rs.getString(5), rs.getString(6), Optional.ofNullable(rs.getString(7)),
                            Optional.ofNullable(rs.getString(8)), Optional.ofNullable(rs.getString(9))), rs.getLong(11)));
                }
            }
        }
        if (due.isEmpty()) {
            return List.of();
        }
        boolean autoCommit = c.getAutoCommit();
        if (!autoCommit) {
            c.commit();
        }
        List<String> out = new ArrayList<>();
        try {
            List<Due> liquibase = due.stream().filter(d -> d.tool().equals("liquibase")).toList();
            List<Due> flyway = due.stream().filter(d -> d.tool().equals("flyway")).toList();
            if (!liquibase.isEmpty()) {
                c.setAutoCommit(true);
                LiquibaseHistory.ensure(c);
                try (LiquibaseLock lock = LiquibaseLock.acquire(c, LiquibaseLock.defaultWait())) {
                    out.addAll(write(c, s, liquibase, log));
                }
            }
            if (!flyway.isEmpty()) {
                c.setAutoCommit(true);
                out.addAll(write(c, s, flyway, log));
            }
        } finally {
            c.setAutoCommit(autoCommit);
        }
        return out;
    }

    /** Writes one tool's rows and marks them written, in one transaction. */
    private static List<String> write(Connection c, String s, List<Due> rows, Consumer<String> log) throws SQLException {
        String deployment = LiquibaseHistory.deploymentId();
        c.setAutoCommit(false);
        try {
            if (rows.get(0).tool().equals("flyway")) {
                FlywayHistory.ensure(c);
                FlywayHistory.lock(c);
            }
            for (Due d : rows) {
                LiquibaseEntry e = d.entry();
                String table;
                if (d.tool().equals("flyway")) {
                    FlywayHistory.insert(c, e, d.millis());
                    table = FlywayHistory.TABLE;
                } else {
                    LiquibaseHistory.insert(c, e, deployment);
                    table = "databasechangelog";
                }
                try (PreparedStatement ps = c.prepareStatement("UPDATE " + s + ".source_history SET recorded_at = now() WHERE migration_id = ?")) {
                    ps.setString(1, e.migrationId());
                    ps.executeUpdate();
                }
                log.accept("recorded " + e.migrationId() + " in " + table);
            }
            c.commit();
        } catch (SQLException | RuntimeException ex) {
            c.rollback();
            throw ex;
        }
        return rows.stream().map(d -> d.entry().migrationId()).toList();
    }
}
