package dev.tandem.cli;

import dev.tandem.TandemException;
import dev.tandem.lifecycle.AdvanceCommand;
import dev.tandem.lifecycle.Workspace;
import dev.tandem.plan.Phase;
import dev.tandem.readiness.ContractReadiness;
import dev.tandem.readiness.ContractReadinessCheck;
import dev.tandem.readiness.ReadinessRenderer;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tandem contract ID [--check] [--quiet-period 15m] [--force] [--yes]}: the release
 * manager's step. First prints the readiness report (see {@link ContractReadinessCheck}); refuses
 * with exit 4 while it is not ready unless {@code --force} (recorded in the history, with who).
 * {@code --yes} only skips the question. {@code --check} prints the report and changes nothing.
 */
@Command(name = "contract", description = "Stop writing the old shape and retire it (after no old application instance is left). Reversible until purge."
        + " Prints a readiness report first and refuses (exit 4) while the old shape was used within the quiet period.")
final class ContractCmd extends GuardedCmd {
    @Option(names = "--check", description = "Only print the readiness report; exit 0 when ready, 4 when not. Changes nothing.")
    boolean check;

    @Option(names = "--quiet-period", defaultValue = "15m", converter = QuietPeriodConverter.class,
            description = "How long the old shape must have been unused (default: ${DEFAULT-VALUE}), e.g. 15m, 1h, 90s.")
    Duration quietPeriod;

    @Option(names = "--force", description = "Contract although the report says not ready (recorded in the history, with who).")
    boolean force;

    @Override
    String question() {
        return "Contract " + id + "? Every application instance must already use the new shape";
    }

    @Override
    DryRun dryRun(DryRunPlanner planner) throws SQLException {
        return planner.advance(id, Phase.CONTRACT);
    }

    @Override
    String act(Workspace ws) throws SQLException {
        return new AdvanceCommand(ws).run(id, Phase.CONTRACT);
    }

    @Override
    public Integer call() throws Exception {
        boolean json = output.json();
        if (dryRun) {
            return super.call();
        }
        var out = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        if (check) {
            try (Workspace ws = Workspace.forWriting(db.settings(Main.environment, err::println))) {
                ContractReadiness r = new ContractReadinessCheck(ws).run(id, quietPeriod);
                out.println(json ? ReadinessRenderer.json(r) : ReadinessRenderer.text(r));
                return r.ready() ? ExitCodes.OK : ExitCodes.CHECK_FAILED;
            }
        }
        try (Workspace ws = Workspace.forWriting(db.settings(Main.environment, err::println))) {
            ContractReadiness r = new ContractReadinessCheck(ws).run(id, quietPeriod);
            boolean atSwitchReads = ws.record(id).phase().map(p -> p == Phase.SWITCH_READS).orElse(false);
            if (atSwitchReads) {
                // the report goes to stderr; with --format json it is also part of the one result object on stdout
                err.println(ReadinessRenderer.text(r));
                if (!r.ready() && !force) {
                    throw new TandemException(ExitCodes.CHECK_FAILED, "contract of " + id + " refused: not ready ("
                            + r.blockers().size() + " blocker(s): " + String.join(" | ", r.blockers()) + "); nothing changed."
                            + " Wait and run `tandem contract " + id + " --check`, or pass --force to override (recorded in the history)");
                }
                Confirm.require(yes, question() + (r.ready() ? "" : " (NOT READY, --force)"));
                if (!r.ready()) {
                    ws.store().log(ws.connection(), id, Phase.CONTRACT, null, "contract-forced",
                            "forced past " + r.blockers().size() + " blocker(s): " + String.join(" | ", r.blockers()));
                    err.println("contract forced by " + ws.store().who() + "; recorded in the history");
                }
            } else {
                Confirm.require(yes, question());
            }
            String line = act(ws);
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("id", id);
            result.put("action", action());
            result.put("message", line);
            if (atSwitchReads) {
                result.put("readiness", ReadinessRenderer.document(r));
            }
            output.print(out, line, result);
        }
        return ExitCodes.OK;
    }
}
