package dev.tandem.plan;

import java.util.Objects;

/**
 * Settings the planner needs besides intents and catalog.
 *
 * @param defaultSchema schema for tables named without one ({@code --schema}, default public)
 * @param stateSchema Tandem's own schema, where its trigger functions live (default tandem)
 */
public record PlanOptions(String defaultSchema, String stateSchema) {
    public PlanOptions {
        Objects.requireNonNull(defaultSchema);
        Objects.requireNonNull(stateSchema);
    }

    public static PlanOptions defaults() {
        return new PlanOptions("public", "tandem");
    }
}
