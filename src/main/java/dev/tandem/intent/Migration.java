package dev.tandem.intent;

import java.util.List;
import java.util.Objects;

/**
 * One migration file as read from the changelog: its id (file name without extension), the file it
 * came from, its description, the checksum of its content (SHA-256 hex of the bytes with line
 * endings normalised to \n) and its intents in file order.
 */
public record Migration(String id, String file, String description, String checksum, List<Intent> changes) {
    public Migration {
        Objects.requireNonNull(id);
        Objects.requireNonNull(file);
        Objects.requireNonNull(checksum);
        description = description == null ? "" : description;
        changes = List.copyOf(changes);
    }
}
