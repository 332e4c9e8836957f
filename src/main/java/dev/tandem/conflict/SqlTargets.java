package dev.tandem.conflict;

import dev.tandem.lint.SqlStatement;
import dev.tandem.lint.StatementSplitter;
import dev.tandem.sql.QualifiedName;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The tables (and other relations) a raw {@code sql} step's statements name as their target, so a
 * {@code sql} intent holds them like any other intent ({@link Holdings}). Reads each statement
 * ({@link StatementSplitter}) by its leading words:
 * <ul>
 *   <li>{@code ALTER TABLE|INDEX|VIEW|MATERIALIZED VIEW|SEQUENCE [IF EXISTS] [ONLY] name},
 *       {@code DROP TABLE|INDEX|VIEW|MATERIALIZED VIEW|SEQUENCE [CONCURRENTLY] [IF EXISTS] a, b},
 *       {@code CREATE [UNLOGGED|TEMP] TABLE [IF NOT EXISTS] name}, {@code CREATE [OR REPLACE]
 *       [MATERIALIZED] VIEW name}, {@code CREATE [UNIQUE] INDEX … ON [ONLY] table},
 *       {@code CREATE [OR REPLACE] [CONSTRAINT] TRIGGER … ON table}, {@code CREATE POLICY|RULE … ON table},
 *       {@code TRUNCATE [TABLE] [ONLY] a, b}, {@code UPDATE [ONLY] t}, {@code DELETE FROM [ONLY] t},
 *       {@code INSERT INTO t}, {@code COMMENT ON TABLE|COLUMN|INDEX|VIEW name},
 *       {@code REFRESH MATERIALIZED VIEW [CONCURRENTLY] name}, {@code GRANT|REVOKE … ON [TABLE] a, b};</li>
 *   <li>statements that name no table of the schema: {@code CREATE|DROP EXTENSION}, {@code SCHEMA},
 *       {@code [OR REPLACE] FUNCTION|PROCEDURE}, {@code TYPE}, {@code DOMAIN}, {@code ROLE}, {@code SET},
 *       {@code RESET}, {@code ANALYZE} (a {@code SELECT} may call anything and counts as unknown).</li>
 * </ul>
 * Anything else (a {@code DO} block, a function call, a statement it cannot read) makes the result
 * {@link Targets#unknown}: the caller then waits for every unpurged migration in flight. It reads
 * words, not a grammar: a table named in a subquery, a trigger body or a function is not seen.
 */
public final class SqlTargets {
    private SqlTargets() {}

    /**
     * @param relations the relations the statements target, schema-qualified with the default schema
     * @param unknown the first statement whose targets it cannot tell, if any
     */
    public record Targets(Set<QualifiedName> relations, Optional<String> unknown) {}

    public static Targets of(String sql, String defaultSchema) {
        Set<QualifiedName> out = new LinkedHashSet<>();
        Optional<String> unknown = Optional.empty();
        for (SqlStatement s : StatementSplitter.split(sql, 1, 1)) {
            if (s.isEmpty()) {
                continue;
            }
            Optional<List<QualifiedName>> names = targets(s, defaultSchema);
            if (names.isEmpty()) {
                unknown = unknown.or(() -> Optional.of(s.text().strip()));
            } else {
                out.addAll(names.get());
            }
        }
        return new Targets(out, unknown);
    }

    private static final String[] RELATION_KINDS = {"TABLE", "INDEX", "VIEW", "SEQUENCE"};

    /** The statement's targets; empty when it cannot tell; an empty list when it names no table. */
    static Optional<List<QualifiedName>> targets(SqlStatement s, String schema) {
        String w0 = s.get(0).word();
        if (w0 == null) {
            return Optional.empty();
        }
        switch (w0) {
            case "ALTER":
            case "DROP": {
                int i = 1;
                if (s.wordsAt(i, "MATERIALIZED", "VIEW")) {
                    i += 2;
                } else if (isRelationKind(s, i)) {
                    i++;
                } else {
                    return noTable(s, i) ? Optional.of(List.of()) : Optional.empty();
                }
                i = skip(s, i, "CONCURRENTLY");
                i = skip(s, i, "IF", "EXISTS");
                i = skip(s, i, "ONLY");
                return w0.equals("DROP") ? list(s, i, schema) : one(s, i, schema);
            }
            case "CREATE": {
                int i = 1;
                i = skip(s, i, "OR", "REPLACE");
                i = skip(s, i, "UNIQUE");
                i = skip(s, i, "UNLOGGED");
                i = skip(s, i, "TEMP");
                i = skip(s, i, "TEMPORARY");
                i = skip(s, i, "CONSTRAINT");
                i = skip(s, i, "MATERIALIZED");
                if (s.wordsAt(i, "TABLE") || s.wordsAt(i, "VIEW")) {
                    i = skip(s, i + 1, "IF", "NOT", "EXISTS");
                    return one(s, i, schema);
                }
                if (s.wordsAt(i, "INDEX") || s.wordsAt(i, "TRIGGER") || s.wordsAt(i, "POLICY") || s.wordsAt(i, "RULE")) {
                    int on = s.find(i, s.size(), 0, "ON");
                    return on < 0 ? Optional.empty() : one(s, skip(s, on + 1, "ONLY"), schema);
                }
                return noTable(s, i) ? Optional.of(List.of()) : Optional.empty();
            }
            case "TRUNCATE":
                return list(s, skip(s, skip(s, 1, "TABLE"), "ONLY"), schema);
            case "UPDATE":
                return one(s, skip(s, 1, "ONLY"), schema);
            case "DELETE":
                return s.wordsAt(1, "FROM") ? one(s, skip(s, 2, "ONLY"), schema) : Optional.empty();
            case "INSERT":
                return s.wordsAt(1, "INTO") ? one(s, 2, schema) : Optional.empty();
            case "COMMENT": {
                if (!s.wordsAt(1, "ON")) {
                    return Optional.empty();
                }
                if (s.wordsAt(2, "COLUMN")) {
                    // table.column or schema.table.column: the table is all but the last part
                    List<String> parts = parts(s, 3);
                    if (parts.size() == 2) {
                        return Optional.of(List.of(new QualifiedName(schema, parts.get(0))));
                    }
                    return parts.size() == 3 ? Optional.of(List.of(new QualifiedName(parts.get(0), parts.get(1)))) : Optional.empty();
                }
                if (isRelationKind(s, 2)) {
                    return one(s, 3, schema);
                }
                return noTable(s, 2) ? Optional.of(List.of()) : Optional.empty();
            }
            case "REFRESH":
                return s.wordsAt(1, "MATERIALIZED", "VIEW") ? one(s, skip(s, 3, "CONCURRENTLY"), schema) : Optional.empty();
            case "GRANT":
            case "REVOKE": {
                int on = s.find(1, s.size(), 0, "ON");
                if (on < 0) {
                    return Optional.empty();
                }
                int i = on + 1;
                if (s.wordsAt(i, "ALL")) {
                    return Optional.empty(); // ALL TABLES IN SCHEMA
                }
                if (noTable(s, i)) {
                    return Optional.of(List.of());
                }
                return list(s, skip(s, i, "TABLE"), schema);
            }
            case "SET":
            case "RESET":
            case "ANALYZE":
                return Optional.of(List.of());
            default:
                return Optional.empty();
        }
    }

    private static boolean isRelationKind(SqlStatement s, int i) {
        for (String k : RELATION_KINDS) {
            if (s.wordsAt(i, k)) {
                return true;
            }
        }
        return false;
    }

    /** Objects that are not tables of a schema (their statements hold nothing). */
    private static boolean noTable(SqlStatement s, int i) {
        return s.wordsAt(i, "EXTENSION") || s.wordsAt(i, "SCHEMA") || s.wordsAt(i, "FUNCTION") || s.wordsAt(i, "PROCEDURE")
                || s.wordsAt(i, "TYPE") || s.wordsAt(i, "DOMAIN") || s.wordsAt(i, "ROLE");
    }

    private static int skip(SqlStatement s, int i, String... words) {
        return s.wordsAt(i, words) ? i + words.length : i;
    }

    private static Optional<List<QualifiedName>> one(SqlStatement s, int i, String schema) {
        Optional<QualifiedName> n = name(s, i, schema);
        return n.map(List::of);
    }

    /** A comma-separated list of names at depth 0 starting at {@code i} (until the first word that is not a name). */
    private static Optional<List<QualifiedName>> list(SqlStatement s, int i, String schema) {
        List<QualifiedName> out = new ArrayList<>();
        int j = i;
        while (true) {
            List<String> p = parts(s, j);
            if (p.isEmpty() || p.size() > 2) {
                return out.isEmpty() ? Optional.empty() : Optional.of(out);
            }
            out.add(p.size() == 1 ? new QualifiedName(schema, p.get(0)) : new QualifiedName(p.get(0), p.get(1)));
            j += 2 * p.size() - 1;
            if (j < s.size() && s.get(j).isSymbol(",")) {
                j++;
            } else {
                return Optional.of(out);
            }
        }
    }

    private static Optional<QualifiedName> name(SqlStatement s, int i, String schema) {
        List<String> p = parts(s, i);
        if (p.size() == 1) {
            return Optional.of(new QualifiedName(schema, p.get(0)));
        }
        return p.size() == 2 ? Optional.of(new QualifiedName(p.get(0), p.get(1))) : Optional.empty();
    }

    /** The parts of a dotted name at {@code i} (identifiers as PostgreSQL folds them), empty when none stands there. */
    private static List<String> parts(SqlStatement s, int i) {
        List<String> parts = new ArrayList<>();
        if (i >= s.size() || s.get(i).identifier() == null) {
            return parts;
        }
        parts.add(s.get(i).identifier());
        int j = i + 1;
        while (j + 1 < s.size() && s.get(j).isSymbol(".") && s.get(j + 1).identifier() != null) {
            parts.add(s.get(j + 1).identifier());
            j += 2;
        }
        return parts;
    }
}
