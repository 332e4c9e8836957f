package dev.tandem.intent;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Parsers of the enum intents ({@code create_enum}, {@code add_enum_value},
 * {@code rename_enum_value}), each registered by one line in {@link ChangelogReader}. A label is any
 * non-empty text of at most 63 bytes (PostgreSQL's limit), taken verbatim. Whether the type and
 * labels exist is checked against the database when the migration starts (the catalog snapshot
 * holds no types).
 */
final class EnumIntents {
    private EnumIntents() {}

    static final IntentParser CREATE_ENUM = IntentParser.of(List.of("name", "values"), f -> {
        TableRef name = f.requiredTable("name");
        Node n = f.node("values").filter(x -> !YamlNodes.isNull(x)).orElseThrow(() -> f.error("missing required field 'values'"));
        if (!(n instanceof SequenceNode seq) || seq.getValue().isEmpty()) {
            throw f.error("values", "expected a non-empty list of labels, got " + YamlNodes.describe(n));
        }
        List<String> values = new ArrayList<>();
        for (Node item : seq.getValue()) {
            Position at = YamlNodes.position(f.position().file(), item);
            String v = YamlNodes.scalarText(f.position().file(), item, f.kind() + ": field 'values' element");
            String problem = problem(v);
            if (problem == null && values.contains(v)) {
                problem = "'" + v + "' is listed twice";
            }
            if (problem != null) {
                throw YamlNodes.error(at, f.kind() + ": field 'values': " + problem);
            }
            values.add(v);
        }
        return new CreateEnum(f.position(), name, values);
    });

    static final IntentParser ADD_ENUM_VALUE = IntentParser.of(List.of("enum", "value", "before", "after"), f -> {
        TableRef type = f.requiredTable("enum");
        String value = label(f, "value");
        if (f.has("before") && f.has("after")) {
            throw f.error("after", "give either 'before' or 'after', not both");
        }
        Optional<String> before = f.has("before") ? Optional.of(label(f, "before")) : Optional.empty();
        Optional<String> after = f.has("after") ? Optional.of(label(f, "after")) : Optional.empty();
        before.or(() -> after).filter(value::equals).ifPresent(v -> {
            throw f.error(f.has("before") ? "before" : "after", "is the value being added");
        });
        return new AddEnumValue(f.position(), type, value, before, after);
    });

    static final IntentParser RENAME_ENUM_VALUE = IntentParser.of(List.of("enum", "from", "to"), f -> {
        TableRef type = f.requiredTable("enum");
        String from = label(f, "from");
        String to = label(f, "to");
        if (from.equals(to)) {
            throw f.error("to", "the label is already called " + to);
        }
        return new RenameEnumValue(f.position(), type, from, to);
    });

    private static String label(IntentFields f, String field) {
        String v = f.requiredString(field);
        String problem = problem(v);
        if (problem != null) {
            throw f.error(field, problem);
        }
        return v;
    }

    private static String problem(String label) {
        if (label.isEmpty()) {
            return "a label must not be empty";
        }
        if (label.getBytes(StandardCharsets.UTF_8).length > 63) {
            return "label '" + label + "' is longer than 63 bytes";
        }
        if (label.indexOf('\0') >= 0) {
            return "a label must not contain a NUL character";
        }
        return null;
    }
}
