package dev.tandem.plan.mechanics;

/**
 * Adapts a {@link SyncTrigger} function to a change that keeps the column's name (a type change):
 * both application versions write the same column, so a session's {@code tandem.version} says
 * nothing about which side it wrote — before the swap every write lands in the old column, after
 * it in the new one — and honouring it would copy from the stale side. The function built here
 * ignores the setting and relies on the per-row heuristics alone.
 * <p>It rewrites the one place where {@link SyncTrigger#createFunction} reads the setting, and
 * fails loudly if that text ever changes. It would be better as an option of {@link SyncTrigger}
 * (which another engineer owns); this class is the additive stand-in until then.
 */
public final class SameNameSync {
    static final String READ_SETTING = "current_setting('tandem.version', true)";

    private SameNameSync() {}

    /** The {@code CREATE OR REPLACE FUNCTION} of {@code trigger} with the version setting ignored. */
    public static String createFunction(SyncTrigger trigger, SyncTrigger.Authority authority) {
        String sql = trigger.createFunction(authority);
        int at = sql.indexOf(READ_SETTING);
        if (at < 0 || sql.indexOf(READ_SETTING, at + 1) >= 0) {
            throw new IllegalStateException("SyncTrigger no longer reads tandem.version the way SameNameSync expects");
        }
        return sql.substring(0, at) + "NULL::text /* tandem.version is ignored: both versions write the same column */"
                + sql.substring(at + READ_SETTING.length());
    }
}
