package dev.tandem.intent;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code set_replica_identity: {table, identity: default|full|nothing|index, index?}} — what the
 * table writes to the WAL to identify changed rows for logical replication; {@code index} names a
 * unique index of the table and is required exactly when {@code identity: index}.
 *
 * @param identity one of {@code default}, {@code full}, {@code nothing}, {@code index}
 */
public record SetReplicaIdentity(Position position, TableRef table, String identity, Optional<String> index) implements Intent {
    public static final List<String> IDENTITIES = List.of("default", "full", "nothing", "index");

    public SetReplicaIdentity {
        Objects.requireNonNull(position);
        Objects.requireNonNull(table);
        Objects.requireNonNull(identity);
        Objects.requireNonNull(index);
    }

    @Override
    public String kind() {
        return "set_replica_identity";
    }

    @Override
    public List<TableRef> tables() {
        return List.of(table);
    }
}
