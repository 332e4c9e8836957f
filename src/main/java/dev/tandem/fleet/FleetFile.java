package dev.tandem.fleet;

import dev.tandem.TandemException;
import dev.tandem.db.ConnectionConfig;
import dev.tandem.intent.Position;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * A fleet file: the targets one changelog is rolled out to, and the waves they run in.
 * <pre>
 * targets:
 *   - {name: eu-1, url: "jdbc:postgresql://db-eu-1:5432/app"}
 *   - {name: t42, url: "postgresql://db-eu-2:5432/app", schema: tenant_42}
 * waves:            # optional; without it every target is one wave
 *   - [eu-1]        # the canary
 *   - [t42]
 * </pre>
 * Parsing is strict: unknown keys, duplicate names, a wave naming an unknown target, a target in
 * no wave or in two, two targets sharing one state (same database and state schema) and a URL
 * carrying a password are all refused with exit 2 and {@code file:line:column}. The password is
 * never repeated in the message. It does not resolve credentials nor connect; it does not support
 * a {@code query:} that lists targets from a directory database.
 */
public record FleetFile(String name, List<Target> targets, List<Wave> waves) {
    static final Set<String> TOP_KEYS = Set.of("targets", "waves");
    static final Set<String> TARGET_KEYS = Set.of("name", "url", "schema", "state_schema");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");
    /** PostgreSQL's identifier limit in bytes. */
    private static final int MAX_IDENTIFIER = 63;

    public FleetFile {
        targets = List.copyOf(targets);
        waves = List.copyOf(waves);
    }

