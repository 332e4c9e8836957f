package dev.tandem.lifecycle;

import dev.tandem.intent.Migration;
import dev.tandem.state.MigrationRecord;
import java.util.List;
import java.util.Map;

/**
 * The checksum-drift check of every command that reads both the changelog and Tandem's state: a
 * started migration whose file changed is refused with exit 2 by apply, apply --dry-run, plan with
 * a URL and baseline ({@link #refuse}), and shown as {@code CHANGED} by status ({@link #drifted}).
 * Public face of the lifecycle's own check, so every command decides drift the same way; it does
 * not decide whether a change is harmless ({@code tandem repair} does).
 */
public final class DriftCheck {
    private DriftCheck() {}

    /** True when the migration started and its file's checksum differs from the stored one. */
    public static boolean drifted(Migration m, MigrationRecord r) {
        return Checks.drifted(m, r);
    }

    public static void refuse(List<Migration> migrations, Map<String, MigrationRecord> records) {
        Checks.refuseDrift(migrations, records);
    }
}
