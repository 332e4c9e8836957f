package dev.tandem.report;

import java.util.Locale;
import java.util.function.Function;

/**
 * The output formats of the gate commands ({@code --format}): {@code text} for a terminal,
 * {@code json} for machines, {@code junit} for CI test reports, {@code markdown} for a pull-request
 * comment, {@code github} for GitHub Actions annotations ({@code ::error file=…::}).
 */
public enum ReportFormat {
    TEXT(TextReport::render),
    JSON(JsonReport::render),
    JUNIT(JunitReport::render),
    MARKDOWN(MarkdownReport::render),
    GITHUB(GithubReport::render);

    private final Function<Report, String> renderer;

    ReportFormat(Function<Report, String> renderer) {
        this.renderer = renderer;
    }

    /** The report in this format; always ends with a newline. */
    public String render(Report report) {
        String s = renderer.apply(report);
        return s.endsWith("\n") ? s : s + "\n";
    }

    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a {@code --format} value, case-insensitively ({@code md} means markdown).
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static ReportFormat parse(String s) {
        if (s != null) {
            String v = s.trim().toUpperCase(Locale.ROOT);
            if (v.equals("MD")) {
                return MARKDOWN;
            }
            for (ReportFormat f : values()) {
                if (f.name().equals(v)) {
                    return f;
                }
            }
        }
        throw new IllegalArgumentException("unknown format \"" + s + "\"; expected one of text, json, junit, markdown, github");
    }
}
