package dev.tandem.intent;

import dev.tandem.plan.LockLevel;
import dev.tandem.plan.Phase;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code sql: {phase, up, down, irreversible, lock, transaction}} — trusted SQL written by the
 * migration author, run as one step of the given phase. Without {@code down} the author must say
 * {@code irreversible: true}; the reader refuses anything else.
 *
 * @param lock the lock the author declares the statement takes (default ACCESS EXCLUSIVE)
 * @param transactional false for statements PostgreSQL refuses in a transaction block
 */
public record RawSql(Position position, Phase phase, String up, Optional<String> down, LockLevel lock,
                     boolean transactional) implements Intent {
    public RawSql {
        Objects.requireNonNull(position);
        Objects.requireNonNull(phase);
        Objects.requireNonNull(up);
        Objects.requireNonNull(down);
        Objects.requireNonNull(lock);
    }

    /** True when the step has no {@code down} (the author declared {@code irreversible: true}). */
    public boolean irreversible() {
        return down.isEmpty();
    }

    @Override
    public List<TableRef> tables() {
        return List.of();
    }

    @Override
    public String kind() {
        return "sql";
    }
}
