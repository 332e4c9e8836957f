package dev.tandem.source.translate;

import dev.tandem.intent.AddCheck;
import dev.tandem.intent.AddColumn;
import dev.tandem.intent.AddForeignKey;
import dev.tandem.intent.AddUnique;
import dev.tandem.intent.ChangeColumnType;
import dev.tandem.intent.CreateIndex;
import dev.tandem.intent.CreateTable;
import dev.tandem.intent.DropColumn;
import dev.tandem.intent.DropConstraint;
import dev.tandem.intent.DropDefault;
import dev.tandem.intent.DropIndex;
import dev.tandem.intent.DropNotNull;
import dev.tandem.intent.DropTable;
import dev.tandem.intent.Intent;
import dev.tandem.intent.Position;
import dev.tandem.intent.RenameColumn;
import dev.tandem.intent.RenameConstraint;
import dev.tandem.intent.RenameTable;
import dev.tandem.intent.SetDefault;
import dev.tandem.intent.SetNotNull;
import dev.tandem.intent.TableRef;
import dev.tandem.lint.SqlStatement;
import dev.tandem.lint.SqlStatement.Tok;
import dev.tandem.sql.SqlTokens;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Translates one SQL statement into Tandem intents when it has exactly one of these shapes
 * (keywords case-insensitive, identifiers quoted or not, names schema-qualified or not, comments
 * anywhere):
 * <ul>
 *   <li>{@code ALTER TABLE t RENAME [COLUMN] a TO b}, {@code RENAME TO n}, {@code RENAME CONSTRAINT a TO b}</li>
 *   <li>{@code ALTER TABLE t action [, action …]} where every action is one of
 *     {@code ALTER [COLUMN] c [SET DATA] TYPE type [USING expr]} ({@code USING} becomes {@code up}),
 *     {@code ALTER [COLUMN] c SET|DROP NOT NULL}, {@code ALTER [COLUMN] c SET DEFAULT expr | DROP DEFAULT},
 *     {@code ADD [COLUMN] c type [NOT NULL | NULL | DEFAULT expr | UNIQUE | CHECK (expr) | REFERENCES t [(c)] [ON DELETE action]]…},
 *     {@code DROP [COLUMN] c [RESTRICT]}, {@code DROP CONSTRAINT k [RESTRICT]},
 *     {@code ADD [CONSTRAINT k] FOREIGN KEY (…) REFERENCES t (…) [ON DELETE …] [ON UPDATE …]},
 *     {@code ADD [CONSTRAINT k] UNIQUE (…)}, {@code ADD CONSTRAINT k CHECK (expr)}</li>
 *   <li>{@code CREATE [UNIQUE] INDEX [CONCURRENTLY] name ON t [USING m] (…) [INCLUDE (…)] [WHERE p]}</li>
 *   <li>{@code DROP INDEX [CONCURRENTLY] name [RESTRICT]}</li>
 *   <li>{@code CREATE TABLE t (columns and table constraints)} with the column clauses above plus
 *     {@code PRIMARY KEY} and {@code GENERATED {ALWAYS | BY DEFAULT} AS IDENTITY}</li>
 *   <li>{@code DROP TABLE t [RESTRICT]}</li>
 * </ul>
 * An unnamed FOREIGN KEY or UNIQUE constraint gets the name PostgreSQL would give it
 * ({@code table_col_fkey}, {@code table_col_key}) when that fits in 63 bytes.
 *
 * <p>Anything else returns empty, so the caller runs the statement as raw SQL after linting it:
 * {@code IF [NOT] EXISTS}, {@code ONLY}, {@code CASCADE}, {@code NOT VALID}, {@code COLLATE},
 * {@code DEFERRABLE}, {@code USING INDEX}, storage parameters, tablespaces, unnamed indexes and
 * CHECKs, partitioned, temporary or unlogged tables, generated columns, identity options, several
 * tables in one DROP, and any clause it does not know. It never guesses: a token it cannot place
 * means "not translated".
 */
