package dev.tandem.lifecycle;

import dev.tandem.TandemException;
import dev.tandem.intent.Migration;
import dev.tandem.state.MigrationRecord;
import dev.tandem.state.MigrationRecord.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Consistency checks between the changelog on disk and Tandem's state, run before anything changes. */
final class Checks {
    private Checks() {}

    /** A migration that has started must not have changed on disk (exit 2). */
    static void refuseDrift(List<Migration> migrations, Map<String, MigrationRecord> records) {
        List<String> drifted = new ArrayList<>();
        for (Migration m : migrations) {
            MigrationRecord r = records.get(m.id());
            if (r != null && !r.status().equals(Status.PENDING) && !r.checksum().equals(m.checksum())) {
                drifted.add(m.file() + " (migration " + m.id() + " is " + r.status()
                        + (r.phase().map(p -> " at " + p).orElse("")) + ")");
            }
        }
        if (!drifted.isEmpty()) {
            throw TandemException.badInput("checksum drift: these files changed after their migration started: "
                    + String.join(", ", drifted) + ". Restore them, or roll the migration back entirely before changing it.");
        }
    }

    /** A pending migration must not sort before one that has already started (exit 2). */
    static void refuseOutOfOrder(List<Migration> migrations, Map<String, MigrationRecord> records) {
        String latestStarted = records.values().stream().filter(r -> !r.status().equals(Status.PENDING))
                .map(MigrationRecord::id).max(String::compareTo).orElse(null);
        if (latestStarted == null) {
            return;
        }
        for (Migration m : migrations) {
            MigrationRecord r = records.get(m.id());
            if ((r == null || r.status().equals(Status.PENDING)) && m.id().compareTo(latestStarted) < 0) {
                throw TandemException.badInput("migration " + m.id() + " is pending but sorts before " + latestStarted
                        + ", which has already started; rename it so it sorts after " + latestStarted);
            }
        }
    }
}
