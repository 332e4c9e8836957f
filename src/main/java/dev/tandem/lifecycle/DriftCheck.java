package dev.tandem.lifecycle;

import dev.tandem.intent.Migration;
import dev.tandem.state.MigrationRecord;
import java.util.List;
import java.util.Map;

/**
 * The checksum-drift check every command runs before it acts (apply, --dry-run, repair): a started
 * migration whose file changed is refused with exit 2. Public face of the lifecycle's own check, so
 * the CLI checks drift the same way; it does not decide whether a change is harmless ({@code tandem repair} does).
 */
public final class DriftCheck {
    private DriftCheck() {}

    public static void refuse(List<Migration> migrations, Map<String, MigrationRecord> records) {
        Checks.refuseDrift(migrations, records);
    }
}
