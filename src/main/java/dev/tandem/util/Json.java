package dev.tandem.util;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * A small, strict JSON (RFC 8259) writer and parser over plain Java values, so that Tandem needs no
 * JSON library.
 *
 * <h2>Writing</h2>
 * {@link #write(Object)} produces compact text, {@link #pretty(Object)} the same indented by two
 * spaces. Accepted values:
 * <ul>
 *   <li>{@code null}, {@link Boolean}</li>
 *   <li>{@link Number}: integer types (including {@link BigInteger}) as integers; {@link Double} and
 *       {@link Float} as decimals with a fraction ({@code 3.0}, {@code 0.001}), using an exponent only
 *       below 1e-6 or from 1e21 on; NaN and infinities are rejected; {@link BigDecimal} as plain
 *       digits when that is short</li>
 *   <li>{@link CharSequence} and {@link Character}: quoted; {@code "} and {@code \} escaped, control
 *       characters as {@code \n}, {@code \t}, … or <code>&#92;u00XX</code>, U+2028/U+2029 and unpaired
 *       surrogates as <code>&#92;uXXXX</code>; all other characters (any unicode) are written as they are</li>
 *   <li>{@link Map}: an object; keys are written with {@code String.valueOf(key)} (null keys, and
 *       two keys with the same string form, are rejected) in the map's iteration order, so pass a
 *       {@link LinkedHashMap} for a stable order</li>
 *   <li>{@link Iterable} (lists, sets, …) and {@code Object[]}: an array</li>
 *   <li>{@link Optional}: its value, or {@code null} when empty</li>
 *   <li>{@link Enum}: its {@code toString()} as a string</li>
 * </ul>
 * Anything else (records, beans, dates, primitive arrays) is rejected with an
 * {@link IllegalArgumentException}: callers convert their objects to maps explicitly. Cyclic
 * structures are rejected too.
 *
 * <h2>Parsing</h2>
 * {@link #parse(String)} returns a tree of {@link LinkedHashMap}{@code <String,Object>} (member
 * order kept), {@link ArrayList}{@code <Object>}, {@link String}, {@link Long} (integers without a
 * fraction or exponent), {@link Double} (every other number), {@link Boolean} and {@code null}. It
 * is strict: no comments, no trailing commas, no single quotes, no leading zeros, no unescaped
 * control characters in strings, no duplicate object keys, no garbage after the value, no byte
 * order mark. Integers beyond the range of {@code long} are returned as {@link BigInteger} rather
 * than silently rounded; decimals whose magnitude overflows a double are an error. Escaped surrogate
 * pairs (<code>&#92;uD83D&#92;uDE00</code>) become the one character they encode. Errors are
 * {@link ParseException}s (an {@link IllegalArgumentException}) that carry the offset (in UTF-16
 * code units) where the input went wrong. Nesting deeper than {@value #MAX_DEPTH} levels is refused
 * in both directions, so hostile input cannot overflow the stack.
 *
 * <p>Not handled: streaming, reading from a {@code Reader}, numbers as {@link BigDecimal} on
 * parse, pretty-printing options other than two spaces.
 */
public final class Json {
    /** Maximum nesting of arrays and objects accepted by the writer and the parser. */
    public static final int MAX_DEPTH = 512;

    private static final Pattern JSON_NUMBER = Pattern.compile("-?(?:0|[1-9][0-9]*)(?:\\.[0-9]+)?(?:[eE][+-]?[0-9]+)?");
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Json() {}

    /** Compact JSON for {@code value}. @throws IllegalArgumentException for values JSON cannot hold */
    public static String write(Object value) {
        StringBuilder out = new StringBuilder();
        new Writer(out, null).value(value, 0);
        return out.toString();
    }

    /** JSON for {@code value}, indented by two spaces, one member or element per line; no trailing newline. */
    public static String pretty(Object value) {
        StringBuilder out = new StringBuilder();
        new Writer(out, "  ").value(value, 0);
        return out.toString();
    }

    /** A JSON string literal for {@code s}, with the escaping described on this class. */
    public static String quote(CharSequence s) {
        StringBuilder out = new StringBuilder(s.length() + 2);
        writeString(out, s);
        return out.toString();
    }

    /**
     * Parses one JSON text (surrounding whitespace allowed).
     *
     * @throws ParseException with the offset of the first error
     * @throws NullPointerException when {@code json} is null
     */
    public static Object parse(String json) {
        if (json == null) {
            throw new NullPointerException("json");
        }
        Parser p = new Parser(json);
        p.skipWhitespace();
        Object v = p.value(0);
        p.skipWhitespace();
        if (p.pos < json.length()) {
            throw p.error("unexpected " + describe(json, p.pos) + " after the JSON value");
        }
        return v;
    }

    /** Invalid JSON text; {@link #offset()} is the position (UTF-16 index) of the error. */
    public static final class ParseException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;
        private final int offset;

        ParseException(String message, int offset) {
            super("invalid JSON at offset " + offset + ": " + message);
            this.offset = offset;
        }

        public int offset() {
            return offset;
        }
    }

    // ------------------------------------------------------------------ writer

    private static final class Writer {
        private final StringBuilder out;
        private final String indent; // null: compact
        private final Set<Object> inProgress = Collections.newSetFromMap(new IdentityHashMap<>());

        Writer(StringBuilder out, String indent) {
            this.out = out;
            this.indent = indent;
        }

        void value(Object v, int depth) {
            if (v == null) {
                out.append("null");
            } else if (v instanceof Boolean b) {
                out.append(b.booleanValue());
            } else if (v instanceof Number n) {
                out.append(number(n));
            } else if (v instanceof CharSequence cs) {
                writeString(out, cs);
            } else if (v instanceof Character c) {
                writeString(out, String.valueOf(c.charValue()));
            } else if (v instanceof Enum<?> e) {
                writeString(out, e.toString());
            } else if (v instanceof Optional<?> o) {
                value(o.orElse(null), depth);
            } else if (v instanceof Map<?, ?> m) {
                enter(v, depth);
                object(m, depth);
                inProgress.remove(v);
            } else if (v instanceof Iterable<?> it) {
                enter(v, depth);
                array(it, depth);
                inProgress.remove(v);
            } else if (v instanceof Object[] arr) {
                enter(v, depth);
                array(java.util.Arrays.asList(arr), depth);
                inProgress.remove(v);
            } else {
                throw new IllegalArgumentException("cannot write a " + v.getClass().getName()
                        + " as JSON; convert it to a map, list, string, number or boolean first");
            }
        }

        private void enter(Object container, int depth) {
            if (depth >= MAX_DEPTH) {
                throw new IllegalArgumentException("JSON nesting deeper than " + MAX_DEPTH + " levels");
            }
            if (!inProgress.add(container)) {
                throw new IllegalArgumentException("cannot write a cyclic structure as JSON");
            }
        }

        private void object(Map<?, ?> m, int depth) {
            out.append('{');
            boolean first = true;
            Set<String> written = new java.util.HashSet<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (e.getKey() == null) {
                    throw new IllegalArgumentException("JSON object keys cannot be null");
                }
                String key = String.valueOf(e.getKey());
                if (!written.add(key)) { // e.g. keys 1 and "1"
                    throw new IllegalArgumentException("two keys of one map are both written as " + quote(key));
                }
                if (!first) {
                    out.append(',');
                }
                first = false;
                newline(depth + 1);
                writeString(out, key);
                out.append(indent == null ? ":" : ": ");
                value(e.getValue(), depth + 1);
            }
            if (!first) {
                newline(depth);
            }
            out.append('}');
        }

        private void array(Iterable<?> it, int depth) {
            out.append('[');
            boolean first = true;
            for (Object o : it) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                newline(depth + 1);
                value(o, depth + 1);
            }
            if (!first) {
                newline(depth);
            }
            out.append(']');
        }

        private void newline(int depth) {
            if (indent != null) {
                out.append('\n');
                out.append(indent.repeat(depth));
            }
        }
    }

    private static String number(Number n) {
        if (n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte
                || n instanceof BigInteger || n instanceof AtomicInteger || n instanceof AtomicLong) {
            return n.toString();
        }
        if (n instanceof Double d) {
            return decimal(d);
        }
        if (n instanceof Float f) {
            if (!Float.isFinite(f)) {
                throw new IllegalArgumentException("JSON cannot hold " + f);
            }
            // via the float's own shortest decimal form, so 0.1f is written 0.1, not 0.10000000149011612
            return decimal(Double.parseDouble(Float.toString(f)));
        }
        if (n instanceof BigDecimal bd) {
            String plain = bd.toPlainString();
            return plain.length() <= 40 ? plain : bd.toString();
        }
        String s = n.toString();
        if (!JSON_NUMBER.matcher(s).matches()) {
            throw new IllegalArgumentException("cannot write number " + s + " (" + n.getClass().getName() + ") as JSON");
        }
        return s;
    }

    private static String decimal(double d) {
        if (!Double.isFinite(d)) {
            throw new IllegalArgumentException("JSON cannot hold " + d);
        }
        if (d == 0) {
            return Double.doubleToRawLongBits(d) < 0 ? "-0.0" : "0.0";
        }
        double abs = Math.abs(d);
        if (abs >= 1e-6 && abs < 1e21) {
            String s = BigDecimal.valueOf(d).toPlainString();
            return s.indexOf('.') < 0 ? s + ".0" : s;
        }
        return Double.toString(d); // "1.0E-7", "1.0E21": valid JSON
    }

    private static void writeString(StringBuilder out, CharSequence s) {
        out.append('"');
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        unicodeEscape(out, c);
                    } else if (Character.isHighSurrogate(c)) {
                        if (i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                            out.append(c).append(s.charAt(++i));
                        } else {
                            unicodeEscape(out, c);
                        }
                    } else if (Character.isLowSurrogate(c)) {
                        unicodeEscape(out, c); // unpaired: escaped so the text stays valid UTF-8
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static void unicodeEscape(StringBuilder out, char c) {
        out.append("\\u").append(HEX[(c >> 12) & 0xF]).append(HEX[(c >> 8) & 0xF])
                .append(HEX[(c >> 4) & 0xF]).append(HEX[c & 0xF]);
    }

    // ------------------------------------------------------------------ parser

    private static final class Parser {
        private final String s;
        private int pos;

        Parser(String s) {
            this.s = s;
        }

        ParseException error(String message) {
            return new ParseException(message, pos);
        }

        ParseException error(String message, int at) {
            return new ParseException(message, at);
        }

        void skipWhitespace() {
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                    pos++;
                } else {
                    break;
                }
            }
        }

        Object value(int depth) {
            if (pos >= s.length()) {
                throw error("unexpected end of input, expected a value");
            }
            char c = s.charAt(pos);
            switch (c) {
                case '{':
                    return object(depth + 1);
                case '[':
                    return array(depth + 1);
                case '"':
                    return string();
                case 't':
                    return literal("true", Boolean.TRUE);
                case 'f':
                    return literal("false", Boolean.FALSE);
                case 'n':
                    return literal("null", null);
                default:
                    if (c == '-' || (c >= '0' && c <= '9')) {
                        return number();
                    }
                    throw error("unexpected " + describe(s, pos) + ", expected a value");
            }
        }

        private Object literal(String word, Object result) {
            if (!s.startsWith(word, pos)) {
                throw error("unexpected " + describe(s, pos) + ", expected a value");
            }
            pos += word.length();
            return result;
        }

        private Map<String, Object> object(int depth) {
            checkDepth(depth);
            pos++; // {
            Map<String, Object> map = new LinkedHashMap<>();
            skipWhitespace();
            if (peek() == '}') {
                pos++;
                return map;
            }
            while (true) {
                skipWhitespace();
                if (peek() != '"') {
                    throw error(atEnd() ? "unterminated object" : "unexpected " + describe(s, pos) + ", expected a string key");
                }
                int keyAt = pos;
                String key = string();
                skipWhitespace();
                if (peek() != ':') {
                    throw error(atEnd() ? "unterminated object" : "unexpected " + describe(s, pos) + ", expected ':'");
                }
                pos++;
                skipWhitespace();
                Object v = value(depth);
                if (map.containsKey(key)) {
                    throw error("duplicate key " + quote(key), keyAt);
                }
                map.put(key, v);
                skipWhitespace();
                char c = peek();
                if (c == ',') {
                    pos++;
                } else if (c == '}') {
                    pos++;
                    return map;
                } else {
                    throw error(atEnd() ? "unterminated object" : "unexpected " + describe(s, pos) + ", expected ',' or '}'");
                }
            }
        }

        private List<Object> array(int depth) {
            checkDepth(depth);
            pos++; // [
            List<Object> list = new ArrayList<>();
            skipWhitespace();
            if (peek() == ']') {
                pos++;
                return list;
            }
            while (true) {
                skipWhitespace();
                list.add(value(depth));
                skipWhitespace();
                char c = peek();
                if (c == ',') {
                    pos++;
                } else if (c == ']') {
                    pos++;
                    return list;
                } else {
                    throw error(atEnd() ? "unterminated array" : "unexpected " + describe(s, pos) + ", expected ',' or ']'");
                }
            }
        }

        private void checkDepth(int depth) {
            if (depth > MAX_DEPTH) {
                throw error("nesting deeper than " + MAX_DEPTH + " levels");
            }
        }

        private String string() {
            int start = pos;
            pos++; // opening quote
            StringBuilder sb = null;
            int runStart = pos;
            while (true) {
                if (pos >= s.length()) {
                    throw error("unterminated string", start);
                }
                char c = s.charAt(pos);
                if (c == '"') {
                    String result = sb == null ? s.substring(runStart, pos) : sb.append(s, runStart, pos).toString();
                    pos++;
                    return result;
                }
                if (c < 0x20) {
                    throw error("unescaped control character U+" + hex4(c) + " in string");
                }
                if (c != '\\') {
                    pos++;
                    continue;
                }
                if (sb == null) {
                    sb = new StringBuilder();
                }
                sb.append(s, runStart, pos);
                int escAt = pos;
                pos++;
                if (pos >= s.length()) {
                    throw error("unterminated string", start);
                }
                char e = s.charAt(pos++);
                switch (e) {
                    case '"' -> sb.append('"');
                    case '\\' -> sb.append('\\');
                    case '/' -> sb.append('/');
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'n' -> sb.append('\n');
                    case 'r' -> sb.append('\r');
                    case 't' -> sb.append('\t');
                    case 'u' -> sb.append(hexEscape(escAt));
                    default -> throw error("invalid escape \\" + printable(e), escAt);
                }
                runStart = pos;
            }
        }

        /** The four hex digits after the <code>&#92;u</code>; a surrogate pair is simply two consecutive escapes. */
        private char hexEscape(int escAt) {
            if (pos + 4 > s.length()) {
                throw error("invalid \\u escape: expected four hex digits", escAt);
            }
            int v = 0;
            for (int i = 0; i < 4; i++) {
                int d = hexDigit(s.charAt(pos + i));
                if (d < 0) {
                    throw error("invalid \\u escape: expected four hex digits", escAt);
                }
                v = (v << 4) | d;
            }
            pos += 4;
            return (char) v;
        }

        private static int hexDigit(char c) {
            if (c >= '0' && c <= '9') {
                return c - '0';
            }
            if (c >= 'a' && c <= 'f') {
                return c - 'a' + 10;
            }
            if (c >= 'A' && c <= 'F') {
                return c - 'A' + 10;
            }
            return -1;
        }

        private Object number() {
            int start = pos;
            if (peek() == '-') {
                pos++;
            }
            char c = peek();
            if (c == '0') {
                pos++;
                if (isDigit(peek())) {
                    throw error("leading zero in number", start);
                }
            } else if (c >= '1' && c <= '9') {
                skipDigits();
            } else {
                throw error(atEnd() ? "unexpected end of input in number" : "unexpected " + describe(s, pos) + " in number");
            }
            boolean integral = true;
            if (peek() == '.') {
                pos++;
                integral = false;
                if (!isDigit(peek())) {
                    throw error("expected a digit after the decimal point");
                }
                skipDigits();
            }
            if (peek() == 'e' || peek() == 'E') {
                pos++;
                integral = false;
                if (peek() == '+' || peek() == '-') {
                    pos++;
                }
                if (!isDigit(peek())) {
                    throw error("expected a digit in the exponent");
                }
                skipDigits();
            }
            String text = s.substring(start, pos);
            if (integral) {
                try {
                    return Long.parseLong(text);
                } catch (NumberFormatException tooBig) {
                    return new BigInteger(text);
                }
            }
            double d = Double.parseDouble(text);
            if (Double.isInfinite(d)) {
                throw error("number " + text + " is out of range", start);
            }
            return d;
        }

        private void skipDigits() {
            while (isDigit(peek())) {
                pos++;
            }
        }

        private static boolean isDigit(char c) {
            return c >= '0' && c <= '9';
        }

        private boolean atEnd() {
            return pos >= s.length();
        }

        /** The current character, or NUL at the end (NUL is never valid outside strings). */
        private char peek() {
            return pos < s.length() ? s.charAt(pos) : '\0';
        }
    }

    private static String describe(String s, int pos) {
        if (pos >= s.length()) {
            return "end of input";
        }
        return "character " + printable(s.charAt(pos));
    }

    private static String printable(char c) {
        if (c < 0x20 || c == 0x7f || Character.isSurrogate(c) || Character.isSpaceChar(c) && c != ' ') {
            return "U+" + hex4(c);
        }
        return "'" + c + "'";
    }

    private static String hex4(char c) {
        return String.format("%04X", (int) c);
    }
}