public final class SqlStatementTranslator {
    private static final int MAX_IDENT = 63;
    private static final Set<String> COLUMN_CLAUSES = Set.of("NOT", "NULL", "DEFAULT", "UNIQUE", "CHECK", "REFERENCES",
            "PRIMARY", "CONSTRAINT", "COLLATE", "GENERATED");
    private static final Set<String> RESERVED = Set.of("PRIMARY", "FOREIGN", "CONSTRAINT", "CHECK", "UNIQUE", "LIKE",
            "EXCLUDE", "NOT", "NULL", "DEFAULT", "REFERENCES", "TABLE", "COLUMN", "INDEX", "ALL", "AND", "ANY", "AS",
            "SELECT", "FROM", "WHERE", "USING", "WITH", "ON", "OR", "TO", "PERIOD");
    private static final Set<String> DANGLING = Set.of("IS", "AND", "OR", "NOT", "LIKE", "ILIKE", "BETWEEN", "IN",
            "COLLATE", "AT", "SIMILAR", "OPERATOR");

    private final SqlStatement s;
    private final String file;
    private final SourceText text;
    private int i;

    private SqlStatementTranslator(SqlStatement s, String file, SourceText text) {
        this.s = s;
        this.file = file;
        this.text = text;
    }

    /**
     * The source a statement was split from: its full text and where its first character stands
     * in its file, so that expressions are copied exactly as written.
     */
    public record SourceText(String sql, int baseLine, int baseColumn) {
        int offset(Tok t) {
            int line = baseLine;
            int k = 0;
            while (line < t.line() && k < sql.length()) {
                if (sql.charAt(k++) == '\n') {
                    line++;
                }
            }
            return k + t.column() - (t.line() == baseLine ? baseColumn : 1);
        }
    }

    /** The intents of one statement, or empty when it has no shape listed in the class comment. */
    public static Optional<List<Intent>> translate(SqlStatement statement, String file, SourceText text) {
        if (statement.isEmpty()) {
            return Optional.empty();
        }
        try {
            SqlStatementTranslator t = new SqlStatementTranslator(statement, file, text);
            List<Intent> out = t.statement();
            return out.isEmpty() || t.i != statement.size() ? Optional.empty() : Optional.of(out);
        } catch (NoMatch e) {
            return Optional.empty();
        }
    }

    /** Thrown inside the parser for a shape it does not translate. */
    private static final class NoMatch extends RuntimeException {
        NoMatch() {
            super(null, null, false, false);
        }
    }

    private List<Intent> statement() {
        Position at = pos(s.first());
        if (accept("ALTER", "TABLE")) {
            return alterTable(at);
        }
        if (accept("CREATE", "TABLE")) {
            return List.of(createTable(at));
        }
        if (accept("DROP", "TABLE")) {
            TableRef t = table();
            accept("RESTRICT");
            return List.of(new DropTable(at, t));
        }
        if (accept("DROP", "INDEX")) {
            accept("CONCURRENTLY");
            TableRef idx = table();
            accept("RESTRICT");
            return List.of(new DropIndex(at, idx, Optional.empty()));
        }
        if (accept("CREATE", "UNIQUE", "INDEX")) {
            return List.of(createIndex(at, true));
        }
        if (accept("CREATE", "INDEX")) {
            return List.of(createIndex(at, false));
        }
        throw new NoMatch();
    }

    // ---- ALTER TABLE ----------------------------------------------------------------------------

    private List<Intent> alterTable(Position at) {
        TableRef t = table();
        if (accept("RENAME")) {
            if (accept("TO")) {
                return List.of(new RenameTable(at, t, simpleName()));
            }
            if (accept("CONSTRAINT")) {
                String from = simpleName();
                expect("TO");
                return List.of(new RenameConstraint(at, t, from, simpleName()));
            }
            accept("COLUMN");
            String from = simpleName();
            expect("TO");
            return List.of(new RenameColumn(at, t, from, simpleName()));
        }
        List<Intent> out = new ArrayList<>();
        do {
            out.add(action(t));
        } while (acceptSymbol(","));
        return out;
    }

