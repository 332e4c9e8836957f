package dev.tandem.report;

import java.util.Locale;

/** How bad a finding is: an {@link #ERROR} fails the gate (exit 4), a {@link #WARNING} only informs. */
public enum Severity {
    ERROR,
    WARNING;

    /** {@code error} / {@code warning}, as written in every report format. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
