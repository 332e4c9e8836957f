package dev.tandem.intent;

import dev.tandem.sql.Names;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads identifiers as the changelog writes them. Names are raw (unquoted) strings taken exactly as
 * written — case is preserved and any character but NUL is allowed, since Tandem quotes every
 * identifier it renders. A table may be written {@code name} or {@code schema.name}; a part that
 * contains a dot is written in SQL double quotes ({@code "my.table"}, {@code ""} for a literal
 * quote). Problems are reported as {@link IllegalArgumentException} with a message without
 * position; the caller adds it.
 * <p>Does not check that the objects exist, and does not case-fold like unquoted SQL would.
 */
final class Identifiers {
    private Identifiers() {}

    /** Throws IllegalArgumentException if {@code name} is not usable as a PostgreSQL identifier. */
    static String validate(String name) {
        if (name.isEmpty()) {
            throw new IllegalArgumentException("identifier is empty");
        }
        if (name.isBlank()) {
            throw new IllegalArgumentException("identifier is blank");
        }
        if (name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("identifier contains a NUL character");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < name.length() && Character.isLowSurrogate(name.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException("identifier contains an unpaired UTF-16 surrogate (not valid Unicode)");
            }
        }
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > Names.MAX_BYTES) {
            throw new IllegalArgumentException("identifier '" + name + "' is " + bytes
                    + " bytes in UTF-8; PostgreSQL allows at most " + Names.MAX_BYTES);
        }
        return name;
    }

    /**
     * Parses {@code table}, {@code schema.table}, {@code "my.table"}, {@code "my schema"."my.table"}
     * (quoted and plain parts may be mixed). Each part is validated with {@link #validate}.
     */
    static TableRef parseTable(String text) {
        List<String> parts = splitParts(text);
        if (parts.size() > 2) {
            throw new IllegalArgumentException("'" + text + "' has " + parts.size()
                    + " dot-separated parts; expected table or schema.table"
                    + " (write a name containing a dot in double quotes, e.g. '\"my.table\"')");
        }
        for (String p : parts) {
            if (p.equals(text)) {
                validate(p);
            } else {
                try {
                    validate(p);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("in '" + text + "': " + e.getMessage(), e);
                }
            }
        }
        return parts.size() == 1
                ? new TableRef(Optional.empty(), parts.get(0))
                : new TableRef(Optional.of(parts.get(0)), parts.get(1));
    }

    private static List<String> splitParts(String text) {
        List<String> parts = new ArrayList<>();
        int i = 0;
        int n = text.length();
        while (true) {
            if (i < n && text.charAt(i) == '"') {
                StringBuilder sb = new StringBuilder();
                i++;
                boolean closed = false;
                while (i < n) {
                    char c = text.charAt(i);
                    if (c == '"') {
                        if (i + 1 < n && text.charAt(i + 1) == '"') {
                            sb.append('"');
                            i += 2;
                            continue;
                        }
                        i++;
                        closed = true;
                        break;
                    }
                    sb.append(c);
                    i++;
                }
                if (!closed) {
                    throw new IllegalArgumentException("unterminated quoted identifier in '" + text + "'");
                }
                parts.add(sb.toString());
                if (i < n && text.charAt(i) != '.') {
                    throw new IllegalArgumentException("unexpected text after quoted identifier in '" + text
                            + "' (write \"\" for a literal quote inside a quoted name)");
                }
            } else {
                int dot = text.indexOf('.', i);
                int end = dot < 0 ? n : dot;
                parts.add(text.substring(i, end));
                i = end;
            }
            if (i >= n) {
                return parts;
            }
            i++; // skip '.'
            if (i >= n) {
                parts.add(""); // trailing dot: empty last part, rejected by validate
                return parts;
            }
        }
    }
}
