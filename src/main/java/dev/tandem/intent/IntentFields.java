package dev.tandem.intent;

import dev.tandem.TandemException;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.nodes.Node;

/**
 * The fields of one intent entry ({@code rename_column: {table: …, column: …}}), with typed,
 * position-aware accessors for {@link IntentParser}s. Field-level errors point at the field's
 * value; "missing field" and cross-field errors point at the intent (its kind key).
 * <p>Unknown fields have already been rejected by the reader when a parser sees this object.
 */
final class IntentFields {
    private final String file;
    private final String kind;
    private final Position position;
    private final Map<String, YamlNodes.Entry> entries;

    IntentFields(String file, String kind, Position position, Map<String, YamlNodes.Entry> entries) {
        this.file = file;
        this.kind = kind;
        this.position = position;
        this.entries = entries;
    }

    String kind() {
        return kind;
    }

    /** Position of the intent (its kind key). */
    Position position() {
        return position;
    }

    boolean has(String field) {
        return entries.containsKey(field) && !YamlNodes.isNull(entries.get(field).value());
    }

    /** The raw value node, if the field is present (even if its value is null). */
    Optional<Node> node(String field) {
        return Optional.ofNullable(entries.get(field)).map(YamlNodes.Entry::value);
    }

    /** Position of the field's value, or of the intent if the field is absent. */
    Position positionOf(String field) {
        YamlNodes.Entry e = entries.get(field);
        return e == null ? position : YamlNodes.position(file, e.value());
    }

    /** A required scalar field, as its text. */
    String requiredString(String field) {
        YamlNodes.Entry e = entries.get(field);
        if (e == null) {
            throw error("missing required field '" + field + "'");
        }
        return YamlNodes.scalarText(file, e.value(), kind + ": field '" + field + "'");
    }

    /** An optional scalar field, as its text; absent or null is empty. */
    Optional<String> optionalString(String field) {
        return has(field) ? Optional.of(requiredString(field)) : Optional.empty();
    }

    /** A required single identifier (column, constraint, index name), taken verbatim. */
    String requiredIdentifier(String field) {
        String text = requiredString(field);
        try {
            return Identifiers.validate(text);
        } catch (IllegalArgumentException e) {
            throw error(field, e.getMessage());
        }
    }

    /** A required table name: {@code t}, {@code s.t}, or with double-quoted parts. */
    TableRef requiredTable(String field) {
        String text = requiredString(field);
        try {
            return Identifiers.parseTable(text);
        } catch (IllegalArgumentException e) {
            throw error(field, e.getMessage());
        }
    }

    /** An error about one field, at its value: {@code file:l:c: kind: field 'f': message}. */
    TandemException error(String field, String message) {
        return YamlNodes.error(positionOf(field), kind + ": field '" + field + "': " + message);
    }

    /** An error about the intent as a whole, at its position: {@code file:l:c: kind: message}. */
    TandemException error(String message) {
        return YamlNodes.error(position, kind + ": " + message);
    }
}
