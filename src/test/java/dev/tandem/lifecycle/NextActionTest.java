package dev.tandem.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.plan.Phase;
import dev.tandem.state.MigrationRecord;
import dev.tandem.state.MigrationRecord.Status;
import dev.tandem.intent.ChangelogReader;
import dev.tandem.intent.Migration;
import dev.tandem.plan.PlanCodec;
import dev.tandem.plan.PlanOptions;
import dev.tandem.plan.Planner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link NextAction#of}: the next command for every stored state (pure, no database). */
class NextActionTest {
    static MigrationRecord at(Phase phase, String status) {
        return new MigrationRecord("0007_x", "sum", "", Optional.ofNullable(phase), status, Optional.empty(), "me",
                OffsetDateTime.now());
    }

    @Test
    void forwardThroughTheLifecycle() {
        assertEquals("tandem apply", NextAction.of(null, false, true));
        assertEquals("none", NextAction.of(null, false, false));
        assertEquals("tandem apply", NextAction.of(at(null, Status.PENDING), false, true));
        assertEquals("tandem apply", NextAction.of(at(Phase.EXPAND, Status.IN_PROGRESS), false, true));
        assertEquals("tandem apply", NextAction.of(at(Phase.DUAL_WRITE, Status.IN_PROGRESS), false, true));
        assertEquals("tandem switch-reads 0007_x", NextAction.of(at(Phase.BACKFILL, Status.IN_PROGRESS), false, true));
        assertEquals("tandem contract 0007_x", NextAction.of(at(Phase.SWITCH_READS, Status.IN_PROGRESS), false, true));
        assertEquals("tandem purge 0007_x", NextAction.of(at(Phase.CONTRACT, Status.CONTRACTED), false, true));
        assertEquals("tandem purge 0007_x", NextAction.of(at(Phase.CONTRACT, Status.PURGING), false, true));
        assertEquals("none", NextAction.of(at(Phase.CONTRACT, Status.PURGED), false, true));
    }

    @Test
    void interruptedContinuesInItsDirection() {
        assertEquals("tandem apply", NextAction.of(at(null, Status.INTERRUPTED), false, true));
        assertEquals("tandem apply", NextAction.of(at(Phase.DUAL_WRITE, Status.INTERRUPTED), false, true));
        assertEquals("tandem switch-reads 0007_x", NextAction.of(at(Phase.BACKFILL, Status.INTERRUPTED), false, true));
        assertEquals("tandem contract 0007_x", NextAction.of(at(Phase.SWITCH_READS, Status.INTERRUPTED), false, true));
        assertEquals("tandem rollback 0007_x", NextAction.of(at(Phase.SWITCH_READS, Status.INTERRUPTED), true, true));
        assertEquals("tandem rollback 0007_x", NextAction.of(at(null, Status.INTERRUPTED), true, false));
    }

    // ---------------------------------------------------------------- other migrations and drift (NextInContext)

    @TempDir
    Path dir;

    private static final Planner PLANNER = new Planner(new PlanOptions("public", "tandem"));

    private List<Migration> changelog(String... idAndYaml) throws IOException {
        for (int i = 0; i < idAndYaml.length; i += 2) {
            Files.writeString(dir.resolve(idAndYaml[i] + ".yaml"), idAndYaml[i + 1]);
        }
        return ChangelogReader.readPath(dir);
    }

    /** A stored record of {@code m} at {@code phase}/{@code status}, with its plan (as apply stores it). */
    private static MigrationRecord stored(Migration m, Phase phase, String status, String checksum) {
        return new MigrationRecord(m.id(), checksum, "", Optional.ofNullable(phase), status,
                Optional.of(PlanCodec.toJson(PLANNER.plan(m, Optional.empty()))), "me", OffsetDateTime.now());
    }

    private static Map<String, String> next(List<Migration> ms, MigrationRecord... records) {
        Map<String, MigrationRecord> byId = new LinkedHashMap<>();
        for (MigrationRecord r : records) {
            byId.put(r.id(), r);
        }
        return NextInContext.of(ms, byId, PLANNER, r -> NextAction.of(r, false, true));
    }

    @Test
    void aWaitingMigrationNamesTheCommandThatFreesItsHolder() throws IOException {
        List<Migration> ms = changelog("0001_rename_v", "changes:\n  - rename_column: {table: t, column: v, to: w}\n",
                "0002_rename_t", "changes:\n  - rename_table: {table: t, to: t2}\n",
                "0003_other", "changes:\n  - add_column: {table: u, column: {name: x, type: text}}\n");
        Migration first = ms.get(0);
        Map<String, String> atSwitchReads = next(ms, stored(first, Phase.SWITCH_READS, Status.IN_PROGRESS, first.checksum()));
        assertFalse(atSwitchReads.containsKey("0001_rename_v"), "the holder keeps its plain next");
        String waits = atSwitchReads.get("0002_rename_t");
        assertTrue(waits.startsWith("waits for 0001_rename_v (it holds ") && waits.contains("run `tandem contract 0001_rename_v`")
                && waits.contains("then on to `tandem purge 0001_rename_v`"), waits);
        // 0003 touches another table, but apply stops before 0002, so 0003 does not start either
        assertTrue(atSwitchReads.get("0003_other").startsWith("after 0002_rename_t (apply stops before it), which waits for 0001_rename_v"),
                atSwitchReads.get("0003_other"));

        Map<String, String> contracted = next(ms, stored(first, Phase.CONTRACT, Status.CONTRACTED, first.checksum()));
        assertTrue(contracted.get("0002_rename_t").contains("run `tandem purge 0001_rename_v`, then `tandem apply`"),
                contracted.get("0002_rename_t"));

        Map<String, String> purged = next(ms, stored(first, Phase.CONTRACT, Status.PURGED, first.checksum()));
        assertTrue(purged.isEmpty(), "nothing is held once the holder is purged: " + purged);
    }

    @Test
    void aDriftedMigrationNamesWhatResolvesItAndApplyWaitsForTheRestore() throws IOException {
        List<Migration> ms = changelog("0001_rename_v", "changes:\n  - rename_column: {table: t, column: v, to: w}\n",
                "0002_other", "changes:\n  - add_column: {table: u, column: {name: x, type: text}}\n");
        Migration first = ms.get(0);
        Map<String, String> n = next(ms, stored(first, Phase.BACKFILL, Status.IN_PROGRESS, "an older checksum"));
        String drifted = n.get("0001_rename_v");
        assertTrue(drifted.startsWith("restore " + first.file()) && drifted.contains("`tandem rollback 0001_rename_v --all`"), drifted);
        assertEquals("restore " + first.file() + " first (0001_rename_v changed after it started; apply refuses while it differs), then `tandem apply`",
                n.get("0002_other"));

        Map<String, String> purged = next(ms, stored(first, Phase.CONTRACT, Status.PURGED, "an older checksum"));
        assertFalse(purged.get("0001_rename_v").contains("rollback"), "a purged migration cannot be rolled back: " + purged);
    }
}
