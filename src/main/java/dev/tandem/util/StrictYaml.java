package dev.tandem.util;

import dev.tandem.TandemException;
import java.io.StringReader;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads a small hand-written YAML file (config file, fleet file) as a node tree the strict way:
 * duplicate keys refused, aliases limited, and every syntax error a BAD_INPUT naming
 * {@code file:line:column}. It builds no Java objects from the YAML (no tags, no constructors);
 * the caller walks the nodes. Changelogs have their own reader ({@code dev.tandem.intent}).
 */
public final class StrictYaml {
    private StrictYaml() {}

    /**
     * The document's root node, or {@code null} for an empty document.
     *
     * @param name the file name used in error positions
     * @throws TandemException BAD_INPUT at the error's position for malformed YAML
     */
    public static Node compose(String name, String text) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(10);
        try {
            return new Yaml(options).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            throw error(name, e.getProblemMark(), e.getProblem());
        } catch (RuntimeException e) {
            throw TandemException.badInput(name + ":1:1: " + e.getMessage());
        }
    }

    /** A BAD_INPUT error at {@code name:line:column} of the mark (1:1 without one). */
    public static TandemException error(String name, Mark mark, String message) {
        int line = mark == null ? 1 : mark.getLine() + 1;
        int column = mark == null ? 1 : mark.getColumn() + 1;
        return TandemException.badInput(name + ":" + line + ":" + column + ": " + message);
    }
}