    private Intent action(TableRef t) {
        Position at = pos(cur());
        if (accept("ALTER")) {
            accept("COLUMN");
            String column = simpleName();
            if (accept("SET", "DATA", "TYPE") || accept("TYPE")) {
                int from = i;
                skipUntilWords(0, "USING");
                String type = slice(from, i);
                Optional<String> up = Optional.empty();
                if (accept("USING")) {
                    up = Optional.of(expression(Set.of()));
                }
                return new ChangeColumnType(at, t, column, type, up, Optional.empty());
            }
            if (accept("SET", "NOT", "NULL")) {
                return new SetNotNull(at, t, column, Optional.empty());
            }
            if (accept("DROP", "NOT", "NULL")) {
                return new DropNotNull(at, t, column);
            }
            if (accept("SET", "DEFAULT")) {
                return new SetDefault(at, t, column, expression(Set.of()));
            }
            if (accept("DROP", "DEFAULT")) {
                return new DropDefault(at, t, column);
            }
            throw new NoMatch();
        }
        if (accept("DROP", "CONSTRAINT")) {
            String name = simpleName();
            accept("RESTRICT");
            return new DropConstraint(at, t, name);
        }
        if (accept("DROP")) {
            accept("COLUMN");
            String column = simpleName();
            accept("RESTRICT");
            return new DropColumn(at, t, column, Optional.empty());
        }
        if (accept("ADD")) {
            if (peek("CONSTRAINT") || peek("FOREIGN") || peek("UNIQUE") || peek("CHECK") || peek("PRIMARY") || peek("EXCLUDE")) {
                return addConstraint(at, t);
            }
            accept("COLUMN");
            ColumnSpec c = column(false);
            Optional<AddColumn.References> refs = c.references.map(r -> new AddColumn.References(r.table, single(r.columns),
                    r.onDelete));
            if (c.references.isPresent() && c.references.get().onUpdate.isPresent()) {
                throw new NoMatch();
            }
            return new AddColumn(at, t, new AddColumn.NewColumn(c.name, c.type, c.nullable, c.defaultExpr, c.unique, c.check, refs),
                    Optional.empty());
        }
        throw new NoMatch();
    }

    private Intent addConstraint(Position at, TableRef t) {
        Optional<String> name = Optional.empty();
        if (accept("CONSTRAINT")) {
            name = Optional.of(simpleName());
        }
        if (accept("FOREIGN", "KEY")) {
            List<String> cols = nameList();
            Ref r = references();
            if (r.columns.isEmpty()) {
                throw new NoMatch(); // the referenced key is the catalog's to know
            }
            String n = name.orElseGet(() -> generated(t.name(), cols, "fkey"));
            return new AddForeignKey(at, t, n, cols, r.table, r.columns, r.onDelete, r.onUpdate, Map.of());
        }
        if (accept("UNIQUE")) {
            List<String> cols = nameList();
            String n = name.orElseGet(() -> generated(t.name(), cols, "key"));
            return new AddUnique(at, t, n, cols);
        }
        if (accept("CHECK") && name.isPresent()) {
            return new AddCheck(at, t, name.get(), parenthesised(), Map.of());
        }
        throw new NoMatch();
    }

    // ---- CREATE TABLE / CREATE INDEX ------------------------------------------------------------

    private CreateTable createTable(Position at) {
        TableRef t = table();
        int open = i;
        expectSymbol("(");
        int close = s.closing(open);
        List<CreateTable.ColumnDef> cols = new ArrayList<>();
        List<CreateTable.TableConstraint> constraints = new ArrayList<>();
        while (i < close) {
            Position p = pos(cur());
            if (peek("CONSTRAINT") || peek("PRIMARY") || peek("UNIQUE") || peek("CHECK") || peek("FOREIGN")) {
                constraints.add(tableConstraint(p));
            } else {
                ColumnSpec c = column(true);
                Optional<CreateTable.References> refs = c.references.map(r -> new CreateTable.References(p, r.table, r.columns,
                        action(r.onDelete), action(r.onUpdate)));
                boolean nullable = c.nullable && !c.primaryKey && c.identity == CreateTable.Identity.NONE;
                cols.add(new CreateTable.ColumnDef(p, c.name, c.type, nullable, c.defaultExpr, c.identity,
                        c.primaryKey, c.unique, c.check, refs));
            }
            if (i < close) {
                expectSymbol(",");
            }
        }
        expectSymbol(")");
        if (cols.isEmpty()) {
            throw new NoMatch();
        }
        return new CreateTable(at, t, cols, constraints);
    }

