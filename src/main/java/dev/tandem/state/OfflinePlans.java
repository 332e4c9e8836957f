package dev.tandem.state;

import dev.tandem.plan.MigrationPlan;
import dev.tandem.plan.PlanCodec;
import dev.tandem.sql.Ident;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * {@code <state>.offline_plans}: per started migration, the plan made from its file alone (no
 * catalog), recorded when the migration starts. A pure function of the file's intents, it is what
 * {@code tandem repair} compares an edited file with. It does not hold the plan being executed
 * (that is {@code migrations.plan}); migrations started before this table existed have none.
 */
public final class OfflinePlans {
    private final String schema;

    public OfflinePlans(String schema) {
        this.schema = schema;
    }

    /** Records (or replaces) the offline plan of a migration. */
    public void save(Connection c, String id, MigrationPlan offline) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table() + " (migration_id, plan) VALUES (?, ?::jsonb)"
                + " ON CONFLICT (migration_id) DO UPDATE SET plan = EXCLUDED.plan, recorded_at = now()")) {
            ps.setString(1, id);
            ps.setString(2, PlanCodec.toJson(offline));
            ps.executeUpdate();
        }
    }

    /** The recorded offline plan, empty when none (or when the table does not exist yet). */
    public Optional<MigrationPlan> find(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            ps.setString(1, table());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    return Optional.empty();
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT plan::text FROM " + table() + " WHERE migration_id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(PlanCodec.fromJson(rs.getString(1))) : Optional.empty();
            }
        }
    }

    private String table() {
        return Ident.quote(schema) + ".offline_plans";
    }
}
