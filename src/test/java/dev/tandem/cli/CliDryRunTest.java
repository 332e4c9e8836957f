package dev.tandem.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.catalog.Fingerprint;
import dev.tandem.testing.Cli;
import dev.tandem.testing.Db;
import dev.tandem.testing.TestDatabase;
import dev.tandem.util.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --dry-run} prints what would run from the current state and leaves the database, state included, unchanged. */
class CliDryRunTest {
    static final String ID = CliLifecycleTest.ID;

    @TempDir
    Path tmp;

    static Fingerprint everything(Connection c) {
        return Fingerprint.of(c, List.of("public", "tandem"), true);
    }

    private static Cli.Result ok(TestDatabase db, String... args) {
        Cli.Result r = Cli.run(Cli.withDb(db, args));
        assertEquals(0, r.code(), () -> String.join(" ", args) + "\n" + r.describe());
        return r;
    }

    /** Runs the dry run and asserts that nothing changed; returns its output. */
    private static Cli.Result dry(TestDatabase db, Connection c, String... args) {
        Fingerprint before = everything(c);
        Cli.Result r = ok(db, args);
        assertEquals(List.of(), before.diff(everything(c)), () -> String.join(" ", args) + " changed the database");
        return r;
    }

    @Test
    void everyChangingCommandHasADryRunThatChangesNothing() throws Exception {
        TestDatabase db = CliLifecycleTest.sampleDb("CliDryRunTest", 100);
        Path cl = Files.createDirectories(tmp.resolve("cl"));
        Files.writeString(cl.resolve(ID + ".yaml"), CliLifecycleTest.rename("users", "full_name", "display_name"));
        try (Connection c = db.connect()) {
            Cli.Result fresh = dry(db, c, "apply", cl.toString(), "--dry-run");
            assertTrue(fresh.out().contains("-- " + ID + ": apply expand") && fresh.out().contains("-- " + ID + ": apply backfill"),
                    fresh.describe());
            assertTrue(fresh.out().contains("display_name"), fresh.describe());
            assertEquals(0L, Db.count(c, "SELECT count(*) FROM pg_namespace WHERE nspname = 'tandem'"), "no state schema created");

            ok(db, "apply", cl.toString(), "--to", "expand");
            Cli.Result rest = dry(db, c, "apply", cl.toString(), "--dry-run", "--format", "json");
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> actions = (List<Map<String, Object>>) ((Map<String, Object>) Json.parse(rest.out())).get("actions");
            assertEquals(List.of("dual-write", "backfill"), actions.stream().map(a -> a.get("phase")).toList(), rest.describe());

            ok(db, "apply", cl.toString());
            Cli.Result sr = dry(db, c, "switch-reads", ID, "--dry-run");
            assertTrue(sr.out().contains("apply switch-reads"), sr.describe());
            dry(db, c, "backfill", ID, "--dry-run");
            Cli.Result early = Cli.run(Cli.withDb(db, "contract", ID, "--dry-run"));
            assertEquals(2, early.code(), "contract needs switch-reads first, in a dry run too: " + early.describe());
            ok(db, "switch-reads", ID);
            Cli.Result contract = dry(db, c, "contract", ID, "--dry-run");
            assertTrue(contract.out().contains("apply contract"), contract.describe());
            Cli.Result all = dry(db, c, "rollback", ID, "--all", "--dry-run");
            assertTrue(all.out().indexOf("rollback switch-reads") < all.out().indexOf("rollback expand")
                    && all.out().contains("rollback backfill"), all.describe());
            ok(db, "contract", ID, "--yes");
            Cli.Result purge = dry(db, c, "purge", ID, "--dry-run");
            assertTrue(purge.out().contains("purge") && purge.out().contains("full_name"), purge.describe());
            assertFalse(dry(db, c, "rollback", ID, "--dry-run").out().contains("rollback switch-reads"));
        }
    }
}
