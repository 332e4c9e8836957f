package dev.tandem.lint;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.testing.SampleSchema;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/** docs/lint.md documents every rule under a heading that names its id. */
class RuleDocsTest {
    @Test
    void everyRuleHasItsSection() throws Exception {
        List<String> headings = Files.readAllLines(SampleSchema.repoRoot().resolve("docs/lint.md")).stream()
                .filter(l -> l.startsWith("### ")).toList();
        for (Rule r : Rule.values()) {
            assertTrue(headings.stream().anyMatch(h -> List.of(h.substring(4).split("[ ,()]+")).contains(r.id())),
                    "docs/lint.md has no heading for " + r.id());
        }
    }
}
