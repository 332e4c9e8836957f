package dev.tandem.plan.mechanics;

import dev.tandem.sql.Ident;
import dev.tandem.sql.SqlTokens;
import dev.tandem.sql.SqlTokens.Kind;
import dev.tandem.sql.SqlTokens.Token;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns an author's expression over a row ({@code priority::bigint}, {@code coalesce(a, b)}) into
 * the same expression over {@code NEW} in a trigger function, where each column may live under
 * another name for the time being ({@code NEW."tandem_new_0001_priority"}).
 * <p>A column reference is a bare or double-quoted identifier naming one of the table's columns
 * that is not a function name (followed by {@code (}), not qualified ({@code x.col}) or a
 * qualifier itself ({@code col.field}), and not a type name ({@code ::type}, {@code AS type}).
 * Everything else — strings, comments, operators — is copied verbatim. It is a lexer, not a
 * parser: a column whose name is also used as a bare keyword in the expression could be
 * misread; such expressions should double-quote the column.
 */
public final class RowExpression {
    private RowExpression() {}

    /**
     * The expression with every reference to a column of {@code columns} replaced by
     * {@code NEW."name"}, where name is {@code renames.get(column)} when present.
     */
    public static String overNew(String expression, Set<String> columns, Map<String, String> renames) {
        List<Token> tokens = SqlTokens.tokenize(expression);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            String id = t.identifier();
            if (id != null && columns.contains(id) && isColumnReference(tokens, i)) {
                sb.append("NEW.").append(Ident.quote(renames.getOrDefault(id, id)));
            } else {
                sb.append(t.text());
            }
        }
        return sb.toString();
    }

    /**
     * The expression with every reference to {@code column} replaced by {@code (replacement)}, or
     * empty when it refers to another column of {@code columns} (then it is not a function of that
     * column alone) — e.g. up(default) to carry a column default over to the new type.
     */
    public static java.util.Optional<String> substitute(String expression, String column, String replacement, Set<String> columns) {
        List<Token> tokens = SqlTokens.tokenize(expression);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            String id = t.identifier();
            if (id != null && columns.contains(id) && isColumnReference(tokens, i)) {
                if (!id.equals(column)) {
                    return java.util.Optional.empty();
                }
                sb.append('(').append(replacement).append(')');
            } else {
                sb.append(t.text());
            }
        }
        return java.util.Optional.of(sb.toString());
    }

    private static boolean isColumnReference(List<Token> tokens, int i) {
        Token prev = neighbour(tokens, i, -1);
        Token next = neighbour(tokens, i, 1);
        if (next != null && (next.text().equals("(") || next.text().equals("."))) {
            return false;
        }
        if (prev == null) {
            return true;
        }
        if (prev.text().equals(".")) {
            return false;
        }
        if (prev.kind() == Kind.WORD && prev.text().toLowerCase(Locale.ROOT).equals("as")) {
            return false;
        }
        // "::type": the lexer returns ':' ':' as two OTHER tokens
        Token prev2 = neighbour(tokens, i - 1 - skipped(tokens, i, -1), -1);
        return !(prev.text().equals(":") && prev2 != null && prev2.text().equals(":"));
    }

    private static int skipped(List<Token> tokens, int i, int dir) {
        int n = 0;
        for (int j = i + dir; j >= 0 && j < tokens.size(); j += dir) {
            Kind k = tokens.get(j).kind();
            if (k != Kind.SPACE && k != Kind.COMMENT) {
                return n;
            }
            n++;
        }
        return n;
    }

    private static Token neighbour(List<Token> tokens, int i, int dir) {
        for (int j = i + dir; j >= 0 && j < tokens.size(); j += dir) {
            Token t = tokens.get(j);
            if (t.kind() != Kind.SPACE && t.kind() != Kind.COMMENT) {
                return t;
            }
        }
        return null;
    }
}
