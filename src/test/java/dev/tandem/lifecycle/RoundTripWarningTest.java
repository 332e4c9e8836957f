package dev.tandem.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.intent.ChangelogReader;
import dev.tandem.intent.Migration;
import dev.tandem.plan.MigrationPlan;
import dev.tandem.plan.PlanOptions;
import dev.tandem.plan.Planner;
import dev.tandem.testing.Cli;
import dev.tandem.testing.Db;
import dev.tandem.testing.TestDatabase;
import dev.tandem.util.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code plan} and {@code apply} warn when an intent's {@code down(up(x)) = x} cannot hold (issue
 * #10): offline from the static rule, online also from a bounded sample of the live rows. A warning,
 * not a refusal: apply says it on stderr and goes on. An int → bigint retype does not warn.
 */
class RoundTripWarningTest {
    static TestDatabase db;

    @TempDir
    Path dir;

    static final String LOSSY = "description: shorten codes\nchanges:\n"
            + "  - change_column_type: {table: t, column: code, type: \"varchar(8)\", up: \"upper(left(trim(code),2))\", down: code}\n";
    static final String WIDEN = "changes:\n  - change_column_type: {table: t, column: n, type: bigint}\n";
    /** No lossy function in up, but the live rows do not round-trip (the static rule cannot see it). */
    static final String HIDDEN = "changes:\n  - change_column_type: {table: t, column: code, type: varchar, up: \"code || ''\", down: \"rtrim(code)\"}\n";

    @BeforeAll
    static void setUp() throws SQLException {
        db = TestDatabase.create("RoundTripWarning");
        try (Connection c = db.connect()) {
            Db.exec(c, "CREATE TABLE t (id integer PRIMARY KEY, code text, n integer NOT NULL DEFAULT 0)");
            Db.exec(c, "INSERT INTO t VALUES (1, 'DE', 1), (2, 'de', 2), (3, 'deu', 3), (4, 'fr ', 4), (5, NULL, 5)");
        }
    }

    private Path write(String id, String yaml) throws IOException {
        Path d = dir.resolve(id);
        Files.createDirectories(d);
        Files.writeString(d.resolve(id + ".yaml"), yaml);
        return d;
    }

    private static List<String> offlineWarnings(Path folder) {
        Planner planner = new Planner(new PlanOptions("public", "tandem"));
        List<Migration> ms = ChangelogReader.readPath(folder);
        return planner.plan(ms.get(0), Optional.empty()).warnings();
    }

    @SuppressWarnings("unchecked")
    private static List<String> jsonWarnings(String out) {
        Map<String, Object> doc = (Map<String, Object>) Json.parse(out);
        List<Object> migrations = (List<Object>) doc.get("migrations");
        return (List<String>) ((Map<String, Object>) migrations.get(0)).get("warnings");
    }

    @Test
    void lossyUpWarnsOffline() throws IOException {
        List<String> w = offlineWarnings(write("0001_codes", LOSSY));
        assertEquals(1, w.stream().filter(RoundTripProbe::isRoundTripWarning).count(), w.toString());
        String msg = w.stream().filter(RoundTripProbe::isRoundTripWarning).findFirst().orElseThrow();
        assertTrue(msg.contains("public.t.code") && msg.contains("0001_codes.yaml:3:") && msg.contains("upper, left, trim"), msg);

        Cli.Result text = Cli.run("plan", dir.resolve("0001_codes").toString());
        assertEquals(0, text.code(), text.describe());
        assertTrue(text.out().contains("rollback not exact: change_column_type public.t.code"), text.out());
    }

    @Test
    void lossyUpWarnsOnlineWithAnExampleKeyAndApplyGoesOn() throws IOException, SQLException {
        Path folder = write("0001_codes", LOSSY);
        Cli.Result plan = Cli.run(Cli.withDb(db, "plan", folder.toString(), "--format", "json"));
        assertEquals(0, plan.code(), plan.describe());
        List<String> w = jsonWarnings(plan.out());
        assertTrue(w.stream().anyMatch(s -> s.contains("upper, left, trim")), w.toString());
        // 'de' -> 'DE' -> 'DE', 'deu' -> 'DE', 'fr ' -> 'FR': three of the five rows (NULL and 'DE' round-trip)
        String sampled = w.stream().filter(s -> s.contains("sampled rows")).findFirst().orElseThrow(() -> new AssertionError(w));
        assertTrue(sampled.contains("on 3 of 5 sampled rows of public.t") && sampled.contains("(e.g. id = 2)"), sampled);

        Cli.Result apply = Cli.run(Cli.withDb(db, "apply", folder.toString()));
        assertEquals(0, apply.code(), apply.describe());
        assertTrue(apply.err().contains("0001_codes warning: rollback not exact") && apply.err().contains("sampled rows"), apply.err());
        assertFalse(apply.out().contains("rollback not exact"), "warnings go to stderr: " + apply.out());
        try (Connection c = db.connect()) {
            assertEquals(1L, Db.count(c, "SELECT count(*) FROM tandem.migrations WHERE id = '0001_codes' AND phase = 'backfill'"),
                    "the migration went on");
        }
        Cli.Result back = Cli.run(Cli.withDb(db, "rollback", "0001_codes", "--all"));
        assertEquals(0, back.code(), back.describe());
    }

    @Test
    void theSampleFindsWhatTheStaticRuleCannot() throws IOException {
        Path folder = write("0002_hidden", HIDDEN);
        assertFalse(offlineWarnings(folder).stream().anyMatch(RoundTripProbe::isRoundTripWarning), "no lossy function in up");
        Cli.Result plan = Cli.run(Cli.withDb(db, "plan", folder.toString(), "--format", "json"));
        assertEquals(0, plan.code(), plan.describe());
        List<String> w = jsonWarnings(plan.out());
        assertTrue(w.stream().anyMatch(s -> s.contains("on 1 of 5 sampled rows") && s.contains("id = 4")), w.toString());
    }

    @Test
    void intToBigintDoesNotWarn() throws IOException {
        Path folder = write("0003_widen", WIDEN);
        assertFalse(offlineWarnings(folder).stream().anyMatch(RoundTripProbe::isRoundTripWarning));
        Cli.Result plan = Cli.run(Cli.withDb(db, "plan", folder.toString(), "--format", "json"));
        assertEquals(0, plan.code(), plan.describe());
        assertFalse(jsonWarnings(plan.out()).stream().anyMatch(RoundTripProbe::isRoundTripWarning), plan.out());
    }
}
