package dev.tandem.execute;

import dev.tandem.TandemException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * Runs one statement the way traffic can live with. In a transaction: {@code SET LOCAL lock_timeout}
 * (for locks stronger than SHARE UPDATE EXCLUSIVE), the statement, then the caller's journal write
 * in the same transaction, then commit — retried per {@link LockPolicy} when the lock is not
 * granted in time or a deadlock is detected. Outside a transaction (CONCURRENTLY): no lock_timeout,
 * since the lock it takes does not block reads or writes.
 */
public final class StatementRunner {
    /** Work done in the statement's transaction, after it (the journal write). */
    @FunctionalInterface
    public interface InTransaction {
        void run(Connection c) throws SQLException;
    }

    /**
     * Sees every statement this runner executes, on the executing connection: {@code tandem verify}
     * reads the backend's locks there. Off by default ({@link #NO_OBSERVER}); an observer must not
     * change the database nor end the transaction.
     */
    public interface Observer {
        /**
         * Just before the statement runs: inside its transaction (auto-commit off), or, for a
         * statement outside a transaction (CONCURRENTLY), in auto-commit mode.
         */
        default void starting(Connection c, String sql) throws SQLException {
        }

        /** After a statement and the journal write ran in their transaction, just before the commit. */
        default void beforeCommit(Connection c, String sql) throws SQLException {
        }

        /** After a statement outside a transaction finished. */
        default void finished(Connection c, String sql) throws SQLException {
        }
    }

    /** The default: nothing observes. */
    public static final Observer NO_OBSERVER = new Observer() {
    };

    private final LockPolicy policy;
    private final Consumer<String> log;
    private final Observer observer;

    public StatementRunner(LockPolicy policy, Consumer<String> log) {
        this(policy, log, NO_OBSERVER);
    }

    /** A runner whose statements {@code observer} sees (see {@link Observer}). */
    public StatementRunner(LockPolicy policy, Consumer<String> log, Observer observer) {
        this.policy = policy;
        this.log = log;
        this.observer = observer;
    }

    public void inTransaction(Connection c, String sql, String table, boolean shortLockTimeout, InTransaction journal) {
        long start = System.nanoTime();
        for (int attempt = 0; ; attempt++) {
            try {
                c.setAutoCommit(false);
                try (Statement s = c.createStatement()) {
                    s.execute("SET LOCAL lock_timeout = '" + (shortLockTimeout ? policy.timeoutFor(attempt) : 0) + "ms'");
                    observer.starting(c, sql);
                    s.execute(sql);
                }
                journal.run(c);
                observer.beforeCommit(c, sql);
                c.commit();
                c.setAutoCommit(true);
                return;
            } catch (SQLException e) {
                rollbackQuietly(c);
                long elapsedMs = (System.nanoTime() - start) / 1_000_000;
                if (SqlStates.isLockTimeout(e)) {
                    boolean more = attempt + 1 < policy.maxAttempts() && elapsedMs < policy.deadlineMs();
                    if (more) {
                        long sleep = backoff(attempt);
                        log.accept("  lock on " + (table == null ? "the object" : table) + " not granted within "
                                + policy.timeoutFor(attempt) + " ms (attempt " + (attempt + 1) + "/" + policy.maxAttempts()
                                + "); retrying in " + sleep + " ms");
                        sleepQuietly(sleep);
                        continue;
                    }
                    throw new TandemException(TandemException.LOCK, "could not get the lock on "
                            + (table == null ? "the object" : table) + " after " + (attempt + 1) + " attempts in "
                            + elapsedMs + " ms" + Blockers.describe(c, table) + "; nothing was changed by this step. Statement: " + oneLine(sql), e);
                }
                throw new TandemException(TandemException.RUNTIME, "statement failed: " + e.getMessage().strip()
                        + " — statement: " + oneLine(sql), e);
            }
        }
    }

    public void outsideTransaction(Connection c, String sql) {
        try {
            c.setAutoCommit(true);
            try (Statement s = c.createStatement()) {
                s.execute("SET lock_timeout = 0");
                observer.starting(c, sql);
                s.execute(sql);
            }
            observer.finished(c, sql);
        } catch (SQLException e) {
            throw new TandemException(TandemException.RUNTIME, "statement failed: " + e.getMessage().strip()
                    + " — statement: " + oneLine(sql), e);
        }
    }

    private long backoff(int attempt) {
        long base = Math.min(1000, 50L << Math.min(attempt, 5));
        return base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1);
    }

    static String oneLine(String sql) {
        String s = sql.replaceAll("\\s+", " ").strip();
        return s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }

    private static void rollbackQuietly(Connection c) {
        try {
            if (!c.getAutoCommit()) {
                c.rollback();
            }
            c.setAutoCommit(true);
        } catch (SQLException ignored) {
            // the connection may be gone; the caller reports the original error
        }
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TandemException(TandemException.RUNTIME, "interrupted");
        }
    }
}
