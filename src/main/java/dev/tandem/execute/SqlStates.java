package dev.tandem.execute;

import java.sql.SQLException;

/** The SQLSTATE codes Tandem reacts to. */
final class SqlStates {
    static final String LOCK_NOT_AVAILABLE = "55P03";
    static final String DEADLOCK = "40P01";
    static final String QUERY_CANCELED = "57014";
    static final String SERIALIZATION = "40001";

    private SqlStates() {}

    static boolean isLockTimeout(SQLException e) {
        return LOCK_NOT_AVAILABLE.equals(e.getSQLState()) || DEADLOCK.equals(e.getSQLState());
    }

    static boolean isConnectionLoss(SQLException e) {
        return e.getSQLState() != null && e.getSQLState().startsWith("08");
    }
}
