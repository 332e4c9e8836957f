package dev.tandem.catalog;

/**
 * A (non-internal) trigger on a table.
 *
 * @param name trigger name
 * @param definition {@code pg_get_triggerdef()}
 * @param enabled tgenabled ('O' origin, 'D' disabled, 'R' replica, 'A' always)
 * @param function "schema.function" the trigger calls
 */
public record Trigger(String name, String definition, String enabled, String function) {}