    private CreateTable.TableConstraint tableConstraint(Position p) {
        Optional<String> name = Optional.empty();
        if (accept("CONSTRAINT")) {
            name = Optional.of(simpleName());
        }
        if (accept("PRIMARY", "KEY")) {
            return new CreateTable.TableConstraint(p, CreateTable.ConstraintType.PRIMARY_KEY, name, nameList(), Optional.empty(), Optional.empty());
        }
        if (accept("UNIQUE")) {
            return new CreateTable.TableConstraint(p, CreateTable.ConstraintType.UNIQUE, name, nameList(), Optional.empty(), Optional.empty());
        }
        if (accept("CHECK")) {
            return new CreateTable.TableConstraint(p, CreateTable.ConstraintType.CHECK, name, List.of(), Optional.of(parenthesised()),
                    Optional.empty());
        }
        if (accept("FOREIGN", "KEY")) {
            List<String> cols = nameList();
            Ref r = references();
            return new CreateTable.TableConstraint(p, CreateTable.ConstraintType.FOREIGN_KEY, name, cols, Optional.empty(),
                    Optional.of(new CreateTable.References(p, r.table, r.columns, action(r.onDelete), action(r.onUpdate))));
        }
        throw new NoMatch();
    }

    private CreateIndex createIndex(Position at, boolean unique) {
        accept("CONCURRENTLY");
        if (peek("ON") || peek("IF")) {
            throw new NoMatch(); // unnamed or IF NOT EXISTS
        }
        String name = simpleName();
        expect("ON");
        TableRef t = table();
        Optional<String> method = Optional.empty();
        if (accept("USING")) {
            method = Optional.of(simpleName());
        }
        int open = i;
        expectSymbol("(");
        int close = s.closing(open);
        List<String> columns = new ArrayList<>();
        for (int[] part : s.splitAtCommas(i, close, s.get(open).depth() + 1)) {
            if (part[0] >= part[1]) {
                throw new NoMatch();
            }
            columns.add(slice(part[0], part[1]));
        }
        i = close;
        expectSymbol(")");
        List<String> include = List.of();
        if (accept("INCLUDE")) {
            include = nameList();
        }
        Optional<String> where = Optional.empty();
        if (accept("WHERE")) {
            where = Optional.of(expression(Set.of()));
        }
        if (columns.isEmpty()) {
            throw new NoMatch();
        }
        return new CreateIndex(at, t, name, columns, unique, method, where, include);
    }

    // ---- column definitions ---------------------------------------------------------------------

    /** What a column definition said. */
    private static final class ColumnSpec {
        String name;
        String type;
        boolean nullable = true;
        boolean sawNull;
        Optional<String> defaultExpr = Optional.empty();
        boolean unique;
        boolean primaryKey;
        Optional<String> check = Optional.empty();
        Optional<Ref> references = Optional.empty();
        CreateTable.Identity identity = CreateTable.Identity.NONE;
    }

    /** {@code REFERENCES t [(cols)] [ON DELETE a] [ON UPDATE a]}. */
    private record Ref(TableRef table, List<String> columns, Optional<String> onDelete, Optional<String> onUpdate) {}

