package dev.tandem.source;

import java.util.Optional;

/**
 * Filters a source is read with: Liquibase contexts and labels expressions (as Liquibase's own
 * {@code --contexts}/{@code --label-filter}), ignored by Tandem YAML.
 */
public record SourceOptions(Optional<String> contexts, Optional<String> labels) {
    public static SourceOptions none() {
        return new SourceOptions(Optional.empty(), Optional.empty());
    }
}
