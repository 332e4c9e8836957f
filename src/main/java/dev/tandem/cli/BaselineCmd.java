package dev.tandem.cli;

import dev.tandem.TandemException;
import dev.tandem.baseline.BaselineCommand;
import dev.tandem.catalog.CatalogReader;
import dev.tandem.catalog.CatalogSnapshot;
import dev.tandem.catalog.SnapshotCodec;
import dev.tandem.intent.Migration;
import dev.tandem.lifecycle.Workspace;
import dev.tandem.sql.QualifiedName;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tandem baseline [PATH] --to ID [--base-snapshot FILE] [--dry-run]}: records the changelog's
 * migrations up to ID as done when the live catalog equals what they produce (see
 * {@link BaselineCommand}); exit 4 with the differences otherwise, nothing recorded. The comparison
 * reads only; the state schema is created (under the advisory lock) only to record a match.
 */
@Command(name = "baseline", description = "Adopt Tandem on a database whose schema already contains the migrations up to --to ID:"
        + " compare the live catalog with what those migrations produce; equal: record them as done; different: exit 4 with the differences.")
final class BaselineCmd implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", defaultValue = "changelogs", description = SourceFlags.PATH_DESCRIPTION)
    Path path;

    @Option(names = "--to", required = true, paramLabel = "ID", description = "The last migration the database already contains.")
    String to;

    @Option(names = "--base-snapshot", paramLabel = "FILE",
            description = "Catalog snapshot (tandem snapshot) of the schema before the first migration; without it the changelog alone builds the schema.")
    Path baseSnapshot;

    @Option(names = "--dry-run", description = "Compare and print the result; record nothing.")
    boolean dryRun;

    @Mixin
    TextOrJson output;

    @Mixin
    DatabaseOptions db;

    @Mixin
    SourceFlags source;

    @Override
    public Integer call() throws Exception {
        boolean json = output.json();
        List<Migration> all = source.open(path).migrations();
        List<Migration> migrations = BaselineCommand.upTo(all, to);
        CatalogSnapshot base = base();
        var err = spec.commandLine().getErr();
        BaselineCommand.Result result;
        BaselineCommand.Projection projection;
        try (Workspace ws = Workspace.forReading(db.settings(Main.environment, err::println))) {
            dev.tandem.lifecycle.DriftCheck.refuse(all, ws.records());
            BaselineCommand.refuseKnown(migrations, ws.records());
            BaselineCommand cmd = new BaselineCommand(ws.planner());
            projection = cmd.project(migrations, base);
            TreeSet<String> schemas = new TreeSet<>();
            schemas.add(ws.settings().plan().defaultSchema());
            projection.catalog().tables().keySet().stream().map(QualifiedName::schema).forEach(schemas::add);
            base.tables().keySet().stream().map(QualifiedName::schema).forEach(schemas::add);
            CatalogSnapshot live = CatalogReader.read(ws.connection(), schemas);
            List<String> differences = BaselineCommand.compare(projection, base, live);
            result = new BaselineCommand.Result(to, migrations.stream().map(Migration::id).toList(), differences, false);
        }
        if (result.matched() && !dryRun) {
            try (Workspace ws = Workspace.forWriting(db.settings(Main.environment, err::println))) {
                BaselineCommand.record(ws, migrations, projection, to);
                err.println("recorded by " + ws.store().who());
            }
            result = new BaselineCommand.Result(to, result.ids(), List.of(), true);
        }
        output.print(spec.commandLine().getOut(), text(result), document(result));
        return result.matched() ? ExitCodes.OK : ExitCodes.CHECK_FAILED;
    }

    private CatalogSnapshot base() {
        if (baseSnapshot == null) {
            return CatalogSnapshot.empty();
        }
        try {
            return SnapshotCodec.decode(Files.readString(baseSnapshot, StandardCharsets.UTF_8), baseSnapshot.toString());
        } catch (IOException e) {
            throw TandemException.badInput("cannot read --base-snapshot " + baseSnapshot + ": " + e.getMessage());
        }
    }

    private String text(BaselineCommand.Result r) {
        String ids = String.join(", ", r.ids());
        if (!r.matched()) {
            return "baseline refused: the database differs from what the changelog produces up to " + r.to() + " (" + ids
                    + "); nothing recorded.\n  " + String.join("\n  ", r.differences());
        }
        return r.recorded() ? "baseline: recorded " + ids + " as done (purged); the database matches the changelog up to " + r.to()
                : "baseline (dry run): the database matches the changelog up to " + r.to() + "; would record " + ids + " as done; nothing recorded";
    }

    private Map<String, Object> document(BaselineCommand.Result r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("action", "baseline");
        m.put("to", r.to());
        m.put("migrations", r.ids());
        m.put("matched", r.matched());
        m.put("recorded", r.recorded());
        m.put("dry_run", dryRun);
        m.put("differences", r.differences());
        return m;
    }
}