    private ColumnSpec column(boolean inCreateTable) {
        if (peek("IF")) {
            throw new NoMatch();
        }
        if (cur().word() != null && RESERVED.contains(cur().word())) {
            throw new NoMatch(); // LIKE, EXCLUDE, PRIMARY KEY, … where a column name would stand
        }
        ColumnSpec c = new ColumnSpec();
        c.name = simpleName();
        int depth = cur().depth();
        int from = i;
        while (i < s.size() && !(s.get(i).depth() < depth || (s.get(i).depth() == depth
                && (clauseStart(s.get(i)) || s.get(i).isSymbol(","))))) {
            i++;
        }
        if (i == from) {
            throw new NoMatch();
        }
        c.type = slice(from, i);
        while (i < s.size() && !s.get(i).isSymbol(",") && !s.get(i).isSymbol(")")) {
            if (accept("NOT", "NULL")) {
                if (c.sawNull) {
                    throw new NoMatch();
                }
                c.nullable = false;
                c.sawNull = true;
            } else if (accept("NULL")) {
                if (c.sawNull) {
                    throw new NoMatch();
                }
                c.sawNull = true;
            } else if (accept("DEFAULT")) {
                if (c.defaultExpr.isPresent()) {
                    throw new NoMatch();
                }
                if (peek("NULL") && (i + 1 == s.size() || s.get(i + 1).isSymbol(",") || s.get(i + 1).isSymbol(")")
                        || clauseStart(s.get(i + 1)))) {
                    i++; // DEFAULT NULL is no default
                    continue;
                }
                c.defaultExpr = Optional.of(expression(COLUMN_CLAUSES));
            } else if (accept("UNIQUE")) {
                c.unique = true;
            } else if (accept("CHECK")) {
                if (c.check.isPresent()) {
                    throw new NoMatch();
                }
                c.check = Optional.of(parenthesised());
            } else if (peek("REFERENCES")) {
                if (c.references.isPresent()) {
                    throw new NoMatch();
                }
                c.references = Optional.of(references());
            } else if (inCreateTable && accept("PRIMARY", "KEY")) {
                c.primaryKey = true;
            } else if (inCreateTable && accept("GENERATED", "BY", "DEFAULT", "AS", "IDENTITY")) {
                c.identity = CreateTable.Identity.BY_DEFAULT;
            } else if (inCreateTable && accept("GENERATED", "ALWAYS", "AS", "IDENTITY")) {
                c.identity = CreateTable.Identity.ALWAYS;
            } else {
                throw new NoMatch(); // CONSTRAINT name, COLLATE, generated columns, identity options, …
            }
        }
        if (c.identity != CreateTable.Identity.NONE && (c.defaultExpr.isPresent() || (c.sawNull && c.nullable))) {
            throw new NoMatch();
        }
        return c;
    }

    private boolean clauseStart(Tok t) {
        String w = t.word();
        return w != null && COLUMN_CLAUSES.contains(w);
    }

    private Ref references() {
        expect("REFERENCES");
        TableRef t = table();
        List<String> cols = i < s.size() && cur().isSymbol("(") ? nameList() : List.of();
        Optional<String> onDelete = Optional.empty();
        Optional<String> onUpdate = Optional.empty();
        while (peek("ON")) {
            if (accept("ON", "DELETE")) {
                if (onDelete.isPresent()) {
                    throw new NoMatch();
                }
                onDelete = Optional.of(referentialAction());
            } else if (accept("ON", "UPDATE")) {
                if (onUpdate.isPresent()) {
                    throw new NoMatch();
                }
                onUpdate = Optional.of(referentialAction());
            } else {
                throw new NoMatch();
            }
        }
        return new Ref(t, cols, onDelete, onUpdate);
    }

    private String referentialAction() {
        if (accept("CASCADE")) {
            return "CASCADE";
        }
        if (accept("RESTRICT")) {
            return "RESTRICT";
        }
        if (accept("NO", "ACTION")) {
            return "NO ACTION";
        }
        if (accept("SET", "NULL")) {
            return "SET NULL";
        }
        if (accept("SET", "DEFAULT")) {
            return "SET DEFAULT";
        }
        throw new NoMatch();
    }

    private static CreateTable.Action action(Optional<String> sql) {
        return switch (sql.orElse("NO ACTION")) {
            case "CASCADE" -> CreateTable.Action.CASCADE;
            case "RESTRICT" -> CreateTable.Action.RESTRICT;
            case "SET NULL" -> CreateTable.Action.SET_NULL;
            case "SET DEFAULT" -> CreateTable.Action.SET_DEFAULT;
            default -> CreateTable.Action.NO_ACTION;
        };
    }

    // ---- token helpers --------------------------------------------------------------------------

    /**
     * The expression from here to the end of the current action: the next {@code ,} or {@code )}
     * at this depth, the statement's end, or a word of {@code stops} at this depth. An expression
     * that ends in a word that cannot end one ({@code IS}, {@code AND}, …) is not translated.
     */
    private String expression(Set<String> stops) {
        int depth = cur().depth();
        int from = i;
        while (i < s.size()) {
            Tok t = s.get(i);
            if (t.depth() < depth || (t.depth() == depth && (t.isSymbol(",")
                    || (t.word() != null && stops.contains(t.word()))))) {
                break;
            }
            i++;
        }
        if (i == from || (s.get(i - 1).word() != null && DANGLING.contains(s.get(i - 1).word()))) {
            throw new NoMatch();
        }
        return slice(from, i);
    }

