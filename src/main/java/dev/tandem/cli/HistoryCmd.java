package dev.tandem.cli;

import dev.tandem.lifecycle.Workspace;
import dev.tandem.state.HistoryLog;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tandem history [ID]}: the audit log, oldest first. Read-only: takes no lock, creates nothing. */
@Command(name = "history", description = "What Tandem ran, when and by whom (the audit log), for every migration or one. Read-only.")
final class HistoryCmd implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", description = "Only this migration.")
    String id;

    @Mixin
    TextOrJson output;

    @Mixin
    DatabaseOptions db;

    @Override
    public Integer call() throws Exception {
        boolean json = output.json();
        List<Map<String, Object>> entries;
        try (Workspace ws = Workspace.forReading(db.settings(Main.environment, spec.commandLine().getErr()::println))) {
            entries = new HistoryLog(ws.settings().plan().stateSchema()).entries(ws.connection(), Optional.ofNullable(id));
        }
        var out = spec.commandLine().getOut();
        if (json) {
            out.println(dev.tandem.util.Json.pretty(Map.of("history", entries)));
        } else if (entries.isEmpty()) {
            out.println(id == null ? "no history" : "no history for " + id);
        } else {
            for (Map<String, Object> e : entries) {
                out.println(e.get("at") + "  " + e.get("migration") + "  " + (e.get("phase") == null ? "-" : e.get("phase"))
                        + (e.get("step") == null ? "" : " #" + e.get("step")) + "  " + e.get("action")
                        + (String.valueOf(e.get("detail")).isEmpty() ? "" : "  " + e.get("detail")) + "  (" + e.get("who") + ")");
            }
        }
        out.flush();
        return ExitCodes.OK;
    }
}
