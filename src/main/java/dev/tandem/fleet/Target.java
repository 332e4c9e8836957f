package dev.tandem.fleet;

import dev.tandem.intent.Position;
import java.util.Optional;

/**
 * One database (or one schema of a database) of a fleet, as the fleet file names it.
 * <p>A target carries no credentials: user and password come from the environment, the password
 * file or the config file, exactly as for a single-database command. A target with a
 * {@code schema} (schema-per-tenant) keeps its own state schema, {@code <state-schema>_<schema>}
 * unless {@code state_schema} says otherwise, so tenants of one database never share a journal or
 * an advisory lock.
 *
 * @param name unique name in the fleet file (letters, digits, {@code _ . -})
 * @param url {@code jdbc:postgresql://…} or {@code postgresql://…}, without a password
 * @param schema the default schema of the migration's tables on this target (empty: the command's)
 * @param stateSchema Tandem's state schema on this target (empty: derived, see above)
 * @param position where the target starts in the fleet file
 */
public record Target(String name, String url, Optional<String> schema, Optional<String> stateSchema, Position position) {
    /** The schema of tables named without one: the target's, else {@code fallback}. */
    public String schemaOr(String fallback) {
        return schema.orElse(fallback);
    }

    /**
     * The state schema: the target's {@code state_schema}; else {@code <fallback>_<schema>} for a
     * target with a schema; else {@code fallback}.
     */
    public String stateSchemaOr(String fallback) {
        return stateSchema.orElseGet(() -> schema.map(s -> fallback + "_" + s).orElse(fallback));
    }
}
