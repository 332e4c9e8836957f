package dev.tandem.source;

import dev.tandem.intent.ChangelogReader;
import dev.tandem.intent.Migration;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.Set;

/** Tandem's own changelog (a YAML file or folder), read by {@link ChangelogReader}; nothing else. */
public final class TandemYamlSource implements ChangelogSource {
    private final List<Migration> migrations;

    public TandemYamlSource(Path path) {
        this.migrations = ChangelogReader.readPath(path);
    }

    @Override
    public List<Migration> migrations() {
        return migrations;
    }

    @Override
    public Set<String> alreadyRun(Connection c) {
        return Set.of();
    }

    @Override
    public void remember(Connection c, String stateSchema, List<Migration> migrations) {
        // Tandem's own state is the only history
    }
}
