package dev.tandem.lint;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A column definition as it appears in CREATE TABLE or ADD COLUMN, read from tokens: the name,
 * the type, and which column constraints it carries (with the index of each, for positions).
 * Indexes are -1 when absent.
 *
 * @param name the column name (folded)
 * @param nameAt index of the name token
 * @param type the declared type, when it could be read
 * @param notNullAt {@code NOT NULL}
 * @param defaultAt {@code DEFAULT}; the expression is [defaultAt + 1, defaultEnd)
 * @param defaultEnd end of the default expression
 * @param identityAt {@code GENERATED … AS IDENTITY}
 * @param generatedAt {@code GENERATED ALWAYS AS (expr)}
 * @param stored the generated column says STORED
 * @param virtual the generated column says VIRTUAL
 * @param uniqueAt {@code UNIQUE} or {@code PRIMARY KEY}
 * @param referencesAt {@code REFERENCES}
 * @param checkAt {@code CHECK}
 */
record ColumnDef(String name, int nameAt, Optional<SqlType> type, int notNullAt, int defaultAt, int defaultEnd,
                 int identityAt, int generatedAt, boolean stored, boolean virtual, int uniqueAt, int referencesAt, int checkAt) {

    private static final Set<String> CONSTRAINT_WORDS = Set.of("NOT", "NULL", "DEFAULT", "CONSTRAINT", "PRIMARY", "UNIQUE",
            "CHECK", "REFERENCES", "GENERATED", "COLLATE", "DEFERRABLE", "INITIALLY", "COMPRESSION", "STORAGE");

    /** Reads the column definition in [from, to) of {@code s}; null when no name stands at {@code from}. */
    static ColumnDef parse(SqlStatement s, int from, int to) {
        if (from >= to || s.get(from).identifier() == null) {
            return null;
        }
        int depth = s.get(from).depth();
        int i = from + 1;
        List<String> typeParts = new ArrayList<>();
        while (i < to && !(s.get(i).depth() == depth && isConstraintWord(s.get(i)))) {
            typeParts.add(s.get(i).text());
            i++;
        }
        Optional<SqlType> type = SqlType.parse(typeParts);
        int notNull = -1;
        int dflt = -1;
        int dfltEnd = -1;
        int identity = -1;
        int generated = -1;
        boolean stored = false;
        boolean virtual = false;
        int unique = -1;
        int references = -1;
        int check = -1;
        for (int k = i; k < to; k++) {
            SqlStatement.Tok t = s.get(k);
            if (t.depth() != depth || t.word() == null) {
                continue;
            }
            switch (t.word()) {
                case "NOT" -> {
                    if (k + 1 < to && s.get(k + 1).is("NULL") && (dflt < 0 || k >= dfltEnd)) {
                        notNull = k;
                    }
                }
                case "DEFAULT" -> {
                    if (dflt < 0) {
                        dflt = k;
                        dfltEnd = k + 1;
                        while (dfltEnd < to && !(dfltEnd > k + 1 && s.get(dfltEnd).depth() == depth
                                && isConstraintWord(s.get(dfltEnd)) && !s.get(dfltEnd).is("NULL"))) {
                            dfltEnd++;
                        }
                    }
                }
                case "GENERATED" -> {
                    int identityWord = s.find(k, to, depth, "IDENTITY");
                    if (identityWord > 0 && s.find(k, identityWord, depth, "AS") > 0) {
                        identity = k;
                    } else {
                        generated = k;
                    }
                }
                case "STORED" -> stored = true;
                case "VIRTUAL" -> virtual = true;
                case "UNIQUE" -> unique = k;
                case "PRIMARY" -> {
                    if (k + 1 < to && s.get(k + 1).is("KEY")) {
                        unique = k;
                    }
                }
                case "REFERENCES" -> references = k;
                case "CHECK" -> check = k;
                default -> {
                }
            }
        }
        return new ColumnDef(s.get(from).identifier(), from, type, notNull, dflt, dfltEnd, identity, generated, stored,
                virtual, unique, references, check);
    }

    private static boolean isConstraintWord(SqlStatement.Tok t) {
        return t.word() != null && CONSTRAINT_WORDS.contains(t.word());
    }

    /** Whether the default is absent or the literal NULL. */
    boolean noDefault(SqlStatement s) {
        return defaultAt < 0 || (defaultEnd == defaultAt + 2 && s.get(defaultAt + 1).is("NULL"));
    }
}
