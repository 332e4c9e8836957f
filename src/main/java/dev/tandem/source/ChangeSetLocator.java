package dev.tandem.source;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the line where a changeSet starts in its file, since liquibase-core does not keep line
 * numbers: the first line carrying {@code id="ID"} (XML), {@code id: ID} (YAML), {@code "id": "ID"}
 * (JSON) or {@code --changeset author:ID} (formatted SQL).
 *
 * <p>It is a text search, not a parse: two changeSets with the same id in one file (legal with
 * different authors) both point at the first; an unreadable file gives line 1.
 */
final class ChangeSetLocator {
    private ChangeSetLocator() {}

    static int line(Path file, String id, String author) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return 1;
        }
        String q = Pattern.quote(id);
        Pattern sql = Pattern.compile("^\\s*--\\s*changeset\\s+" + Pattern.quote(author) + ":" + q + "(\\s|$)", Pattern.CASE_INSENSITIVE);
        Pattern attr = Pattern.compile("(^|[\\s{,<])\"?id\"?\\s*[:=]\\s*[\"']?" + q + "([\"'\\s,}>/]|$)");
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            Matcher m = sql.matcher(l);
            if (m.find() || attr.matcher(l).find()) {
                return i + 1;
            }
        }
        return 1;
    }
}
