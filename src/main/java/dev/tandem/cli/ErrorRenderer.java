package dev.tandem.cli;

import dev.tandem.util.Json;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one place a failure is turned into output: a {@code tandem: message} line on stderr, and with
 * {@code --format json} also a JSON object on stdout,
 * {@code {"error":true,"exit_code":2,"message":"…","file":"…","line":3,"column":7}} (file, line and
 * column only when the message starts with {@code file:line:column}, as changelog errors do).
 * It does not decide exit codes; the caller passes the code.
 */
final class ErrorRenderer {
    private static final Pattern LOCATION = Pattern.compile("^(.+?):(\\d+):(\\d+)(?::|\\s|$)");

    private ErrorRenderer() {}

    /** True when the arguments ask for JSON output ({@code --format json} or {@code --format=json}). */
    static boolean wantsJson(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equalsIgnoreCase("--format=json") || (a.equals("--format") && i + 1 < args.length
                    && args[i + 1].equalsIgnoreCase("json"))) {
                return true;
            }
        }
        return false;
    }

    /** The JSON object describing a failure. */
    static Map<String, Object> json(int exitCode, String message) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("error", true);
        o.put("exit_code", exitCode);
        o.put("message", message);
        Matcher m = LOCATION.matcher(message == null ? "" : message);
        if (m.find()) {
            o.put("file", m.group(1));
            o.put("line", Integer.parseInt(m.group(2)));
            o.put("column", Integer.parseInt(m.group(3)));
        }
        return o;
    }

    /** Reports a failure on the given streams; returns {@code exitCode}. */
    static int report(int exitCode, String message, boolean json, java.io.PrintWriter out, java.io.PrintWriter err) {
        err.println("tandem: " + message);
        err.flush();
        if (json) {
            out.println(Json.pretty(json(exitCode, message)));
            out.flush();
        }
        return exitCode;
    }
}
