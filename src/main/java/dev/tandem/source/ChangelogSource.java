package dev.tandem.source;

import dev.tandem.intent.Migration;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;

/**
 * Where migrations come from: Tandem's own YAML, or a Liquibase root changelog. A source turns
 * its files into {@link Migration}s (in the order the source's own tool would run them), says
 * which of them another tool already ran on a database, and records in that tool's history
 * table the ones Tandem finished.
 *
 * <p>It does not plan or execute anything; the planner and executor see only migrations.
 */
public interface ChangelogSource {
    /** Every migration of the source, in run order. */
    List<Migration> migrations();

    /**
     * Ids of migrations the source's own tool has already recorded as run on this database
     * (empty for Tandem YAML, whose state lives in Tandem's schema). Reads only.
     */
    Set<String> alreadyRun(Connection c) throws SQLException;

    /**
     * The migrations Tandem is to look at: all but those the source's own tool ran. Ones Tandem
     * ran itself (recorded in {@code <stateSchema>.migrations}) stay in the list even when they are
     * in the tool's history too, so Tandem sees them as the started or finished migrations they are.
     */
    default List<Migration> pending(Connection c, String stateSchema) throws SQLException {
        Set<String> done = new java.util.HashSet<>(alreadyRun(c));
        done.removeAll(SourceHistory.tandemIds(c, stateSchema));
        return migrations().stream().filter(m -> !done.contains(m.id())).toList();
    }

    /**
     * Remembers, in Tandem's state schema, how to record each migration in the source tool's
     * history once Tandem has finished it (see {@link SourceHistory}). No-op for Tandem YAML.
     */
    void remember(Connection c, String stateSchema, List<Migration> migrations) throws SQLException;
}
