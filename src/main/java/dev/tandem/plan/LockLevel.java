package dev.tandem.plan;

/**
 * PostgreSQL table lock modes, weakest first, plus {@link #NONE} for steps that lock no existing
 * table (creating a function, say). {@link #blocksWrites()} is what the safety rule is about: no
 * rewrite or scan may run while holding a lock that blocks writes.
 */
public enum LockLevel {
    NONE("NONE"),
    ACCESS_SHARE("ACCESS SHARE"),
    ROW_SHARE("ROW SHARE"),
    ROW_EXCLUSIVE("ROW EXCLUSIVE"),
    SHARE_UPDATE_EXCLUSIVE("SHARE UPDATE EXCLUSIVE"),
    SHARE("SHARE"),
    SHARE_ROW_EXCLUSIVE("SHARE ROW EXCLUSIVE"),
    EXCLUSIVE("EXCLUSIVE"),
    ACCESS_EXCLUSIVE("ACCESS EXCLUSIVE");

    private final String sqlName;

    LockLevel(String sqlName) {
        this.sqlName = sqlName;
    }

    /** The mode as PostgreSQL spells it in documentation ("ACCESS EXCLUSIVE"). */
    public String sqlName() {
        return sqlName;
    }

    /** True for SHARE and stronger: INSERT/UPDATE/DELETE wait while it is held. */
    public boolean blocksWrites() {
        return compareTo(SHARE) >= 0;
    }

    /** True for locks that the executor must take with a short lock_timeout and retries. */
    public boolean needsLockTimeout() {
        return compareTo(SHARE_UPDATE_EXCLUSIVE) > 0;
    }

    /** Parses "ACCESS EXCLUSIVE" or pg_locks' "AccessExclusiveLock". */
    public static LockLevel parse(String s) {
        for (LockLevel l : values()) {
            if (l.sqlName.equalsIgnoreCase(s) || (l.sqlName.replace(" ", "") + "Lock").equalsIgnoreCase(s.replace(" ", ""))) {
                return l;
            }
        }
        throw new IllegalArgumentException("unknown lock mode: " + s);
    }

    @Override
    public String toString() {
        return sqlName;
    }
}
