package dev.tandem.source;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Picks the source for a PATH argument: a file ending in {@code .xml} or {@code .json}, a
 * {@code .sql} whose first line is {@code --liquibase formatted sql}, or a YAML file whose first
 * key is {@code databaseChangeLog}, is a Liquibase root
 * changelog; a folder holding {@code V<version>__<description>.sql} files and no YAML is a Flyway
 * folder ({@link FlywaySource}); anything else (a YAML migration file or a folder) is Tandem's own
 * changelog.
 *
 * <p>It does not detect Flyway's Java migrations or a folder mixing Tandem YAML and Flyway SQL
 * (that is Tandem's changelog, whose reader reports the SQL files).
 */
public final class SourceDetector {
    private SourceDetector() {}

    public static ChangelogSource open(Path path, SourceOptions options) {
        if (isLiquibase(path)) {
            return LiquibaseSource.read(path, options);
        }
        if (FlywaySource.isFlywayFolder(path)) {
            return FlywaySource.read(path);
        }
        return new TandemYamlSource(path);
    }

    /** True when the path is another tool's source: a Liquibase root changelog or a Flyway folder. */
    public static boolean isForeign(Path path) {
        return isLiquibase(path) || FlywaySource.isFlywayFolder(path);
    }

    /** True when the path is a Liquibase root changelog (see the class comment). */
    public static boolean isLiquibase(Path path) {
        if (!Files.isRegularFile(path)) {
            return false;
        }
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".xml") || name.endsWith(".json")) {
            return true;
        }
        if (name.endsWith(".sql")) {
            return firstLine(path).toLowerCase(Locale.ROOT).replace(" ", "").startsWith("--liquibaseformattedsql");
        }
        if (name.endsWith(".yaml") || name.endsWith(".yml")) {
            return firstLine(path).startsWith("databaseChangeLog");
        }
        return false;
    }

    /**
     * The first line that is not blank, a YAML comment or a document marker; "" if none, or if the
     * file cannot be read as UTF-8 (then it is not a Liquibase changelog, and the reader that
     * takes it reports the problem).
     */
    private static String firstLine(Path path) {
        try {
            for (String line : Files.readAllLines(path, StandardCharsets.UTF_8)) {
                String t = line.strip();
                if (t.isEmpty() || t.startsWith("#") || t.equals("---")) {
                    continue;
                }
                return t;
            }
        } catch (IOException e) {
            return "";
        }
        return "";
    }
}
