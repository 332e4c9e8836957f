package dev.tandem.backfill;

import dev.tandem.db.ConnectionConfig;
import dev.tandem.plan.BackfillSpec;
import dev.tandem.plan.Phase;
import dev.tandem.sql.QualifiedName;
import dev.tandem.state.StateSchema;
import dev.tandem.state.StateStore;
import dev.tandem.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.List;
import java.util.Map;

/** Runs the {@link Backfiller} directly on a test table, with a state row for migration {@code id}. */
final class BackfillHarness {
    final TestDatabase db;
    final ConnectionConfig config;
    final StateStore store;
    final List<String> log = new CopyOnWriteArrayList<>();
    final List<BackfillProgress> events = new CopyOnWriteArrayList<>();

    BackfillHarness(TestDatabase db) {
        this.db = db;
        this.config = ConnectionConfig.of(db.jdbcUrl(), db.user(), db.password(), Map.of());
        this.store = new StateStore("tandem", "test");
    }

    /** Creates the state schema and the migration row the checkpoints belong to. */
    void migration(Connection c, String id) throws SQLException {
        try (Connection own = db.connect()) { // Liquibase changes the search_path of the connection it migrates on
            StateSchema.migrate(own, "tandem");
            store.start(own, id, "x", "test", "{}");
        }
    }

    static BackfillSpec spec(String table, List<String> keys, String column, String expression) {
        return new BackfillSpec(new QualifiedName("public", table), keys, List.of(new BackfillSpec.Assignment(column, expression)));
    }

    BackfillOptions.Builder options() {
        return BackfillOptions.defaults().toBuilder().listener(events::add).progressIntervalMs(200);
    }

    Backfiller.Result run(Connection c, String id, BackfillSpec spec, BackfillOptions options) throws SQLException {
        Backfiller b = new Backfiller(store, options, line -> {
            log.add(line);
            System.out.println("[backfill] " + line);
        }, config::open);
        return b.run(c, id, Phase.BACKFILL, 0, spec);
    }

    String logText() {
        synchronized (log) {
            return String.join("\n", log);
        }
    }
}
