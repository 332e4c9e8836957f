package dev.tandem.cli;

import dev.tandem.TandemException;
import dev.tandem.cli.render.Format;
import dev.tandem.util.Json;
import java.io.PrintWriter;
import picocli.CommandLine.Option;

/**
 * The {@code --format text|json} option of the commands whose result is one short record (the
 * phase commands, rollback, backfill, history, wait, baseline, repair), and how they print it:
 * the text line, or a JSON object. It does not handle the plan or report formats (sql, markdown,
 * junit, github), which stay with plan, check, lint and verify.
 */
final class TextOrJson {
    @Option(names = "--format", defaultValue = "text", converter = FormatConverter.class,
            description = "text or json (default: ${DEFAULT-VALUE}).")
    Format format = Format.TEXT;

    /** True for {@code --format json}; refuses sql and markdown (exit 2). */
    boolean json() {
        if (format != Format.TEXT && format != Format.JSON) {
            throw TandemException.badInput("this command supports --format text or json, not " + format.cliName());
        }
        return format == Format.JSON;
    }

    /** Prints {@code text} as is, or {@code value} as pretty JSON, and flushes. */
    void print(PrintWriter out, String text, Object value) {
        out.println(json() ? Json.pretty(value) : text);
        out.flush();
    }
}
