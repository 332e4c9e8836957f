package dev.tandem.intent;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** docs/intents.md lists every intent kind the reader knows in its table of intents. */
class IntentDocsTest {
    @Test
    void everyKindIsDocumented() throws Exception {
        String doc = Files.readString(Path.of("docs/intents.md"));
        List<String> missing = ChangelogReader.kinds().stream()
                .filter(k -> !k.equals("rename_column")) // has its own page, linked from intents.md
                .filter(k -> !doc.contains("| `" + k + "`") && !doc.contains(", `" + k + "` |") && !doc.contains("`, `" + k + "`"))
                .toList();
        assertTrue(missing.isEmpty(), "intent kinds missing from the table of docs/intents.md: " + missing);
    }
}
