package dev.tandem.cli;

import dev.tandem.TandemException;
import dev.tandem.catalog.CatalogReader;
import dev.tandem.catalog.CatalogSnapshot;
import dev.tandem.catalog.SnapshotCodec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tandem snapshot --url URL [--schema S[,S…]] [-o FILE]}: writes the catalog snapshot (JSON)
 * that {@code tandem check --schema-snapshot} plans on. Read-only; creates nothing in the database.
 */
@Command(name = "snapshot", mixinStandardHelpOptions = true, description = {"Write the catalog of the given schemas as JSON, for tandem check --schema-snapshot. Read-only.",
                "--schema takes a comma-separated list here (default: public)."})
final class SnapshotCmd implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    DatabaseOptions db;

    @Option(names = "--format", defaultValue = "json", description = "json, the only format of a snapshot (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to this file instead of stdout.")
    Path output;

    @Override
    public Integer call() throws Exception {
        if (!format.equalsIgnoreCase("json")) {
            throw TandemException.badInput("snapshot supports --format json only");
        }
        if (!db.hasUrl(Main.environment)) {
            throw TandemException.badInput("snapshot needs a database: give --url or set TANDEM_URL");
        }
        List<String> schemas = Arrays.stream(db.schema(Main.environment).split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
        if (schemas.isEmpty()) {
            throw TandemException.badInput("--schema must name at least one schema");
        }
        String json;
        try (Connection c = db.settings(Main.environment, spec.commandLine().getErr()::println).connection().open()) {
            CatalogSnapshot snapshot = CatalogReader.read(c, schemas);
            json = SnapshotCodec.encode(snapshot);
            spec.commandLine().getErr().println("snapshot: " + snapshot.allTables().size() + " tables from schema(s) "
                    + String.join(", ", schemas));
        } catch (SQLException e) {
            throw TandemException.runtime("cannot read the catalog: " + e.getMessage(), e);
        }
        if (output == null) {
            spec.commandLine().getOut().print(json);
            spec.commandLine().getOut().flush();
        } else {
            try {
                Files.writeString(output, json, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new TandemException(TandemException.BAD_INPUT, output + ": cannot write: " + e.getMessage(), e);
            }
        }
        return ExitCodes.OK;
    }
}
