package dev.tandem.source;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Flyway migration version, ordered as Flyway orders them: the text between {@code V} and
 * {@code __} with underscores read as dots ({@code 1_1} is {@code 1.1}), split at the dots, each
 * part compared as a whole number, a missing part counting as 0. So {@code 1 < 1.1 < 1.2 < 1.10 < 2}
 * and {@code 1.0} equals {@code 1} (two such files are a duplicate version).
 *
 * @param text the version as Flyway writes it in {@code flyway_schema_history.version} (dots)
 */
public record FlywayVersion(String text, List<BigInteger> parts) implements Comparable<FlywayVersion> {
    private static final Pattern VALID = Pattern.compile("[0-9]+(\\.[0-9]+)*");

    public FlywayVersion {
        parts = List.copyOf(parts);
    }

    /** Parses {@code 1_1}, {@code 1.1} or {@code 2024.01.15.1}; empty when it is not a version. */
    public static Optional<FlywayVersion> parse(String raw) {
        String t = raw.replace('_', '.');
        Matcher m = VALID.matcher(t);
        if (!m.matches()) {
            return Optional.empty();
        }
        List<BigInteger> parts = new ArrayList<>();
        for (String p : t.split("\\.")) {
            parts.add(new BigInteger(p));
        }
        return Optional.of(new FlywayVersion(t, parts));
    }

    @Override
    public int compareTo(FlywayVersion o) {
        int n = Math.max(parts.size(), o.parts.size());
        for (int k = 0; k < n; k++) {
            int c = part(k).compareTo(o.part(k));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    private BigInteger part(int k) {
        return k < parts.size() ? parts.get(k) : BigInteger.ZERO;
    }

    @Override
    public String toString() {
        return text;
    }
}
