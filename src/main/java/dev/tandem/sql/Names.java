package dev.tandem.sql;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Generates the names of objects Tandem creates (triggers, functions, constraints, indexes,
 * retired columns). PostgreSQL truncates identifiers to 63 bytes, so two long names could
 * silently collide; {@link #bounded} keeps every name within 63 bytes of UTF-8 and, when it has to
 * shorten, appends a hash of the full name so distinct inputs stay distinct.
 * <p>Names are returned raw; quote them with {@link Ident#quote} when rendering SQL.
 */
public final class Names {
    /** PostgreSQL's NAMEDATALEN - 1. */
    public static final int MAX_BYTES = 63;

    private Names() {}

    /** Joins the parts with '_' and bounds the result to 63 bytes (hash suffix when shortened). */
    public static String bounded(String... parts) {
        String full = String.join("_", parts);
        if (utf8Length(full) <= MAX_BYTES) {
            return full;
        }
        String hash = "_" + sha256Hex(full).substring(0, 10);
        int budget = MAX_BYTES - hash.length();
        return truncateUtf8(full, budget) + hash;
    }

    static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    /** Longest prefix of s whose UTF-8 encoding fits in maxBytes, never splitting a code point. */
    static String truncateUtf8(String s, int maxBytes) {
        StringBuilder out = new StringBuilder();
        int used = 0;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            int len = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (used + len > maxBytes) {
                break;
            }
            out.appendCodePoint(cp);
            used += len;
            i += Character.charCount(cp);
        }
        return out.toString();
    }

    public static String sha256Hex(String s) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(md.digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
