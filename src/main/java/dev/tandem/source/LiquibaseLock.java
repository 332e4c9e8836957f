package dev.tandem.source;

import dev.tandem.TandemException;
import java.sql.Connection;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Collectors;
import liquibase.Scope;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.lockservice.DatabaseChangeLogLock;
import liquibase.lockservice.LockService;
import liquibase.lockservice.LockServiceFactory;

/**
 * Liquibase's {@code databasechangeloglock}, taken with liquibase-core's own lock service (which
 * creates the table when it is missing) while Tandem writes {@code databasechangelog}, so a
 * {@code liquibase update} running at the same time waits for Tandem, and Tandem for it. When
 * the lock is held, Tandem retries once a second up to {@code wait}, then gives up with a LOCK
 * error (exit 3) naming who holds it and since when.
 *
 * <p>It does not break a stale lock (a Liquibase process killed while holding it): release it
 * with {@code liquibase release-locks} once you know no Liquibase runs. Acquiring and releasing
 * commit on the connection.
 */
final class LiquibaseLock implements AutoCloseable {
    /** How long to wait for a held lock: system property {@code tandem.liquibase.lockWaitSeconds}, default 30. */
    static Duration defaultWait() {
        return Duration.ofSeconds(Long.getLong("tandem.liquibase.lockWaitSeconds", 30L));
    }

    private final LockService service;

    private LiquibaseLock(LockService service) {
        this.service = service;
    }

    /** Takes the lock (autocommit is left off; the caller restores its mode). */
    static LiquibaseLock acquire(Connection c, Duration wait) {
        try {
            return Scope.child(LiquibaseSource.scope(), () -> {
                Database db = DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(c));
                LockService svc = LockServiceFactory.getInstance().getLockService(db);
                long deadline = System.nanoTime() + wait.toNanos();
                while (true) {
                    if (svc.acquireLock()) {
                        return new LiquibaseLock(svc);
                    }
                    if (System.nanoTime() >= deadline) {
                        String holders = Arrays.stream(svc.listLocks()).map(LiquibaseLock::describe).collect(Collectors.joining(", "));
                        throw new TandemException(TandemException.LOCK, "databasechangeloglock is held"
                                + (holders.isEmpty() ? "" : " by " + holders) + " (waited " + wait.toSeconds() + "s);"
                                + " Tandem records the finished changeSets in databasechangelog on the next `tandem apply` or"
                                + " `tandem contract`. A Liquibase process that died holding it: `liquibase release-locks`");
                    }
                    Thread.sleep(Math.min(1000, Math.max(1, wait.toMillis())));
                }
            });
        } catch (TandemException e) {
            throw e;
        } catch (Exception e) {
            throw TandemException.runtime("cannot take databasechangeloglock: " + e.getMessage(), e);
        }
    }

    private static String describe(DatabaseChangeLogLock l) {
        return l.getLockedBy() + (l.getLockGranted() == null ? "" : " since " + l.getLockGranted().toInstant());
    }

    @Override
    public void close() {
        try {
            Scope.child(LiquibaseSource.scope(), () -> service.releaseLock());
        } catch (Exception e) {
            throw TandemException.runtime("cannot release databasechangeloglock: " + e.getMessage(), e);
        }
    }
}
