package dev.tandem.intent;

import dev.tandem.TandemException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Small helpers for reading snakeyaml {@link Node} trees (as produced by {@code Yaml.compose})
 * with positions: 1-based {@link Position}s from start marks, mapping entries with duplicate-key
 * detection, and scalar text. Every failure is a {@link TandemException#BAD_INPUT} whose message
 * starts with {@code file:line:column: }.
 * <p>Does not construct Java objects from the tree (no tags are resolved into types) and does not
 * walk the tree on its own: callers visit only the nodes they expect, so recursive or heavily
 * aliased structures are never expanded.
 */
final class YamlNodes {
    private YamlNodes() {}

    /** One entry of a mapping, keyed by the key's scalar text. */
    record Entry(String key, Node keyNode, Node value, Position keyPosition) {}

    /** The 1-based position of a node's start mark (1:1 if the node has no mark). */
    static Position position(String file, Node node) {
        Mark m = node == null ? null : node.getStartMark();
        return m == null ? new Position(file, 1, 1) : new Position(file, m.getLine() + 1, m.getColumn() + 1);
    }

    static TandemException error(Position at, String message) {
        return new TandemException(TandemException.BAD_INPUT, at + ": " + message);
    }

    /** True for an absent value: an empty plain scalar, {@code ~} or {@code null} (tag !!null). */
    static boolean isNull(Node node) {
        return node == null || (node instanceof ScalarNode && Tag.NULL.equals(node.getTag()));
    }

    /** "a mapping", "a list", "a string 'x'", "nothing" — for "expected X, got Y" messages. */
    static String describe(Node node) {
        if (isNull(node)) {
            return "nothing";
        }
        if (node instanceof MappingNode) {
            return "a mapping";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        if (node instanceof ScalarNode s) {
            String v = s.getValue();
            if (v.length() > 40) {
                v = v.substring(0, 40) + "…";
            }
            return "a scalar '" + v + "'";
        }
        return "a " + node.getNodeId();
    }

    /**
     * The entries of a mapping in file order. Keys must be scalars (read as their text); a key
     * that appears twice is an error at the second occurrence; YAML merge keys ({@code <<}) are
     * refused because they would hide where a field came from.
     *
     * @param context prefix for messages, e.g. {@code "rename_column: "} or {@code ""}
     */
    static Map<String, Entry> entries(String file, MappingNode node, String context) {
        Map<String, Entry> out = new LinkedHashMap<>();
        for (NodeTuple t : node.getValue()) {
            Node k = t.getKeyNode();
            Position at = position(file, k);
            if (!(k instanceof ScalarNode sk)) {
                throw error(at, context + "keys must be plain strings, got " + describe(k));
            }
            if (Tag.MERGE.equals(k.getTag())) {
                throw error(at, context + "YAML merge keys ('<<') are not supported; write the fields out");
            }
            String key = sk.getValue();
            Entry previous = out.get(key);
            if (previous != null) {
                throw error(at, context + "duplicate key '" + key + "' (first at line "
                        + previous.keyPosition().line() + ", column " + previous.keyPosition().column() + ")");
            }
            out.put(key, new Entry(key, k, t.getValueNode(), at));
        }
        return out;
    }

    /**
     * The text of a scalar value, whatever its tag ({@code 123} reads as "123"). A null value or a
     * collection is an error naming {@code what}.
     */
    static String scalarText(String file, Node value, String what) {
        if (isNull(value)) {
            throw error(position(file, value), what + " has no value");
        }
        if (!(value instanceof ScalarNode s)) {
            throw error(position(file, value), what + " must be a string, got " + describe(value));
        }
        return s.getValue();
    }
}
