package dev.tandem.testing;

import dev.tandem.backfill.BackfillOptions;
import dev.tandem.db.ConnectionConfig;
import dev.tandem.execute.LockPolicy;
import dev.tandem.intent.ChangelogReader;
import dev.tandem.intent.Migration;
import dev.tandem.lifecycle.AdvanceCommand;
import dev.tandem.lifecycle.ApplyCommand;
import dev.tandem.lifecycle.PurgeCommand;
import dev.tandem.lifecycle.RollbackCommand;
import dev.tandem.lifecycle.Settings;
import dev.tandem.lifecycle.Workspace;
import dev.tandem.plan.Phase;
import dev.tandem.plan.PlanOptions;
import dev.tandem.state.MigrationRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Drives a changelog of several migrations (a release train) in process, the way the CLI would:
 * {@code apply} over the whole folder, the other commands by migration id. Schema public, default
 * settings, quiet log (unless {@code verbose}).
 */
public final class Train {
    private final TestDatabase db;
    private final Path dir;
    private final boolean verbose;

    public Train(TestDatabase db, Path dir, boolean verbose) {
        this.db = db;
        this.dir = dir;
        this.verbose = verbose;
    }

    /** Writes {@code dir/<id>.yaml}. */
    public Train write(String id, String yaml) {
        try {
            Files.writeString(dir.resolve(id + ".yaml"), yaml);
            if (Boolean.getBoolean("tandem.train.verbose")) { System.out.println("[train] " + id + ":\n" + yaml); }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    public List<Migration> migrations() {
        return ChangelogReader.readPath(dir);
    }

    public Settings settings() {
        return new Settings(ConnectionConfig.of(db.jdbcUrl(), db.user(), db.password(), Map.of()),
                new PlanOptions("public", "tandem"), LockPolicy.defaults(), BackfillOptions.defaults(),
                line -> {
                    if (verbose) {
                        System.out.println("[tandem] " + line);
                    }
                });
    }

    public ApplyCommand.Result apply() throws SQLException {
        try (Workspace ws = Workspace.forWriting(settings())) {
            return new ApplyCommand(ws).run(migrations(), Phase.BACKFILL);
        }
    }

    public String advance(String id, Phase target) throws SQLException {
        try (Workspace ws = Workspace.forWriting(settings())) {
            return new AdvanceCommand(ws).run(id, target);
        }
    }

    public List<Phase> rollback(String id, boolean all) throws SQLException {
        try (Workspace ws = Workspace.forWriting(settings())) {
            return new RollbackCommand(ws).run(id, Optional.empty(), all);
        }
    }

    public String purge(String id) throws SQLException {
        try (Workspace ws = Workspace.forWriting(settings())) {
            return new PurgeCommand(ws).run(id);
        }
    }

    /** The state row of a migration, or empty when Tandem has not started it. */
    public Optional<MigrationRecord> record(String id) throws SQLException {
        try (Workspace ws = Workspace.forReading(settings())) {
            return Optional.ofNullable(ws.records().get(id));
        }
    }
}
