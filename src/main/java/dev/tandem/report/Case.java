package dev.tandem.report;

import java.util.List;
import java.util.Objects;

/**
 * One unit a gate examined — a file for {@code lint} and {@code check}, a migration phase for
 * {@code verify} — with what it found there. A case passes when it has no error finding; in JUnit
 * XML it becomes one {@code <testcase>}.
 *
 * @param suite the group the case belongs to (JUnit {@code classname}), e.g. the file or migration id
 * @param name the case's name, e.g. {@code contract} or a file name
 * @param seconds how long it took (0 when not measured)
 * @param findings what was found, in order
 */
public record Case(String suite, String name, double seconds, List<Finding> findings) {
    public Case {
        Objects.requireNonNull(suite, "suite");
        Objects.requireNonNull(name, "name");
        findings = List.copyOf(findings);
    }

    public boolean passed() {
        return findings.stream().noneMatch(Finding::isError);
    }
}
