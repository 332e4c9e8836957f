package dev.tandem.intent;

import java.util.Objects;

/**
 * A new column computed from old ones: {@code {name, type, up, nullable}} in {@code split_column}'s
 * {@code into} list and {@code merge_columns}' {@code into}.
 *
 * @param name column name (raw)
 * @param type SQL type, trusted text
 * @param up SQL over the old row computing the value
 * @param nullable false for {@code nullable: false} (the column then ends NOT NULL)
 */
public record DerivedColumn(String name, String type, String up, boolean nullable) {
    public DerivedColumn {
        Objects.requireNonNull(name);
        Objects.requireNonNull(type);
        Objects.requireNonNull(up);
    }
}
