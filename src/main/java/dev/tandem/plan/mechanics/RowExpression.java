package dev.tandem.plan.mechanics;

import dev.tandem.catalog.Table;
import dev.tandem.sql.Ident;
import dev.tandem.sql.SqlTokens;
import dev.tandem.sql.SqlTokens.Kind;
import dev.tandem.sql.SqlTokens.Token;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Author-written row expressions ({@code up}/{@code down} of a changelog), which name the table's
 * columns directly ({@code split_part(full_name, ' ', 1)}).
 * <ul>
 *   <li>In a backfill {@code UPDATE t SET c = (expr)} they are used as written: the row's columns
 *       are in scope.</li>
 *   <li>In a trigger they are evaluated over {@code NEW} without rewriting them:
 *       {@link #overNew} wraps them as {@code (SELECT (expr) FROM (SELECT NEW.*) AS tandem_row)},
 *       so every column of the row is in scope under its real name, whatever its spelling or
 *       quoting, and the author's text is never re-tokenized or edited.</li>
 *   <li>{@link #overNewRenamed} and {@link #substitute} do rewrite the text, token by token, for
 *       {@code change_column_type}, where a column lives under a temporary name for a while
 *       ({@code NEW."tandem_new_0001_priority"}) and a default must become {@code up(default)}. A
 *       column reference there is a bare or double-quoted identifier naming one of the table's
 *       columns that is not a function name, not qualified, not a qualifier and not a type name;
 *       it is a lexer, not a parser, so a column whose name is also used as a bare keyword in the
 *       expression should be double-quoted.</li>
 *   <li>{@link #columnsOf} tells which of the table's columns an expression reads (the trigger's
 *       {@code UPDATE OF} list and its "did the sources change" test).</li>
 * </ul>
 * Does not check that the expression is valid SQL or of the right type; PostgreSQL does when the
 * function is created (dual-write) or the backfill runs. Subqueries inside the expression may
 * name other tables; a column of those that shares a name with a column of this table is counted
 * as a source too (harmless: the trigger just fires a little more often).
 */
public final class RowExpression {
    private RowExpression() {}

    private static final String OVER_NEW_HEAD = "(SELECT (";
    private static final String OVER_NEW_TAIL = ") FROM (SELECT NEW.*) AS tandem_row)";

    /** The expression evaluated over the trigger's {@code NEW} row. */
    public static String overNew(String expression) {
        return OVER_NEW_HEAD + expression + OVER_NEW_TAIL;
    }

    /** The author's expression inside an {@link #overNew} wrapper; empty for anything else. */
    public static Optional<String> unwrapOverNew(String sql) {
        if (sql.startsWith(OVER_NEW_HEAD) && sql.endsWith(OVER_NEW_TAIL)) {
            return Optional.of(sql.substring(OVER_NEW_HEAD.length(), sql.length() - OVER_NEW_TAIL.length()));
        }
        return Optional.empty();
    }

    /**
     * One PL/pgSQL statement that evaluates several {@link #overNew} expressions over one copy of
     * {@code NEW} ({@code SELECT (e1), (e2) INTO NEW."a", NEW."b" FROM (SELECT NEW.*) AS tandem_row})
     * instead of one subquery per column: a split_column trigger then runs one query per row, not
     * two. Empty unless every target's expression is such a wrapper, there are at least two, and no
     * expression reads a target column (sequential assignments would let it see the new value).
     */
    public static Optional<String> combinedOverNew(Map<String, String> targets, String indent) {
        if (targets.size() < 2) {
            return Optional.empty();
        }
        List<String> exprs = new ArrayList<>();
        List<String> into = new ArrayList<>();
        for (Map.Entry<String, String> e : targets.entrySet()) {
            Optional<String> inner = unwrapOverNew(e.getValue());
            if (inner.isEmpty() || targets.keySet().stream().anyMatch(t -> SqlTokens.mentionsColumn(inner.get(), t))) {
                return Optional.empty();
            }
            exprs.add("(" + inner.get() + ")");
            into.add("NEW." + Ident.quote(e.getKey()));
        }
        return Optional.of(indent + "SELECT " + String.join(", ", exprs) + " INTO " + String.join(", ", into)
                + " FROM (SELECT NEW.*) AS tandem_row;\n");
    }

    /**
     * The table's columns the expression mentions, in table order; offline (no table) the
     * identifiers the tokenizer sees as column references, minus SQL words that are not columns.
     */
    public static List<String> columnsOf(String expression, Optional<Table> table) {
        if (table.isPresent()) {
            return table.get().columns().stream().map(c -> c.name())
                    .filter(c -> SqlTokens.mentionsColumn(expression, c)).toList();
        }
        Set<String> out = new LinkedHashSet<>();
        List<SqlTokens.Token> tokens = SqlTokens.tokenize(expression);
        for (int i = 0; i < tokens.size(); i++) {
            SqlTokens.Token t = tokens.get(i);
            String id = t.identifier();
            if (id == null || (t.kind() == SqlTokens.Kind.WORD && NOT_COLUMNS.contains(id)) || afterCast(tokens, i)
                    || nextIsCall(tokens, i)) {
                continue;
            }
            out.add(id);
        }
        return new ArrayList<>(out);
    }

    /**
     * Whether a default expression might be volatile, judged from its text alone (the planner has
     * no connection): true when it calls any function not known to be immutable or stable. A false
     * "maybe volatile" only costs a batched backfill instead of PostgreSQL 11's metadata-only
     * default; a wrong "not volatile" would rewrite the table, so unknown functions count as volatile.
     */
    public static boolean mayBeVolatile(String expression) {
        List<SqlTokens.Token> tokens = SqlTokens.tokenize(expression);
        for (int i = 0; i < tokens.size(); i++) {
            SqlTokens.Token t = tokens.get(i);
            if ((t.kind() == SqlTokens.Kind.WORD || t.kind() == SqlTokens.Kind.QUOTED_IDENT) && nextIsCall(tokens, i)
                    && !afterCast(tokens, i) && !NON_VOLATILE_FUNCTIONS.contains(t.identifier())) {
                return true;
            }
        }
        return false;
    }

    private static final Set<String> NON_VOLATILE_FUNCTIONS = Set.of("now", "transaction_timestamp", "statement_timestamp",
            "lower", "upper", "coalesce", "nullif", "greatest", "least", "concat", "concat_ws", "length", "substr",
            "substring", "left", "right", "trim", "btrim", "ltrim", "rtrim", "replace", "md5", "abs", "round", "floor",
            "ceil", "to_char", "to_date", "to_timestamp", "date_trunc", "make_date", "make_interval", "jsonb_build_object",
            "json_build_object", "jsonb_build_array", "array", "row", "current_setting", "cast", "timezone", "format",
            "numeric", "varchar", "char", "character", "timestamp", "timestamptz", "interval", "decimal", "bit");

    private static boolean nextIsCall(List<SqlTokens.Token> tokens, int i) {
        for (int j = i + 1; j < tokens.size(); j++) {
            SqlTokens.Token t = tokens.get(j);
            if (t.kind() == SqlTokens.Kind.SPACE || t.kind() == SqlTokens.Kind.COMMENT) continue;
            return t.text().equals("(");
        }
        return false;
    }

    private static boolean afterCast(List<SqlTokens.Token> tokens, int i) {
        int j = i - 1;
        while (j >= 0 && tokens.get(j).kind() == SqlTokens.Kind.SPACE) j--;
        return j >= 1 && tokens.get(j).text().equals(":") && tokens.get(j - 1).text().equals(":");
    }

    private static final Set<String> NOT_COLUMNS = Set.of("and", "or", "not", "null", "true", "false", "is", "distinct",
            "from", "case", "when", "then", "else", "end", "as", "in", "like", "ilike", "between", "select", "where",
            "cast", "current_date", "current_timestamp", "current_time", "localtime", "localtimestamp",
            "current_user", "session_user", "user", "interval", "text", "integer", "bigint", "date", "timestamptz",
            "timestamp", "varchar", "numeric", "boolean", "uuid", "jsonb", "json", "collate", "any", "all", "array");

    /**
     * The expression with every reference to a column of {@code columns} replaced by
     * {@code NEW."name"}, where name is {@code renames.get(column)} when present.
     */
    public static String overNewRenamed(String expression, Set<String> columns, Map<String, String> renames) {
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
