package dev.tandem.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A PostgreSQL lexer good enough to find identifiers in an expression: it understands
 * single-quoted strings (with '' and E'' escapes), double-quoted identifiers, dollar-quoted
 * strings, line and block comments (nested), numbers and operators. It is not a parser: it does
 * not know what an identifier refers to, only that it is one. A word followed by {@code (} is a
 * function name and is not treated as a column.
 */
public final class SqlTokens {
    /** Token kinds. */
    public enum Kind { WORD, QUOTED_IDENT, STRING, NUMBER, COMMENT, SPACE, OTHER }

    /** One token and its text exactly as in the source. */
    public record Token(Kind kind, String text) {
        /** The identifier this token names: unquoted words fold to lower case, quoted ones are exact. */
        public String identifier() {
            return switch (kind) {
                case WORD -> text.toLowerCase(Locale.ROOT);
                case QUOTED_IDENT -> text.substring(1, text.length() - 1).replace("\"\"", "\"");
                default -> null;
            };
        }
    }

    private SqlTokens() {}

    public static List<Token> tokenize(String sql) {
        List<Token> out = new ArrayList<>();
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            int start = i;
            if (Character.isWhitespace(c)) {
                while (i < n && Character.isWhitespace(sql.charAt(i))) i++;
                out.add(new Token(Kind.SPACE, sql.substring(start, i)));
            } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                while (i < n && sql.charAt(i) != '\n') i++;
                out.add(new Token(Kind.COMMENT, sql.substring(start, i)));
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int depth = 0;
                do {
                    if (sql.startsWith("/*", i)) { depth++; i += 2; }
                    else if (sql.startsWith("*/", i)) { depth--; i += 2; }
                    else i++;
                } while (i < n && depth > 0);
                out.add(new Token(Kind.COMMENT, sql.substring(start, Math.min(i, n))));
            } else if (c == '\'' || ((c == 'E' || c == 'e') && i + 1 < n && sql.charAt(i + 1) == '\'')) {
                boolean escapes = c != '\'';
                i += escapes ? 2 : 1;
                while (i < n) {
                    char d = sql.charAt(i);
                    if (escapes && d == '\\') { i += 2; continue; }
                    if (d == '\'') {
                        if (i + 1 < n && sql.charAt(i + 1) == '\'') { i += 2; continue; }
                        i++;
                        break;
                    }
                    i++;
                }
                out.add(new Token(Kind.STRING, sql.substring(start, Math.min(i, n))));
            } else if (c == '"') {
                i++;
                while (i < n) {
                    if (sql.charAt(i) == '"') {
                        if (i + 1 < n && sql.charAt(i + 1) == '"') { i += 2; continue; }
                        i++;
                        break;
                    }
                    i++;
                }
                out.add(new Token(Kind.QUOTED_IDENT, sql.substring(start, Math.min(i, n))));
            } else if (c == '$' && dollarTagEnd(sql, i) > 0) {
                int tagEnd = dollarTagEnd(sql, i);
                String tag = sql.substring(i, tagEnd);
                int close = sql.indexOf(tag, tagEnd);
                i = close < 0 ? n : close + tag.length();
                out.add(new Token(Kind.STRING, sql.substring(start, i)));
            } else if (Character.isLetter(c) || c == '_') {
                while (i < n && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '_' || sql.charAt(i) == '$')) i++;
                out.add(new Token(Kind.WORD, sql.substring(start, i)));
            } else if (Character.isDigit(c)) {
                while (i < n && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '.')) i++;
                out.add(new Token(Kind.NUMBER, sql.substring(start, i)));
            } else {
                i++;
                out.add(new Token(Kind.OTHER, sql.substring(start, i)));
            }
        }
        return out;
    }

    /** End index (exclusive) of a dollar-quote tag starting at i ({@code $$} or {@code $tag$}), or -1. */
    private static int dollarTagEnd(String sql, int i) {
        int j = i + 1;
        while (j < sql.length() && (Character.isLetterOrDigit(sql.charAt(j)) || sql.charAt(j) == '_')) {
            if (j == i + 1 && Character.isDigit(sql.charAt(j))) return -1; // $1 is a parameter
            j++;
        }
        return j < sql.length() && sql.charAt(j) == '$' ? j + 1 : -1;
    }

    /** Whether the SQL mentions {@code column} as a column reference (not as a function name). */
    public static boolean mentionsColumn(String sql, String column) {
        List<Token> tokens = tokenize(sql);
        for (int i = 0; i < tokens.size(); i++) {
            if (isColumnRef(tokens, i, column)) return true;
        }
        return false;
    }

    /** Replaces every column reference to {@code from} with the quoted {@code to}; everything else verbatim. */
    public static String replaceColumn(String sql, String from, String to) {
        List<Token> tokens = tokenize(sql);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < tokens.size(); i++) {
            sb.append(isColumnRef(tokens, i, from) ? Ident.quote(to) : tokens.get(i).text());
        }
        return sb.toString();
    }

    /**
     * Like {@link #replaceColumn} but only before the first occurrence of the word {@code keyword}
     * (e.g. the local columns of {@code FOREIGN KEY (…) REFERENCES t(…)}, not the referenced ones).
     */
    public static String replaceColumnsBefore(String sql, String keyword, String from, String to) {
        List<Token> tokens = tokenize(sql);
        StringBuilder sb = new StringBuilder();
        boolean seen = false;
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.kind() == Kind.WORD && t.identifier().equals(keyword)) seen = true;
            sb.append(!seen && isColumnRef(tokens, i, from) ? Ident.quote(to) : t.text());
        }
        return sb.toString();
    }

    /** The text after the first word {@code keyword} (case-insensitive, outside quotes), leading space removed. */
    public static String afterKeyword(String sql, String keyword) {
        List<Token> tokens = tokenize(sql);
        StringBuilder sb = new StringBuilder();
        boolean seen = false;
        for (Token t : tokens) {
            if (seen) sb.append(t.text());
            else if (t.kind() == Kind.WORD && t.identifier().equals(keyword)) seen = true;
        }
        if (!seen) throw new IllegalArgumentException("no " + keyword + " in: " + sql);
        return sb.toString().stripLeading();
    }

    private static boolean isColumnRef(List<Token> tokens, int i, String column) {
        Token t = tokens.get(i);
        if (!column.equals(t.identifier())) return false;
        for (int j = i + 1; j < tokens.size(); j++) {
            Token next = tokens.get(j);
            if (next.kind() == Kind.SPACE || next.kind() == Kind.COMMENT) continue;
            return !next.text().equals("(");
        }
        return true;
    }
}
