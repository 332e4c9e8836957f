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
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Drives Tandem's lifecycle commands against a {@link TestDatabase} the way the CLI does: every
 * call opens its own writing {@link Workspace} (advisory lock, state schema) and closes it again,
 * so tests can change the lock or backfill settings between calls and a failed command leaves no
 * session behind. Settings are built as in {@code dev.tandem.demo.Demo}.
 * <p>Log lines are kept (see {@link #log()}) and echoed to stdout with a prefix, so they end up in
 * surefire's {@code *-output.txt}.
 */
public final class LifecycleDriver {
    /** The rename migration every lifecycle test of {@code rename_column} uses. */
    public static final String RENAME_ID = "0001_rename_full_name";

    public static final String RENAME_YAML = """
            description: Rename users.full_name to display_name
            changes:
              - rename_column:
                  table: users
                  column: full_name
                  to: display_name
            """;

    private final TestDatabase db;
    private final String id;
    private final String schema;
    private final List<Migration> migrations;
    private final LockPolicy locks;
    private final BackfillOptions backfill;
    private final List<String> log;

    private LifecycleDriver(TestDatabase db, String id, String schema, List<Migration> migrations, LockPolicy locks,
            BackfillOptions backfill, List<String> log) {
        this.db = db;
        this.id = id;
        this.schema = schema;
        this.migrations = migrations;
        this.locks = locks;
        this.backfill = backfill;
        this.log = log;
    }

    /**
     * Writes {@code RENAME_YAML} as {@code dir/0001_rename_full_name.yaml}, reads it with
     * {@link ChangelogReader}, and returns a driver for schema public with default settings.
     */
    public static LifecycleDriver renameFullName(TestDatabase db, Path dir) {
        return forMigration(db, dir, RENAME_ID, RENAME_YAML);
    }

    /**
     * Writes {@code yaml} as {@code dir/<id>.yaml}, reads it with {@link ChangelogReader}, and
     * returns a driver for that one migration, schema public, default settings. Commands that take
     * a migration id ({@link #advance}, {@link #rollback}, {@link #purge}, {@link #record}) use {@code id}.
     */
    public static LifecycleDriver forMigration(TestDatabase db, Path dir, String id, String yaml) {
        Path file = dir.resolve(id + ".yaml");
        try {
            Files.writeString(file, yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new LifecycleDriver(db, id, "public", List.of(ChangelogReader.readFile(file)), LockPolicy.defaults(),
                BackfillOptions.defaults(), Collections.synchronizedList(new ArrayList<>()));
    }

    /** The id of the migration this driver moves. */
    public String id() {
        return id;
    }

    /** The same migration and log with other lock settings. */
    public LifecycleDriver withLocks(LockPolicy policy) {
        return new LifecycleDriver(db, id, schema, migrations, policy, backfill, log);
    }

    /** The same migration and log with other backfill settings. */
    public LifecycleDriver withBackfill(BackfillOptions options) {
        return new LifecycleDriver(db, id, schema, migrations, locks, options, log);
    }

    public Settings settings() {
        return new Settings(ConnectionConfig.of(db.jdbcUrl(), db.user(), db.password(), Map.of()),
                new PlanOptions(schema, "tandem"), locks, backfill, line -> {
                    log.add(line);
                    System.out.println("[tandem] " + line);
                });
    }

    /** Every log line so far (a copy). */
    public List<String> log() {
        synchronized (log) {
            return List.copyOf(log);
        }
    }

    /** {@code tandem apply --to PHASE} (expand, dual-write or backfill). */
    public ApplyCommand.Result apply(Phase to) throws SQLException {
        try (Workspace ws = Workspace.forWriting(settings())) {
            return new ApplyCommand(ws).run(migrations, to);
        }
    }

    /** {@code tandem switch-reads ID} / {@code tandem contract ID}. */
    public String advance(Phase target) throws SQLException {
        try (Workspace ws = Workspace.forWriting(settings())) {
            return new AdvanceCommand(ws).run(id, target);
        }
    }

    /** Applies exactly one phase with the command the CLI would use for it. */
    public void forward(Phase p) throws SQLException {
        if (p.ordinal() <= Phase.BACKFILL.ordinal()) {
            apply(p);
        } else {
            advance(p);
        }
    }

    /** {@code tandem rollback ID [--to KEEP | --all]}. */
    public List<Phase> rollback(Optional<Phase> keep, boolean all) throws SQLException {
        try (Workspace ws = Workspace.forWriting(settings())) {
            return new RollbackCommand(ws).run(id, keep, all);
        }
    }

    /** {@code tandem rollback ID}: undoes the latest phase. */
    public List<Phase> rollbackOne() throws SQLException {
        return rollback(Optional.empty(), false);
    }

    /** {@code tandem purge ID}. */
    public String purge() throws SQLException {
        try (Workspace ws = Workspace.forWriting(settings())) {
            return new PurgeCommand(ws).run(id);
        }
    }

    /** The state row of this driver's migration. */
    public MigrationRecord record() throws SQLException {
        try (Workspace ws = Workspace.forReading(settings())) {
            return ws.record(id);
        }
    }
}