    /** {@code ( expr )}: the text between the parentheses. */
    private String parenthesised() {
        int open = i;
        expectSymbol("(");
        int close = s.closing(open);
        if (close >= s.size() || close == open + 1) {
            throw new NoMatch();
        }
        String inner = slice(open + 1, close);
        i = close + 1;
        return inner;
    }

    /** {@code (a, b, "C")}: plain identifiers only. */
    private List<String> nameList() {
        int open = i;
        expectSymbol("(");
        int close = s.closing(open);
        List<String> out = new ArrayList<>();
        while (i < close) {
            out.add(simpleName());
            if (i < close) {
                expectSymbol(",");
            }
        }
        expectSymbol(")");
        if (out.isEmpty()) {
            throw new NoMatch();
        }
        return out;
    }

    private void skipUntilWords(int extraDepth, String stop) {
        int depth = cur().depth() + extraDepth;
        int from = i;
        while (i < s.size() && s.get(i).depth() >= depth && !(s.get(i).depth() == depth && (s.get(i).is(stop) || s.get(i).isSymbol(",")))) {
            if (s.get(i).is("COLLATE") && s.get(i).depth() == depth) {
                throw new NoMatch();
            }
            i++;
        }
        if (i == from) {
            throw new NoMatch();
        }
    }

    /** A possibly schema-qualified name ({@code a}, {@code s.a}); more parts are not translated. */
    private TableRef table() {
        if (peek("IF") || peek("ONLY")) {
            throw new NoMatch();
        }
        String first = identifier();
        if (i < s.size() && cur().isSymbol(".")) {
            i++;
            String second = identifier();
            if (i < s.size() && cur().isSymbol(".")) {
                throw new NoMatch();
            }
            return new TableRef(Optional.of(first), second);
        }
        return new TableRef(Optional.empty(), first);
    }

    private String simpleName() {
        if (peek("IF")) {
            throw new NoMatch();
        }
        String n = identifier();
        if (i < s.size() && cur().isSymbol(".")) {
            throw new NoMatch();
        }
        return n;
    }

    private String identifier() {
        if (i >= s.size()) {
            throw new NoMatch();
        }
        Tok t = s.get(i);
        if (t.kind() != SqlTokens.Kind.WORD && t.kind() != SqlTokens.Kind.QUOTED_IDENT) {
            throw new NoMatch();
        }
        i++;
        return t.identifier();
    }

    private Tok cur() {
        if (i >= s.size()) {
            throw new NoMatch();
        }
        return s.get(i);
    }

    private boolean peek(String word) {
        return i < s.size() && s.get(i).is(word);
    }

    private boolean accept(String... words) {
        if (s.wordsAt(i, words)) {
            i += words.length;
            return true;
        }
        return false;
    }

    private void expect(String word) {
        if (!accept(word)) {
            throw new NoMatch();
        }
    }

    private boolean acceptSymbol(String sym) {
        if (i < s.size() && s.get(i).isSymbol(sym)) {
            i++;
            return true;
        }
        return false;
    }

    private void expectSymbol(String sym) {
        if (!acceptSymbol(sym)) {
            throw new NoMatch();
        }
    }

    /** The exact source text of tokens [from, to). */
    private String slice(int from, int to) {
        Tok a = s.get(from);
        Tok b = s.get(to - 1);
        return text.sql().substring(text.offset(a), text.offset(b) + b.text().length()).strip();
    }

    private Position pos(Tok t) {
        return new Position(file, t.line(), t.column());
    }

    private static String single(List<String> cols) {
        if (cols.size() != 1) {
            throw new NoMatch();
        }
        return cols.get(0);
    }

    /** PostgreSQL's name for an unnamed constraint, when it is not truncated. */
    private static String generated(String table, List<String> cols, String suffix) {
        String n = table + "_" + String.join("_", cols) + "_" + suffix;
        if (n.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_IDENT) {
            throw new NoMatch();
        }
        return n;
    }
}