    /** Reads and validates the file; exit 2 when it is missing or invalid. */
    public static FleetFile load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw TandemException.badInput("cannot read the fleet file " + file + ": " + e.getMessage());
        }
        return parse(file.toString(), text);
    }

    /** Parses {@code text}; {@code name} is the file name used in error positions. */
    public static FleetFile parse(String name, String text) {
        Node root = dev.tandem.util.StrictYaml.compose(name, text);
        if (!(root instanceof MappingNode map)) {
            throw error(name, root == null ? null : root.getStartMark(), "a fleet file is a mapping with targets (and optionally waves)");
        }
        Map<String, Node> top = keys(name, map, TOP_KEYS, "the fleet file");
        Node targetsNode = top.get("targets");
        if (targetsNode == null) {
            throw error(name, map.getStartMark(), "missing key \"targets\": the list of databases to migrate");
        }
        if (!(targetsNode instanceof SequenceNode seq) || seq.getValue().isEmpty()) {
            throw error(name, targetsNode.getStartMark(), "targets must be a non-empty list of {name, url[, schema, state_schema]}");
        }
        Map<String, Target> byName = new LinkedHashMap<>();
        for (Node n : seq.getValue()) {
            Target t = target(name, n);
            if (byName.containsKey(t.name())) {
                throw error(name, n.getStartMark(), "target name \"" + t.name() + "\" is used twice (first at "
                        + byName.get(t.name()).position() + ")");
            }
            byName.put(t.name(), t);
        }
        List<Wave> waves = waves(name, top.get("waves"), byName);
        return new FleetFile(name, new ArrayList<>(byName.values()), waves);
    }

    /**
     * Refuses (exit 2) two targets that would share one state: the same host, port and database
     * with the same state schema, given the command's default state schema. They would share one
     * journal and one advisory lock, and the second would see the first's migrations as its own.
     */
    public void refuseSharedState(String defaultStateSchema) {
        Map<String, Target> seen = new HashMap<>();
        for (Target t : targets) {
            String state = t.stateSchemaOr(defaultStateSchema);
            if (state.getBytes(StandardCharsets.UTF_8).length > MAX_IDENTIFIER) {
                throw TandemException.badInput(t.position() + ": target " + t.name() + ": state schema \"" + state
                        + "\" is longer than 63 bytes; set state_schema: on the target");
            }
            String[] hpd = ConnectionConfig.of(t.url(), null, null, Map.of()).hostPortDatabase();
            String key = hpd[0] + ":" + hpd[1] + "/" + hpd[2] + "#" + state;
            Target other = seen.putIfAbsent(key, t);
            if (other != null) {
                throw TandemException.badInput(t.position() + ": target " + t.name() + " shares database " + hpd[0] + ":" + hpd[1] + "/"
                        + hpd[2] + " and state schema \"" + state + "\" with target " + other.name() + " (" + other.position()
                        + "); give one of them its own schema: or state_schema:");
            }
        }
    }

    private static Target target(String file, Node n) {
        if (!(n instanceof MappingNode m)) {
            throw error(file, n.getStartMark(), "a target is a mapping {name, url[, schema, state_schema]}");
        }
        Map<String, Node> k = keys(file, m, TARGET_KEYS, "a target");
        Position pos = position(file, n.getStartMark());
        String name = required(file, m, k, "name");
        if (!NAME.matcher(name).matches()) {
            throw error(file, k.get("name").getStartMark(), "target name \"" + name
                    + "\" must start with a letter or digit and use only letters, digits, _ . - (at most 63)");
        }
        String url = required(file, m, k, "url");
        refusePassword(file, k.get("url").getStartMark(), name, url);
        try {
            ConnectionConfig.of(url, null, null, Map.of());
        } catch (TandemException e) {
            throw error(file, k.get("url").getStartMark(), "target " + name + ": " + e.getMessage());
        }
        Optional<String> schema = optional(file, k, "schema", name);
        Optional<String> state = optional(file, k, "state_schema", name);
        return new Target(name, url, schema, state, pos);
    }

    /** A password in the URL's user part or in a password= parameter: refused without repeating it. */
    private static void refusePassword(String file, Mark mark, String target, String url) {
        String u = url.strip();
        int scheme = u.indexOf("//");
        String authority = scheme < 0 ? "" : u.substring(scheme + 2).split("[/?#]", 2)[0];
        int at = authority.lastIndexOf('@');
        boolean inUserInfo = at >= 0 && authority.substring(0, at).contains(":");
        boolean inParameter = Pattern.compile("(?i)[?&]password=").matcher(u).find();
        if (inUserInfo || inParameter) {
            throw error(file, mark, "target " + target + ": the URL carries a password; a fleet file carries no credentials."
                    + " Give the password with PGPASSWORD or TANDEM_PASSWORD, ~/.pgpass, or the config file (the URL is not shown here)");
        }
    }

    private static List<Wave> waves(String file, Node node, Map<String, Target> byName) {
        if (node == null) {
            return List.of(new Wave(1, new ArrayList<>(byName.values())));
        }
        if (!(node instanceof SequenceNode seq) || seq.getValue().isEmpty()) {
            throw error(file, node.getStartMark(), "waves must be a non-empty list of lists of target names, e.g. [[canary], [a, b]]");
        }
        Map<String, Position> placed = new HashMap<>();
        List<Wave> waves = new ArrayList<>();
        for (Node w : seq.getValue()) {
            if (!(w instanceof SequenceNode ws) || ws.getValue().isEmpty()) {
                throw error(file, w.getStartMark(), "a wave is a non-empty list of target names, e.g. [eu-1, eu-2]");
            }
            List<Target> members = new ArrayList<>();
            for (Node n : ws.getValue()) {
                String name = scalar(file, n);
                Target t = byName.get(name);
                if (t == null) {
                    throw error(file, n.getStartMark(), "wave " + (waves.size() + 1) + " names unknown target \"" + name
                            + "\"; targets are: " + String.join(", ", byName.keySet()));
                }
                Position before = placed.putIfAbsent(name, position(file, n.getStartMark()));
                if (before != null) {
                    throw error(file, n.getStartMark(), "target " + name + " is in two waves (also at " + before + ")");
                }
                members.add(t);
            }
            waves.add(new Wave(waves.size() + 1, members));
        }
        for (Target t : byName.values()) {
            if (!placed.containsKey(t.name())) {
                throw error(file, node.getStartMark(), "target " + t.name() + " (" + t.position() + ") is in no wave; add it to one");
            }
        }
        return waves;
    }

    private static Map<String, Node> keys(String file, MappingNode m, Set<String> allowed, String what) {
        Map<String, Node> out = new LinkedHashMap<>();
        for (NodeTuple t : m.getValue()) {
            String key = scalar(file, t.getKeyNode());
            if (!allowed.contains(key)) {
                throw error(file, t.getKeyNode().getStartMark(), "unknown key \"" + key + "\" in " + what + "; expected one of "
                        + String.join(", ", new java.util.TreeSet<>(allowed)));
            }
            out.put(key, t.getValueNode());
        }
        return out;
    }

    private static String required(String file, MappingNode m, Map<String, Node> k, String key) {
        Node n = k.get(key);
        if (n == null) {
            throw error(file, m.getStartMark(), "a target needs \"" + key + "\"");
        }
        String v = scalar(file, n);
        if (v.isBlank()) {
            throw error(file, n.getStartMark(), key + " must not be empty");
        }
        return v.strip();
    }

    private static Optional<String> optional(String file, Map<String, Node> k, String key, String target) {
        Node n = k.get(key);
        if (n == null) {
            return Optional.empty();
        }
        String v = scalar(file, n);
        if (v.isEmpty() || v.getBytes(StandardCharsets.UTF_8).length > MAX_IDENTIFIER) {
            throw error(file, n.getStartMark(), "target " + target + ": " + key + " must be a schema name of 1 to 63 bytes");
        }
        return Optional.of(v);
    }

    private static String scalar(String file, Node node) {
        if (!(node instanceof ScalarNode s)) {
            throw error(file, node.getStartMark(), "expected a single value here");
        }
        return s.getValue();
    }

    private static Position position(String file, Mark mark) {
        return new Position(file, mark == null ? 1 : mark.getLine() + 1, mark == null ? 1 : mark.getColumn() + 1);
    }

    private static TandemException error(String file, Mark mark, String message) {
        return TandemException.badInput(position(file, mark) + ": " + message);
    }
}
