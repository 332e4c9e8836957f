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
            if (drifted(m, r)) {
                drifted.add(m.file() + " (migration " + m.id() + " is " + r.status()
                        + (r.phase().map(p -> " at " + p).orElse("")) + ")");
            }
        }
        if (!drifted.isEmpty()) {
            throw TandemException.badInput("checksum drift: these files changed after their migration started: "
                    + String.join(", ", drifted) + ". Restore them; if only the description, comments or layout changed, `tandem repair ID` accepts the edit;"
                    + " otherwise roll the migration back entirely before changing it.");
        }
    }

    /** Whether the migration started (a record that is not pending) and its file's checksum is not the stored one. */
    static boolean drifted(Migration m, MigrationRecord r) {
        return r != null && !r.status().equals(Status.PENDING) && !r.checksum().equals(m.checksum());
    }

    /** A pending migration must not sort before one that has already started (exit 2). */
    static void refuseOutOfOrder(List<Migration> migrations, Map<String, MigrationRecord> records) {
        // the changelog's own order (lexical for Tandem YAML, Liquibase's order for a Liquibase
        // changelog) decides among the migrations it lists; started ones it no longer lists sort by id
        java.util.Set<String> listed = new java.util.HashSet<>();
        migrations.forEach(m -> listed.add(m.id()));
        String latestUnlisted = records.values().stream().filter(r -> !r.status().equals(Status.PENDING))
                .map(MigrationRecord::id).filter(id -> !listed.contains(id)).max(String::compareTo).orElse(null);
        String latestListed = null;
        for (Migration m : migrations) {
            MigrationRecord r = records.get(m.id());
            if (r != null && !r.status().equals(Status.PENDING)) {
                latestListed = m.id();
            }
        }
        boolean afterLatestListed = latestListed == null;
        for (Migration m : migrations) {
            MigrationRecord r = records.get(m.id());
            boolean pending = r == null || r.status().equals(Status.PENDING);
            String before = !pending ? null : !afterLatestListed ? latestListed
                    : latestUnlisted != null && m.id().compareTo(latestUnlisted) < 0 ? latestUnlisted : null;
            if (before != null) {
                throw TandemException.badInput("migration " + m.id() + " is pending but sorts before " + before
                        + ", which has already started; rename it so it sorts after " + before);
            }
            if (m.id().equals(latestListed)) {
                afterLatestListed = true;
            }
        }
    }
}
