package dev.tandem.report;

import java.util.Objects;

/**
 * One thing a gate ({@code check}, {@code lint}, {@code verify}) found, pointing at a place in a file.
 *
 * @param file the file as the user named it (relative paths stay relative); empty when there is none
 * @param line 1-based line, 0 when unknown
 * @param column 1-based column, 0 when unknown
 * @param rule a stable rule id, e.g. {@code index-not-concurrent} or {@code verify/rollback-not-exact}
 * @param severity error or warning
 * @param message what was seen, naming the objects involved (one line)
 * @param hint the safe alternative or the next step; empty when there is none
 */
public record Finding(String file, int line, int column, String rule, Severity severity, String message, String hint) {
    public Finding {
        file = file == null ? "" : file;
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(message, "message");
        hint = hint == null ? "" : hint;
        if (line < 0 || column < 0) {
            throw new IllegalArgumentException("line and column must be >= 0");
        }
    }

    /** {@code file:line:column}, leaving out the parts that are unknown. */
    public String location() {
        StringBuilder sb = new StringBuilder(file);
        if (line > 0) {
            sb.append(':').append(line);
            if (column > 0) {
                sb.append(':').append(column);
            }
        }
        return sb.toString();
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }
}
