package dev.tandem.verify;

import dev.tandem.plan.LockLevel;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one executed statement was seen to do to relations that existed before it ran: the locks
 * its backend held on them (strongest mode per relation), the tables whose {@code relfilenode}
 * changed (rewritten), and the tables it scanned sequentially.
 *
 * @param sql the statement
 * @param inTransaction false for statements run outside a transaction (CONCURRENTLY), whose locks
 *                      are sampled from another session while they run and may miss brief locks
 * @param locks relation ("public.users") → strongest mode held, in name order
 * @param tables the relations of {@code locks} that are tables (the others are indexes, sequences, …)
 * @param rewritten tables (and indexes) whose relfilenode changed
 * @param scanned tables whose sequential-scan count grew in the statement's transaction
 */
public record StatementTrace(String sql, boolean inTransaction, Map<String, LockLevel> locks, List<String> tables,
                             List<String> rewritten, List<String> scanned) {
    public StatementTrace {
        locks = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(locks));
        tables = List.copyOf(tables);
        rewritten = List.copyOf(rewritten);
        scanned = List.copyOf(scanned);
    }

    /** The strongest lock held on a table (not an index), if any. */
    public Optional<Map.Entry<String, LockLevel>> strongestTableLock() {
        return locks.entrySet().stream().filter(e -> tables.contains(e.getKey()))
                .max(Map.Entry.comparingByValue());
    }

    /** The strongest write-blocking lock held on any relation, if any. */
    public Optional<Map.Entry<String, LockLevel>> strongestBlockingLock() {
        return locks.entrySet().stream().filter(e -> e.getValue().blocksWrites()).max(Map.Entry.comparingByValue());
    }

    /** For the JSON report. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sql", sql);
        m.put("traced", inTransaction ? "pg_locks before commit" : "pg_locks sampled while running");
        Map<String, Object> l = new LinkedHashMap<>();
        locks.forEach((k, v) -> l.put(k, v.sqlName()));
        m.put("locks", l);
        m.put("rewritten", rewritten);
        m.put("scanned", scanned);
        return m;
    }
}
