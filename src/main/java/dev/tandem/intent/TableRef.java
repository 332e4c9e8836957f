package dev.tandem.intent;

import dev.tandem.sql.QualifiedName;
import java.util.Optional;

/**
 * A table as the changelog names it: {@code users} or {@code billing.invoices}. The schema is
 * resolved later against {@code --schema} (default {@code public}).
 */
public record TableRef(Optional<String> schema, String name) {
    public QualifiedName resolve(String defaultSchema) {
        return new QualifiedName(schema.orElse(defaultSchema), name);
    }

    @Override
    public String toString() {
        return schema.map(s -> s + "." + name).orElse(name);
    }
}
