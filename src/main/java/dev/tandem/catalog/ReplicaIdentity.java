package dev.tandem.catalog;

import dev.tandem.sql.Ident;
import java.util.Objects;
import java.util.Optional;

/**
 * What a table writes to the WAL to identify an updated or deleted row for logical replication
 * ({@code pg_class.relreplident}): {@code d} default (the primary key), {@code f} full (the whole
 * row), {@code n} nothing, {@code i} the index named in {@code index} ({@code pg_index.indisreplident}).
 * It does not say whether the table is in a publication.
 *
 * @param mode one of d, f, n, i
 * @param index the index, for mode i only
 */
public record ReplicaIdentity(String mode, Optional<String> index) {
    /** The identity of a table nobody changed. */
    public static final ReplicaIdentity DEFAULT = new ReplicaIdentity("d", Optional.empty());

    public ReplicaIdentity {
        Objects.requireNonNull(mode);
        Objects.requireNonNull(index);
        if (!"dfni".contains(mode) || mode.length() != 1) {
            throw new IllegalArgumentException("replica identity mode must be d, f, n or i: " + mode);
        }
        if (mode.equals("i") != index.isPresent()) {
            throw new IllegalArgumentException("replica identity mode i takes an index, the others none");
        }
    }

    /** From the catalog's mode and the name of the index marked indisreplident (may be null). */
    public static ReplicaIdentity of(String mode, String index) {
        // mode i whose index was dropped behaves as nothing in PostgreSQL; keep it as read
        return mode.equals("i") && index != null ? new ReplicaIdentity("i", Optional.of(index))
                : new ReplicaIdentity(mode.equals("i") ? "n" : mode, Optional.empty());
    }

    /** The clause after {@code REPLICA IDENTITY}: {@code DEFAULT}, {@code FULL}, {@code NOTHING} or {@code USING INDEX "name"}. */
    public String sql() {
        return switch (mode) {
            case "f" -> "FULL";
            case "n" -> "NOTHING";
            case "i" -> "USING INDEX " + Ident.quote(index.orElseThrow());
            default -> "DEFAULT";
        };
    }

    /** Words for messages: default, full, nothing, index NAME. */
    public String describe() {
        return switch (mode) {
            case "f" -> "full";
            case "n" -> "nothing";
            case "i" -> "index " + index.orElseThrow();
            default -> "default";
        };
    }
}
