package dev.tandem.cli.render;

import java.util.Locale;

/**
 * The output formats of {@code tandem plan} and {@code tandem status} ({@code --format}).
 * {@link #TEXT} is for a terminal, {@link #JSON} for machines, {@link #SQL} a script to read or
 * hand to a DBA, {@link #MARKDOWN} a pull-request comment. Not every command supports every format
 * (status has no SQL form).
 */
public enum Format {
    TEXT,
    JSON,
    SQL,
    MARKDOWN;

    /** The name as written on the command line: {@code text}, {@code json}, {@code sql}, {@code markdown}. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a {@code --format} value, case-insensitively; {@code md} is accepted for markdown.
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static Format parse(String s) {
        if (s != null) {
            String v = s.trim().toUpperCase(Locale.ROOT);
            if (v.equals("MD")) {
                return MARKDOWN;
            }
            for (Format f : values()) {
                if (f.name().equals(v)) {
                    return f;
                }
            }
        }
        throw new IllegalArgumentException("unknown format \"" + s + "\"; expected one of text, json, sql, markdown");
    }
}
