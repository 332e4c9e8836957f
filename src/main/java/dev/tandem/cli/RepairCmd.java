package dev.tandem.cli;

import dev.tandem.lifecycle.Workspace;
import dev.tandem.repair.RepairCommand;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tandem repair ID [PATH] [--dry-run]}: accepts an edited file whose plan is unchanged
 * (see {@link RepairCommand}); exit 4 with the plan differences when it changed.
 */
@Command(name = "repair", description = "Accept an edited migration file whose plan is unchanged (description, comments, whitespace) by storing its new checksum;"
        + " refuse (exit 4) when the plan differs, listing the differences.")
final class RepairCmd implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", description = "Migration id, e.g. 0001_rename_full_name.")
    String id;

    @Parameters(index = "1", arity = "0..1", defaultValue = "changelogs", paramLabel = "PATH",
            description = SourceFlags.PATH_DESCRIPTION)
    Path path;

    @Option(names = "--dry-run", description = "Compare and print the result; store nothing.")
    boolean dryRun;

    @Mixin
    TextOrJson output;

    @Mixin
    DatabaseOptions db;

    @Mixin
    SourceFlags source;

    @Override
    public Integer call() throws Exception {
        output.json();
        var migrations = source.open(path).migrations();
        var err = spec.commandLine().getErr();
        RepairCommand.Result r;
        try (Workspace ws = dryRun ? Workspace.forReading(db.settings(Main.environment, err::println))
                : Workspace.forWriting(db.settings(Main.environment, err::println))) {
            r = new RepairCommand(ws).run(migrations, id, dryRun);
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("id", r.id());
        doc.put("action", "repair");
        doc.put("accepted", r.accepted());
        doc.put("repaired", r.repaired());
        doc.put("dry_run", dryRun);
        doc.put("old_checksum", r.oldChecksum());
        doc.put("new_checksum", r.newChecksum());
        doc.put("differences", r.differences());
        doc.put("message", r.message());
        String text = r.message() + (r.differences().isEmpty() ? "" : "\n  " + String.join("\n  ", r.differences()));
        output.print(spec.commandLine().getOut(), text, doc);
        return r.accepted() ? ExitCodes.OK : ExitCodes.CHECK_FAILED;
    }
}
