package dev.tandem.execute;

import java.sql.SQLException;

/** The SQLSTATE codes Tandem reacts to. */
final class SqlStates {
    static final String LOCK_NOT_AVAILABLE = "55P03";
    static final String DEADLOCK = "40P01";

    private SqlStates() {}

    static boolean isLockTimeout(SQLException e) {
        return LOCK_NOT_AVAILABLE.equals(e.getSQLState()) || DEADLOCK.equals(e.getSQLState());
    }
}
