package dev.tandem.state;

import dev.tandem.TandemException;
import dev.tandem.plan.Phase;
import dev.tandem.sql.Ident;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads and writes Tandem's state tables. Every method takes the connection to use, so the
 * executor can write a journal row in the same transaction as the step it records; the store
 * itself never commits or changes auto-commit.
 * <p>It does not create the schema ({@link StateSchema} does) and holds no cache.
 */
public final class StateStore {
    private final String schema;
    private final String who;

    /**
     * @param schema the state schema (raw name)
     * @param who who is acting, recorded in every row ("os-user@host as db-role")
     */
    public StateStore(String schema, String who) {
        this.schema = schema;
        this.who = who;
    }

    public String who() {
        return who;
    }

    /** The state schema (raw name). */
    public String schema() {
        return schema;
    }

    private String t(String table) {
        return Ident.quote(schema) + "." + Ident.quote(table);
    }

    /** Whether the state schema exists yet (read-only commands must not create it). */
    public boolean exists(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            ps.setString(1, t("migrations"));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    public List<MigrationRecord> all(Connection c) throws SQLException {
        List<MigrationRecord> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, checksum, description, phase, status, plan::text, applied_by, updated_at FROM "
                + t("migrations") + " ORDER BY id");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(read(rs));
            }
        }
        return out;
    }

    public Optional<MigrationRecord> find(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id, checksum, description, phase, status, plan::text, applied_by, updated_at FROM "
                + t("migrations") + " WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    private static MigrationRecord read(ResultSet rs) throws SQLException {
        String phase = rs.getString("phase");
        return new MigrationRecord(rs.getString("id"), rs.getString("checksum"), rs.getString("description"),
                phase == null ? Optional.empty() : Phase.fromWireName(phase),
                rs.getString("status"), Optional.ofNullable(rs.getString(6)), rs.getString("applied_by"),
                rs.getObject("updated_at", OffsetDateTime.class));
    }

    /** Inserts or replaces the row of a migration that has no phase applied, with the plan it will run. */
    public void start(Connection c, String id, String checksum, String description, String planJson) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + t("migrations")
                + " (id, checksum, description, phase, status, plan, applied_by) VALUES (?, ?, ?, NULL, ?, ?::jsonb, ?)"
                + " ON CONFLICT (id) DO UPDATE SET checksum = EXCLUDED.checksum, description = EXCLUDED.description,"
                + " phase = NULL, status = EXCLUDED.status, plan = EXCLUDED.plan, applied_by = EXCLUDED.applied_by, updated_at = now()")) {
            ps.setString(1, id);
            ps.setString(2, checksum);
            ps.setString(3, description);
            ps.setString(4, MigrationRecord.Status.PENDING);
            ps.setString(5, planJson);
            ps.setString(6, who);
            ps.executeUpdate();
        }
    }

    public void setPhase(Connection c, String id, Optional<Phase> phase, String status) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + t("migrations")
                + " SET phase = ?, status = ?, applied_by = ?, updated_at = now() WHERE id = ?")) {
            ps.setString(1, phase.map(Phase::wireName).orElse(null));
            ps.setString(2, status);
            ps.setString(3, who);
            ps.setString(4, id);
            if (ps.executeUpdate() != 1) {
                throw new TandemException(TandemException.RUNTIME, "no state row for migration " + id);
            }
        }
    }

    /** Journal of a phase: step index → journal entry. */
    public Map<Integer, StepEntry> steps(Connection c, String id, Phase phase) throws SQLException {
        Map<Integer, StepEntry> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT step_index, state, rollback_progress FROM " + t("steps")
                + " WHERE migration_id = ? AND phase = ?")) {
            ps.setString(1, id);
            ps.setString(2, phase.wireName());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getInt(1), new StepEntry(rs.getInt(1), rs.getString(2), rs.getInt(3)));
                }
            }
        }
        return out;
    }

    /**
     * Journal of the purge (stored with phase {@value #PURGE_PHASE}): step index → journal entry.
     * Non-empty once any purge step has started, which makes the migration irreversible.
     */
    public Map<Integer, StepEntry> purgeSteps(Connection c, String id) throws SQLException {
        Map<Integer, StepEntry> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT step_index, state, rollback_progress FROM " + t("steps")
                + " WHERE migration_id = ? AND phase = ?")) {
            ps.setString(1, id);
            ps.setString(2, PURGE_PHASE);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getInt(1), new StepEntry(rs.getInt(1), rs.getString(2), rs.getInt(3)));
                }
            }
        }
        return out;
    }

    /** Journals purge step {@code index} as {@code state} ("running" or "applied"). */
    public void markPurgeStep(Connection c, String id, int index, String state) throws SQLException {
        upsertStep(c, id, PURGE_PHASE, index, state);
    }

    /** The value of {@code steps.phase} for purge steps (purge is not one of the five reversible phases). */
    public static final String PURGE_PHASE = "purge";

    /**
     * A journal row: the step's state ("running" or "applied") and how many rollback statements already ran.
     * An applied step with {@code rollbackProgress > 0} is <em>partly undone</em> (a rollback stopped inside
     * it); a step with no row is not applied (never ran, or fully undone).
     */
    public record StepEntry(int index, String state, int rollbackProgress) {
        public boolean applied() {
            return "applied".equals(state);
        }

        /** Applied and untouched by a rollback: going forward skips it. */
        public boolean fullyApplied() {
            return applied() && rollbackProgress == 0;
        }

        /** A rollback ran some (or all) of its undo statements and stopped before removing it. */
        public boolean partlyUndone() {
            return rollbackProgress > 0;
        }
    }

    public void markStep(Connection c, String id, Phase phase, int index, String state) throws SQLException {
        upsertStep(c, id, phase.wireName(), index, state);
    }

    /** Inserts or updates one journal row (a phase step or a purge step); a re-marked step starts with no undo progress. */
    private void upsertStep(Connection c, String id, String phaseName, int index, String state) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + t("steps")
                + " (migration_id, phase, step_index, state, applied_by) VALUES (?, ?, ?, ?, ?)"
                + " ON CONFLICT (migration_id, phase, step_index) DO UPDATE SET state = EXCLUDED.state,"
                + " rollback_progress = 0, applied_by = EXCLUDED.applied_by, applied_at = now()")) {
            ps.setString(1, id);
            ps.setString(2, phaseName);
            ps.setInt(3, index);
            ps.setString(4, state);
            ps.setString(5, who);
            ps.executeUpdate();
        }
    }

    public void setRollbackProgress(Connection c, String id, Phase phase, int index, int progress) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + t("steps")
                + " SET rollback_progress = ? WHERE migration_id = ? AND phase = ? AND step_index = ?")) {
            ps.setInt(1, progress);
            ps.setString(2, id);
            ps.setString(3, phase.wireName());
            ps.setInt(4, index);
            ps.executeUpdate();
        }
    }

    public void removeStep(Connection c, String id, Phase phase, int index) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + t("steps")
                + " WHERE migration_id = ? AND phase = ? AND step_index = ?")) {
            bindStepKey(ps, id, phase, index);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + t("backfill_checkpoints")
                + " WHERE migration_id = ? AND phase = ? AND step_index = ?")) {
            bindStepKey(ps, id, phase, index);
            ps.executeUpdate();
        }
    }

    public void log(Connection c, String id, Phase phase, Integer step, String action, String detail) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + t("history")
                + " (migration_id, phase, step_index, action, detail, who) VALUES (?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, id);
            ps.setString(2, phase == null ? null : phase.wireName());
            if (step == null) {
                ps.setNull(3, java.sql.Types.INTEGER);
            } else {
                ps.setInt(3, step);
            }
            ps.setString(4, action);
            ps.setString(5, detail == null ? "" : detail);
            ps.setString(6, who);
            ps.executeUpdate();
        }
    }

    /**
     * Whether the latest phase action started for the migration ({@code apply-start} or
     * {@code rollback-start} in the history) was a rollback.
     */
    public boolean lastActionWasRollback(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT action FROM " + t("history")
                + " WHERE migration_id = ? AND action IN ('apply-start', 'rollback-start', 'purge-start')"
                + " ORDER BY seq DESC LIMIT 1")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getString(1).equals("rollback-start");
            }
        }
    }

    /** A backfill checkpoint: the pass ("copy" or "verify"), the last key done (text per key column), counters. */
    public record Checkpoint(String pass, List<String> lastKey, long rowsUpdated, long batches, boolean finished) {}

    public Optional<Checkpoint> checkpoint(Connection c, String id, Phase phase, int index) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pass, last_key, rows_updated, batches, finished FROM "
                + t("backfill_checkpoints") + " WHERE migration_id = ? AND phase = ? AND step_index = ?")) {
            bindStepKey(ps, id, phase, index);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(readCheckpoint(rs)) : Optional.empty();
            }
        }
    }

    /** Binds (migration_id, phase, step_index) to parameters 1–3, the key of a step's rows. */
    private static void bindStepKey(PreparedStatement ps, String id, Phase phase, int index) throws SQLException {
        ps.setString(1, id);
        ps.setString(2, phase.wireName());
        ps.setInt(3, index);
    }

    /** Reads a row of (pass, last_key, rows_updated, batches, finished). */
    private static Checkpoint readCheckpoint(ResultSet rs) throws SQLException {
        Array a = rs.getArray(2);
        return new Checkpoint(rs.getString(1), a == null ? null : List.of((String[]) a.getArray()),
                rs.getLong(3), rs.getLong(4), rs.getBoolean(5));
    }

    public void saveCheckpoint(Connection c, String id, Phase phase, int index, Checkpoint cp) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + t("backfill_checkpoints")
                + " (migration_id, phase, step_index, pass, last_key, rows_updated, batches, finished) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (migration_id, phase, step_index, partition_name) DO UPDATE SET pass = EXCLUDED.pass, last_key = EXCLUDED.last_key,"
                + " rows_updated = EXCLUDED.rows_updated, batches = EXCLUDED.batches, finished = EXCLUDED.finished, updated_at = now()")) {
            bindStepKey(ps, id, phase, index);
            ps.setString(4, cp.pass());
            ps.setArray(5, cp.lastKey() == null ? null : c.createArrayOf("text", cp.lastKey().toArray()));
            ps.setLong(6, cp.rowsUpdated());
            ps.setLong(7, cp.batches());
            ps.setBoolean(8, cp.finished());
            ps.executeUpdate();
        }
    }

    /** All checkpoints of a migration (for status). */
    public List<Checkpoint> checkpoints(Connection c, String id) throws SQLException {
        List<Checkpoint> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT pass, last_key, rows_updated, batches, finished FROM "
                + t("backfill_checkpoints") + " WHERE migration_id = ? ORDER BY phase, step_index")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(readCheckpoint(rs));
                }
            }
        }
        return out;
    }
}
