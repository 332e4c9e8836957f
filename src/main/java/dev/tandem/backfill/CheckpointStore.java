package dev.tandem.backfill;

import dev.tandem.plan.Phase;
import dev.tandem.sql.Ident;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads and writes the backfill rows of Tandem's state schema: {@code backfill_checkpoints} (one
 * row per backfill step) and {@code backfill_control} (the manual pause flag per migration). Like
 * the rest of the state store it never commits: the caller's transaction decides.
 * <p>It needs the state schema at version 2 ({@code 2-backfill-engine}); {@link #upToDate} tells.
 * The backfill of a partitioned table keeps one row per leaf partition ({@code partition_name},
 * changeSet {@code 4-partitions-checkpoint-partition}); an ordinary table's row has partition {@code ""}.
 * Deleting a step's checkpoint deletes those of all its partitions.
 */
public final class CheckpointStore {
    private final String schema;

    /** @param schema the state schema (raw name) */
    public CheckpointStore(String schema) {
        this.schema = schema;
    }

    private String t(String table) {
        return Ident.quote(schema) + "." + Ident.quote(table);
    }

    private static final String COLUMNS = "pass, last_key, upper_key, key_kind, spec_hash, rows_updated, rows_copied, rows_repaired,"
            + " rows_done, rows_estimate, batches, batch_size, rows_per_s, throttle, finished";

    /** Whether the state schema has the backfill engine's tables (a read-only status on an old schema has not). */
    public boolean upToDate(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            ps.setString(1, t("backfill_control"));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    public Optional<BackfillCheckpoint> find(Connection c, String id, Phase phase, int index) throws SQLException {
        return find(c, id, phase, index, "");
    }

    /** The checkpoint of one leaf partition's backfill ({@code partition} "" for an ordinary table). */
    public Optional<BackfillCheckpoint> find(Connection c, String id, Phase phase, int index, String partition) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM " + t("backfill_checkpoints")
                + " WHERE migration_id = ? AND phase = ? AND step_index = ? AND partition_name = ?")) {
            ps.setString(1, id);
            ps.setString(2, phase.wireName());
            ps.setInt(3, index);
            ps.setString(4, partition);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    public void save(Connection c, String id, Phase phase, int index, String table, BackfillCheckpoint cp) throws SQLException {
        save(c, id, phase, index, "", table, cp);
    }

    /** Saves the checkpoint of one leaf partition's backfill ({@code partition} "" for an ordinary table). */
    public void save(Connection c, String id, Phase phase, int index, String partition, String table, BackfillCheckpoint cp)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + t("backfill_checkpoints")
                + " (migration_id, phase, step_index, table_name, " + COLUMNS + ", partition_name)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (migration_id, phase, step_index, partition_name) DO UPDATE SET table_name = EXCLUDED.table_name,"
                + " pass = EXCLUDED.pass, last_key = EXCLUDED.last_key, upper_key = EXCLUDED.upper_key, key_kind = EXCLUDED.key_kind,"
                + " spec_hash = EXCLUDED.spec_hash, rows_updated = EXCLUDED.rows_updated, rows_copied = EXCLUDED.rows_copied,"
                + " rows_repaired = EXCLUDED.rows_repaired, rows_done = EXCLUDED.rows_done, rows_estimate = EXCLUDED.rows_estimate,"
                + " batches = EXCLUDED.batches, batch_size = EXCLUDED.batch_size, rows_per_s = EXCLUDED.rows_per_s,"
                + " throttle = EXCLUDED.throttle, finished = EXCLUDED.finished, updated_at = now()")) {
            ps.setString(1, id);
            ps.setString(2, phase.wireName());
            ps.setInt(3, index);
            ps.setString(4, table);
            ps.setString(5, cp.pass());
            ps.setArray(6, array(c, cp.lastKey()));
            ps.setArray(7, array(c, cp.upperKey()));
            ps.setString(8, cp.keyKind());
            ps.setString(9, cp.specHash());
            ps.setLong(10, cp.rowsUpdated());
            ps.setLong(11, cp.rowsCopied());
            ps.setLong(12, cp.rowsRepaired());
            ps.setLong(13, cp.rowsDone());
            ps.setLong(14, cp.rowsEstimate());
            ps.setLong(15, cp.batches());
            ps.setInt(16, cp.batchSize());
            ps.setDouble(17, cp.rowsPerSecond());
            ps.setString(18, cp.throttle());
            ps.setBoolean(19, cp.finished());
            ps.setString(20, partition);
            ps.executeUpdate();
        }
    }

    /** Deletes the checkpoint of one leaf partition's backfill. */
    public void delete(Connection c, String id, Phase phase, int index, String partition) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + t("backfill_checkpoints")
                + " WHERE migration_id = ? AND phase = ? AND step_index = ? AND partition_name = ?")) {
            ps.setString(1, id);
            ps.setString(2, phase.wireName());
            ps.setInt(3, index);
            ps.setString(4, partition);
            ps.executeUpdate();
        }
    }

    /** Deletes the step's checkpoints, those of every partition included. */
    public void delete(Connection c, String id, Phase phase, int index) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + t("backfill_checkpoints")
                + " WHERE migration_id = ? AND phase = ? AND step_index = ?")) {
            ps.setString(1, id);
            ps.setString(2, phase.wireName());
            ps.setInt(3, index);
            ps.executeUpdate();
        }
    }

    /** A checkpoint with where it belongs and when it was last written, for status. */
    public record Entry(String phase, int stepIndex, String table, BackfillCheckpoint checkpoint, OffsetDateTime updatedAt) {}

    /** Every checkpoint of a migration, in phase and step order. */
    public List<Entry> all(Connection c, String id) throws SQLException {
        List<Entry> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + ", phase, step_index, table_name, updated_at FROM "
                + t("backfill_checkpoints") + " WHERE migration_id = ? ORDER BY phase, step_index, partition_name")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Entry(rs.getString("phase"), rs.getInt("step_index"), rs.getString("table_name"), read(rs),
                            rs.getObject("updated_at", OffsetDateTime.class)));
                }
            }
        }
        return out;
    }

    /** Sets or clears the manual pause of a migration's backfill. */
    public void setPaused(Connection c, String id, boolean paused, String who) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + t("backfill_control") + " (migration_id, paused, changed_by)"
                + " VALUES (?, ?, ?) ON CONFLICT (migration_id) DO UPDATE SET paused = EXCLUDED.paused,"
                + " changed_by = EXCLUDED.changed_by, changed_at = now()")) {
            ps.setString(1, id);
            ps.setBoolean(2, paused);
            ps.setString(3, who);
            ps.executeUpdate();
        }
    }

    /** Who paused the migration's backfill, when it is paused. */
    public Optional<String> pausedBy(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT changed_by FROM " + t("backfill_control")
                + " WHERE migration_id = ? AND paused")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    private static Array array(Connection c, List<String> key) throws SQLException {
        return key == null ? null : c.createArrayOf("text", key.toArray());
    }

    private static List<String> list(Array a) throws SQLException {
        return a == null ? null : List.of((String[]) a.getArray());
    }

    private static BackfillCheckpoint read(ResultSet rs) throws SQLException {
        long estimate = rs.getLong("rows_estimate");
        return new BackfillCheckpoint(rs.getString("pass"), list(rs.getArray("last_key")), list(rs.getArray("upper_key")),
                rs.getString("key_kind"), rs.getString("spec_hash"), rs.getLong("rows_updated"), rs.getLong("rows_copied"),
                rs.getLong("rows_repaired"), rs.getLong("rows_done"), estimate, rs.getLong("batches"), rs.getInt("batch_size"),
                rs.getDouble("rows_per_s"), rs.getString("throttle"), rs.getBoolean("finished"));
    }
}
