package dev.tandem.cli;

import dev.tandem.TandemException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * The CLI's configuration file: {@code tandem.yaml} in the working directory, or the file given
 * with {@code --config}. A flat mapping of scalar keys ({@link #KEYS}) plus a {@code backfill}
 * mapping whose keys are the backfill flag names without the dashes ({@code batch-size: 5000}).
 * Unknown keys and non-scalar values are refused with {@code file:line:column} (exit 2).
 * <p>Only reads values; precedence (flag &gt; environment &gt; file &gt; default) is applied by
 * {@link DatabaseOptions}. It does not expand variables.
 */
final class ConfigFile {
    /** The top-level keys. */
    static final Set<String> KEYS = Set.of("url", "user", "password", "schema", "state_schema", "lock_timeout", "backfill");

    private final Map<String, String> values;
    private final Map<String, String> backfill;

    private ConfigFile(Map<String, String> values, Map<String, String> backfill) {
        this.values = values;
        this.backfill = backfill;
    }

    static ConfigFile empty() {
        return new ConfigFile(Map.of(), Map.of());
    }

    /** {@code explicit} if given (must exist), else {@code tandem.yaml} in the working directory if it exists, else empty. */
    static ConfigFile load(Path explicit) {
        Path file = explicit != null ? explicit : Path.of("tandem.yaml");
        if (!Files.isRegularFile(file)) {
            if (explicit != null) {
                throw TandemException.badInput(explicit + ": config file not found");
            }
            return empty();
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw TandemException.badInput(file + ": cannot read the config file: " + e.getMessage());
        }
        return parse(file.toString(), text);
    }

    static ConfigFile parse(String name, String text) {
        Node root = dev.tandem.util.StrictYaml.compose(name, text);
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, String> backfill = new LinkedHashMap<>();
        if (root == null) {
            return new ConfigFile(values, backfill);
        }
        if (!(root instanceof MappingNode map)) {
            throw error(name, root.getStartMark(), "the config file must be a mapping of keys (" + String.join(", ", KEYS) + ")");
        }
        for (NodeTuple t : map.getValue()) {
            String key = scalar(name, t.getKeyNode());
            if (!KEYS.contains(key)) {
                throw error(name, t.getKeyNode().getStartMark(), "unknown key \"" + key + "\"; expected one of "
                        + String.join(", ", new java.util.TreeSet<>(KEYS)));
            }
            if (key.equals("backfill")) {
                if (!(t.getValueNode() instanceof MappingNode b)) {
                    throw error(name, t.getValueNode().getStartMark(), "backfill must be a mapping of backfill flag names to values");
                }
                for (NodeTuple bt : b.getValue()) {
                    String flag = scalar(name, bt.getKeyNode());
                    if (!BackfillFlags.CONFIG_KEYS.contains(flag)) {
                        throw error(name, bt.getKeyNode().getStartMark(), "unknown backfill key \"" + flag + "\"; expected one of "
                                + String.join(", ", new java.util.TreeSet<>(BackfillFlags.CONFIG_KEYS)));
                    }
                    backfill.put(flag, scalar(name, bt.getValueNode()));
                }
            } else {
                values.put(key, scalar(name, t.getValueNode()));
            }
        }
        return new ConfigFile(values, backfill);
    }

    private static String scalar(String name, Node node) {
        if (!(node instanceof ScalarNode s)) {
            throw error(name, node.getStartMark(), "expected a single value here");
        }
        return s.getValue();
    }

    private static TandemException error(String name, Mark mark, String message) {
        return dev.tandem.util.StrictYaml.error(name, mark, message);
    }

    Optional<String> get(String key) {
        return Optional.ofNullable(values.get(key));
    }

    /** Backfill settings by flag name without dashes. */
    Map<String, String> backfill() {
        return backfill;
    }
}
