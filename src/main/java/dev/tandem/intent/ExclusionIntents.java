package dev.tandem.intent;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Parser of {@code add_exclusion}, registered by one line in {@link ChangelogReader}. An operator
 * is a PostgreSQL operator symbol ({@code =}, {@code &&}, {@code <->}, …) or
 * {@code OPERATOR(schema.op)}; an access method a plain word. Whether the operators, the method and
 * their operator classes exist is PostgreSQL's to say (when the step runs).
 */
final class ExclusionIntents {
    private ExclusionIntents() {}

    private static final Pattern OPERATOR = Pattern.compile("[+\\-*/<>=~!@#%^&|`?]{1,63}|OPERATOR\\([A-Za-z_][A-Za-z0-9_]*\\.[+\\-*/<>=~!@#%^&|`?]{1,63}\\)");
    private static final List<String> ELEMENT_FIELDS = List.of("column", "expression", "operator");

    static final IntentParser ADD_EXCLUSION = IntentParser.of(List.of("table", "name", "using", "elements", "where"), f -> {
        TableRef table = f.requiredTable("table");
        String name = f.requiredIdentifier("name");
        String using = f.has("using") ? f.requiredIdentifier("using").toLowerCase(java.util.Locale.ROOT) : "gist";
        if (!using.matches("[a-z_][a-z0-9_]*")) {
            throw f.error("using", "expected an access method name such as gist, got '" + using + "'");
        }
        Node n = f.node("elements").filter(x -> !YamlNodes.isNull(x)).orElseThrow(() -> f.error("missing required field 'elements'"));
        if (!(n instanceof SequenceNode seq) || seq.getValue().isEmpty()) {
            throw f.error("elements", "expected a non-empty list of {column or expression, operator}, got " + YamlNodes.describe(n));
        }
        String file = f.position().file();
        List<AddExclusion.Element> elements = new ArrayList<>();
        for (Node item : seq.getValue()) {
            Position at = YamlNodes.position(file, item);
            if (!(item instanceof MappingNode map)) {
                throw YamlNodes.error(at, f.kind() + ": field 'elements': expected {column or expression, operator}, got " + YamlNodes.describe(item));
            }
            Map<String, YamlNodes.Entry> entries = YamlNodes.entries(file, map, f.kind() + ": elements: ");
            for (YamlNodes.Entry e : entries.values()) {
                if (!ELEMENT_FIELDS.contains(e.key())) {
                    throw YamlNodes.error(e.keyPosition(), f.kind() + ": elements: unknown field '" + e.key() + "' (allowed: column, expression, operator)");
                }
            }
            IntentFields el = new IntentFields(file, f.kind() + ": elements", at, entries);
            if (el.has("column") == el.has("expression")) {
                throw el.error("give exactly one of 'column' and 'expression'");
            }
            Optional<String> column = el.has("column") ? Optional.of(el.requiredIdentifier("column")) : Optional.empty();
            Optional<String> expression = el.has("expression") ? Optional.of(el.requiredString("expression")) : Optional.empty();
            if (expression.isPresent() && expression.get().isBlank()) {
                throw el.error("expression", "must not be blank");
            }
            String op = el.requiredString("operator").strip();
            if (!OPERATOR.matcher(op).matches()) {
                throw el.error("operator", "expected an operator such as =, && or OPERATOR(schema.op), got '" + op + "'");
            }
            elements.add(new AddExclusion.Element(column, expression, op));
        }
        Optional<String> where = f.optionalString("where");
        if (where.isPresent() && where.get().isBlank()) {
            throw f.error("where", "must not be blank");
        }
        return new AddExclusion(f.position(), table, name, using, elements, where);
    });
}
