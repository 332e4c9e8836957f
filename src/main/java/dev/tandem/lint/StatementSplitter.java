package dev.tandem.lint;

import dev.tandem.sql.SqlTokens;
import dev.tandem.sql.SqlTokens.Kind;
import dev.tandem.sql.SqlTokens.Token;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Splits a SQL script into statements with {@link SqlTokens} (so semicolons inside strings,
 * dollar quotes, quoted identifiers and nested comments do not split) and positions every token.
 *
 * <p>What it understands: {@code ;} at parenthesis depth 0 ends a statement, except inside the
 * {@code BEGIN ATOMIC … END} body of a SQL-standard function (PostgreSQL 14+), where {@code CASE …
 * END} pairs are counted too. Comments of the form {@code -- tandem:ignore rule-a, rule-b} (or the
 * same in a block comment) silence those rules for the statement they stand in or before, or —
 * when written after a statement's semicolon on the same line — for that statement.
 *
 * <p>A psql meta-command ({@code \set}, {@code \connect}, …) standing where a statement would start is
 * skipped to the end of its line. What it does not do: follow {@code \i} includes, or understand
 * {@code COPY … FROM stdin} data; an unterminated string or comment runs to the end of the script
 * and is reported by {@link #unterminated}.
 */
public final class StatementSplitter {
    private static final String IGNORE = "tandem:ignore";

    private StatementSplitter() {}

    /**
     * The statements of {@code sql}; positions count from {@code baseLine}/{@code baseColumn} (the
     * place of the script's first character in its file; columns shift on the first line only).
     */
    public static List<SqlStatement> split(String sql, int baseLine, int baseColumn) {
        List<Token> raw = SqlTokens.tokenize(sql);
        List<SqlStatement> out = new ArrayList<>();
        List<SqlStatement.Tok> current = new ArrayList<>();
        Set<String> ignored = new HashSet<>();
        int line = baseLine;
        int column = baseColumn;
        int offset = 0;
        int start = 0;
        int depth = 0;
        int atomic = 0;
        int lastEndLine = -1;
        SqlStatement lastStatement = null;
        boolean meta = false;
        for (Token t : raw) {
            if (meta || (current.isEmpty() && t.kind() == Kind.OTHER && t.text().equals("\\"))) {
                // a psql meta-command (\set, \connect, …) runs to the end of its line
                meta = !(t.kind() == Kind.SPACE && t.text().contains("\n"));
            } else if (t.kind() == Kind.COMMENT) {
                Set<String> ids = ignoredRules(t.text());
                if (!ids.isEmpty()) {
                    if (current.isEmpty() && lastStatement != null && line == lastEndLine) {
                        // "…; -- tandem:ignore x" after a statement, on its line
                        Set<String> merged = new HashSet<>(lastStatement.ignored());
                        merged.addAll(ids);
                        SqlStatement replaced = new SqlStatement(lastStatement.tokens(), lastStatement.text(), merged);
                        out.set(out.size() - 1, replaced);
                        lastStatement = replaced;
                    } else {
                        ignored.addAll(ids);
                    }
                }
            } else if (t.kind() != Kind.SPACE) {
                boolean terminator = t.kind() == Kind.OTHER && t.text().equals(";") && depth == 0 && atomic == 0;
                if (terminator) {
                    if (!current.isEmpty()) {
                        lastStatement = new SqlStatement(current, sql.substring(start, offset).strip(), ignored);
                        out.add(lastStatement);
                    }
                    current = new ArrayList<>();
                    ignored = new HashSet<>();
                    lastEndLine = line;
                } else {
                    if (current.isEmpty()) {
                        start = offset;
                    }
                    if (t.kind() == Kind.OTHER && t.text().equals(")")) {
                        depth = Math.max(0, depth - 1);
                    }
                    current.add(new SqlStatement.Tok(t.kind(), t.text(), line, column, depth));
                    if (t.kind() == Kind.OTHER && t.text().equals("(")) {
                        depth++;
                    }
                    atomic = atomicDepth(current, atomic);
                }
            }
            // advance the position over the token's text
            for (int k = 0; k < t.text().length(); k++) {
                if (t.text().charAt(k) == '\n') {
                    line++;
                    column = 1;
                } else {
                    column++;
                }
            }
            offset += t.text().length();
        }
        if (!current.isEmpty()) {
            out.add(new SqlStatement(current, sql.substring(start).strip(), ignored));
        }
        return out;
    }

    /** Tracks BEGIN ATOMIC … END (and CASE … END inside it) for the token just added. */
    private static int atomicDepth(List<SqlStatement.Tok> toks, int atomic) {
        SqlStatement.Tok last = toks.get(toks.size() - 1);
        if (last.is("ATOMIC") && toks.size() >= 2 && toks.get(toks.size() - 2).is("BEGIN")) {
            return atomic + 1;
        }
        if (atomic > 0 && last.is("CASE")) {
            return atomic + 1;
        }
        if (atomic > 0 && last.is("END")) {
            return atomic - 1;
        }
        return atomic;
    }

    /** Rule ids named by a {@code tandem:ignore} comment; empty for any other comment. */
    static Set<String> ignoredRules(String comment) {
        String body = comment.startsWith("--") ? comment.substring(2)
                : comment.substring(2, Math.max(2, comment.length() - (comment.endsWith("*/") ? 2 : 0)));
        body = body.strip();
        if (!body.toLowerCase(Locale.ROOT).startsWith(IGNORE)) {
            return Set.of();
        }
        Set<String> ids = new HashSet<>();
        for (String part : body.substring(IGNORE.length()).split("[\\s,]+")) {
            if (!part.isBlank()) {
                ids.add(part.strip().toLowerCase(Locale.ROOT));
            }
        }
        return ids;
    }

    /**
     * The 1-based line and column where an unterminated string, quoted identifier or block comment
     * starts, or null when the script has none.
     */
    public static int[] unterminated(String sql, int baseLine, int baseColumn) {
        int line = baseLine;
        int column = baseColumn;
        for (Token t : SqlTokens.tokenize(sql)) {
            if (!closed(t)) {
                return new int[] {line, column};
            }
            for (int k = 0; k < t.text().length(); k++) {
                if (t.text().charAt(k) == '\n') {
                    line++;
                    column = 1;
                } else {
                    column++;
                }
            }
        }
        return null;
    }

    private static boolean closed(Token t) {
        String s = t.text();
        return switch (t.kind()) {
            case QUOTED_IDENT -> s.length() >= 2 && s.endsWith("\"") && !endsWithEscapedQuote(s, '"', 1);
            case STRING -> stringClosed(s);
            case COMMENT -> !s.startsWith("/*") || blockClosed(s);
            default -> true;
        };
    }

    private static boolean stringClosed(String s) {
        if (s.startsWith("$")) {
            int tagEnd = s.indexOf('$', 1) + 1;
            String tag = s.substring(0, tagEnd);
            return s.length() >= 2 * tag.length() && s.endsWith(tag);
        }
        int open = s.charAt(0) == '\'' ? 1 : 2;
        if (s.length() <= open || !s.endsWith("'")) {
            return false;
        }
        if (open == 2) { // E'…': a backslash escapes the next character
            int i = open;
            while (i < s.length()) {
                char c = s.charAt(i);
                if (c == '\\') {
                    i += 2;
                } else if (c == '\'') {
                    if (i + 1 < s.length() && s.charAt(i + 1) == '\'') {
                        i += 2;
                    } else {
                        return i == s.length() - 1;
                    }
                } else {
                    i++;
                }
            }
            return false;
        }
        return !endsWithEscapedQuote(s, '\'', open);
    }

    /** Whether the closing quote is really the second half of a doubled quote (so the literal runs on). */
    private static boolean endsWithEscapedQuote(String s, char q, int open) {
        int i = open;
        while (i < s.length()) {
            if (s.charAt(i) == q) {
                if (i + 1 < s.length() && s.charAt(i + 1) == q) {
                    i += 2;
                } else {
                    return i != s.length() - 1;
                }
            } else {
                i++;
            }
        }
        return true;
    }

    private static boolean blockClosed(String s) {
        int depth = 0;
        int i = 0;
        while (i < s.length()) {
            if (s.startsWith("/*", i)) {
                depth++;
                i += 2;
            } else if (s.startsWith("*/", i)) {
                depth--;
                i += 2;
                if (depth == 0) {
                    return i == s.length();
                }
            } else {
                i++;
            }
        }
        return false;
    }
}
