package dev.tandem.readiness;

import dev.tandem.lifecycle.Workspace;
import dev.tandem.plan.MigrationPlan;
import dev.tandem.plan.Phase;
import dev.tandem.plan.Step;
import dev.tandem.sql.Ident;
import dev.tandem.state.MigrationRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Builds the {@link ContractReadiness} of a migration from the database: the stored plan's contract
 * steps, the switch-reads time from the history, the old-shape writes the sync trigger noted
 * (state table {@code activity}) and, where available, pg_stat_statements.
 * <p>The contract is blocked while the old shape was written, or a statement naming what it retires
 * was seen used, within the quiet period. It changes nothing outside Tandem's state schema; it does
 * record in {@code statement_baseline} the call counts it saw (pg_stat_statements keeps no time of a
 * statement's last call, so a rise is dated when a check first sees it).
 */
public final class ContractReadinessCheck {
    private final Workspace ws;

    public ContractReadinessCheck(Workspace ws) {
        this.ws = ws;
    }

    public ContractReadiness run(String id, Duration quietPeriod) throws SQLException {
        MigrationRecord r = ws.record(id);
        Connection c = ws.connection();
        String schema = ws.store().schema();
        MigrationPlan plan = ws.storedPlan(r);
        List<String> blockers = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        String state = r.status() + r.phase().map(p -> " at " + p).orElse("");
        // the last fully applied phase: switch-reads also when a contract was interrupted
        boolean atSwitchReads = r.phase().map(p -> p == Phase.SWITCH_READS).orElse(false);
        if (!atSwitchReads) {
            blockers.add("migration is " + state + "; contract runs right after switch-reads");
        }
        List<ContractReadiness.StepLine> steps = new ArrayList<>();
        for (Step s : plan.phase(Phase.CONTRACT).steps()) {
            steps.add(new ContractReadiness.StepLine(s.description(), s.lock().toString(), s.table() == null ? "" : s.table()));
        }
        Instant now = dbNow(c);
        Optional<Instant> switchReadsAt = switchReadsAt(c, schema, id);
        switchReadsAt.ifPresent(t -> {
            Duration since = Duration.between(t, now);
            if (since.compareTo(quietPeriod) < 0) {
                warnings.add("switch-reads was applied only " + ReadinessRenderer.human(since) + " ago, less than the quiet period ("
                        + ReadinessRenderer.human(quietPeriod) + "): an old instance that has not written yet cannot have been seen");
            }
        });

        boolean tracked = plan.phases().stream().flatMap(p -> p.steps().stream()).anyMatch(s -> s.sql().contains(".note_old_write("));
        long writesSince = 0;
        Optional<Instant> lastOldWrite = Optional.empty();
        try (PreparedStatement ps = c.prepareStatement("SELECT old_writes - baseline_writes, last_old_write FROM "
                + Ident.quote(schema) + ".activity WHERE migration_id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    writesSince = rs.getLong(1);
                    lastOldWrite = Optional.ofNullable(rs.getTimestamp(2)).map(Timestamp::toInstant);
                }
            }
        }
        if (!tracked) {
            warnings.add("old-shape writes are not tracked for this migration (its plan has no sync trigger that notes them)");
        }
        lastOldWrite.ifPresent(t -> {
            Duration ago = Duration.between(t, now);
            if (ago.compareTo(quietPeriod) < 0) {
                blockers.add("the old shape was written " + ReadinessRenderer.human(ago) + " ago (at " + t
                        + "), within the quiet period of " + ReadinessRenderer.human(quietPeriod)
                        + ": an old application instance is still running");
            }
        });

        RetiredObjects retired = RetiredObjects.of(plan);
        Optional<String> unavailable = StatementWatch.availability(c);
        List<StatementUse> statements = List.of();
        if (unavailable.isEmpty() && !retired.isEmpty()) {
            statements = new StatementWatch(schema).observe(c, id, retired, Timestamp.from(now));
            for (StatementUse u : statements) {
                Optional<Instant> at = u.lastRiseSeen();
                if (at.isEmpty() || Duration.between(at.get(), now).compareTo(quietPeriod) < 0) {
                    blockers.add("a statement still uses " + String.join(", ", u.names()) + " (" + u.callsSinceSwitchReads()
                            + " calls since switch-reads, by " + u.role() + "): " + ReadinessRenderer.oneLine(u.query()));
                }
            }
        } else if (retired.isEmpty() && unavailable.isEmpty()) {
            warnings.add("the contract retires no column or table that a statement could name");
        }
        return new ContractReadiness(id, state, steps, now, quietPeriod, switchReadsAt, tracked, writesSince, lastOldWrite,
                unavailable, statements, blockers, warnings);
    }

    /** At switch-reads: marks the old-write count and the statements' calls as the baseline. Never fails the caller. */
    public static void captureBaseline(Workspace ws, String id, MigrationPlan plan) {
        Connection c = ws.connection();
        String schema = ws.store().schema();
        try {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + Ident.quote(schema) + ".activity AS a"
                    + " (migration_id, baseline_writes, switch_reads_at) VALUES (?, 0, now())"
                    + " ON CONFLICT (migration_id) DO UPDATE SET baseline_writes = a.old_writes, switch_reads_at = now()")) {
                ps.setString(1, id);
                ps.executeUpdate();
            }
            RetiredObjects retired = RetiredObjects.of(plan);
            if (!retired.isEmpty() && StatementWatch.availability(c).isEmpty()) {
                new StatementWatch(schema).captureBaseline(c, id, retired);
            }
        } catch (SQLException e) {
            ws.log("warning: could not record the switch-reads baseline for the contract readiness report: " + e.getMessage());
        }
    }

    private static Instant dbNow(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT now()")) {
            rs.next();
            return rs.getTimestamp(1).toInstant();
        }
    }

    private static Optional<Instant> switchReadsAt(Connection c, String schema, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT max(at) FROM " + Ident.quote(schema)
                + ".history WHERE migration_id = ? AND phase = ? AND action = 'apply-done'")) {
            ps.setString(1, id);
            ps.setString(2, Phase.SWITCH_READS.wireName());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return Optional.ofNullable(rs.getTimestamp(1)).map(Timestamp::toInstant);
            }
        }
    }
}
