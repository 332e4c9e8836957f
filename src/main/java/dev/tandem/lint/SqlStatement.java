package dev.tandem.lint;

import dev.tandem.sql.SqlTokens;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One statement of a SQL script as the linter sees it: its significant tokens (no spaces, no
 * comments) with their positions and parenthesis depth, the statement's text, and the rule ids a
 * {@code -- tandem:ignore} comment silences for it.
 * <p>Matching helpers work on words (unquoted identifiers and keywords, case-insensitive) at a
 * given depth, so a keyword inside a string, a quoted identifier, a comment or a nested
 * parenthesis never matches. It is not a parser: it does not know the grammar, only where words
 * stand.
 *
 * @param tokens significant tokens in order
 * @param text the statement's source text (without the terminating semicolon)
 * @param ignored rule ids silenced for this statement
 */
public record SqlStatement(List<Tok> tokens, String text, Set<String> ignored) {
    public SqlStatement {
        tokens = List.copyOf(tokens);
        ignored = Set.copyOf(ignored);
    }

    /**
     * A significant token.
     *
     * @param kind token kind
     * @param text the text exactly as in the source
     * @param line 1-based line in the file
     * @param column 1-based column in the file
     * @param depth parentheses open around this token within the statement ({@code (} and {@code )} have the depth outside them)
     */
    public record Tok(SqlTokens.Kind kind, String text, int line, int column, int depth) {
        /** Whether this is the unquoted word {@code w} (case-insensitive). */
        public boolean is(String w) {
            return kind == SqlTokens.Kind.WORD && text.equalsIgnoreCase(w);
        }

        /** Whether this is the punctuation {@code s}. */
        public boolean isSymbol(String s) {
            return kind == SqlTokens.Kind.OTHER && text.equals(s);
        }

        /** Upper-case word, or null for anything that is not an unquoted word. */
        public String word() {
            return kind == SqlTokens.Kind.WORD ? text.toUpperCase(Locale.ROOT) : null;
        }

        /** The identifier this token names (words fold to lower case, quoted ones are exact), or null. */
        public String identifier() {
            return new SqlTokens.Token(kind, text).identifier();
        }
    }

    public int size() {
        return tokens.size();
    }

    public Tok get(int i) {
        return tokens.get(i);
    }

    public boolean isEmpty() {
        return tokens.isEmpty();
    }

    /** Position of the first token. */
    public Tok first() {
        return tokens.get(0);
    }

    /** Whether the words {@code words} stand at index {@code i} (case-insensitive). */
    public boolean wordsAt(int i, String... words) {
        if (i < 0 || i + words.length > tokens.size()) {
            return false;
        }
        for (int k = 0; k < words.length; k++) {
            if (!tokens.get(i + k).is(words[k])) {
                return false;
            }
        }
        return true;
    }

    public boolean startsWith(String... words) {
        return wordsAt(0, words);
    }

    /** Index of the first occurrence of the word sequence at {@code depth} within [from, to), or -1. */
    public int find(int from, int to, int depth, String... words) {
        for (int i = Math.max(0, from); i < Math.min(to, tokens.size()); i++) {
            if (tokens.get(i).depth() == depth && wordsAt(i, words)) {
                return i;
            }
        }
        return -1;
    }

    /** Index of the first occurrence of the word sequence anywhere (any depth) at or after {@code from}, or -1. */
    public int findAnyDepth(int from, String... words) {
        for (int i = Math.max(0, from); i < tokens.size(); i++) {
            if (wordsAt(i, words)) {
                return i;
            }
        }
        return -1;
    }

    /** Index of the {@code )} closing the {@code (} at {@code open}, or the statement's end. */
    public int closing(int open) {
        int depth = tokens.get(open).depth();
        for (int i = open + 1; i < tokens.size(); i++) {
            if (tokens.get(i).isSymbol(")") && tokens.get(i).depth() == depth) {
                return i;
            }
        }
        return tokens.size();
    }

    /**
     * Splits [from, to) at commas of the given depth, e.g. the actions of an ALTER TABLE or the
     * elements of a column list. Returns [start, end) pairs.
     */
    public List<int[]> splitAtCommas(int from, int to, int depth) {
        List<int[]> parts = new ArrayList<>();
        int start = from;
        for (int i = from; i < to; i++) {
            Tok t = tokens.get(i);
            if (t.isSymbol(",") && t.depth() == depth) {
                parts.add(new int[] {start, i});
                start = i + 1;
            }
        }
        if (start < to) {
            parts.add(new int[] {start, to});
        }
        return parts;
    }

    /**
     * Reads a possibly qualified name ({@code a}, {@code s.a}, {@code "S"."a b"}) at {@code i}.
     *
     * @return the name and the index after it, or null when no identifier stands there
     */
    public Name name(int i) {
        if (i >= tokens.size() || tokens.get(i).identifier() == null) {
            return null;
        }
        List<String> parts = new ArrayList<>();
        parts.add(tokens.get(i).identifier());
        int j = i + 1;
        while (j + 1 < tokens.size() && tokens.get(j).isSymbol(".") && tokens.get(j + 1).identifier() != null) {
            parts.add(tokens.get(j + 1).identifier());
            j += 2;
        }
        return new Name(String.join(".", parts), parts.get(parts.size() - 1), j);
    }

    /**
     * A name read from the statement.
     *
     * @param display as written, parts joined with dots (identifiers folded as PostgreSQL folds them)
     * @param last the last part (a table's name without its schema)
     * @param next index of the token after the name
     */
    public record Name(String display, String last, int next) {}

    /** The source text of the tokens [from, to), single-spaced. */
    public String textOf(int from, int to) {
        StringBuilder sb = new StringBuilder();
        for (int i = from; i < Math.min(to, tokens.size()); i++) {
            Tok t = tokens.get(i);
            if (sb.length() > 0 && needsSpace(tokens.get(i - 1), t)) {
                sb.append(' ');
            }
            sb.append(t.text());
        }
        return sb.toString();
    }

    private static boolean needsSpace(Tok prev, Tok t) {
        boolean prevGlue = prev.isSymbol("(") || prev.isSymbol(".") || prev.isSymbol(":") || prev.isSymbol("[");
        boolean glue = t.isSymbol(")") || t.isSymbol(",") || t.isSymbol(".") || t.isSymbol("(") || t.isSymbol(":")
                || t.isSymbol("[") || t.isSymbol("]");
        return !prevGlue && !glue;
    }
}
