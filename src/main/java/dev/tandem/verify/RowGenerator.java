package dev.tandem.verify;

import dev.tandem.sql.Ident;
import dev.tandem.verify.TableModel.Col;
import dev.tandem.verify.TableModel.ForeignKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Builds the SQL that writes synthetic rows into a table, for the seed and for the simulated
 * application writes. Values are derived from a row number {@code tandem_g} and a salt (so the
 * same call gives the same rows) and respect, as far as the generator can tell:
 * <ul>
 *   <li>the column's type (integers, numerics, text and character types, booleans, dates and
 *       times, uuid, json, bytea, inet, enums, arrays as empty arrays; domains over these);</li>
 *   <li>NOT NULL (nullable columns get a NULL in about one row out of ten);</li>
 *   <li>single-column unique keys (values derived from the row number); other conflicts are
 *       skipped with {@code ON CONFLICT DO NOTHING};</li>
 *   <li>foreign keys: values are taken from existing parent rows (so insert parents first); a
 *       self-reference is NULL;</li>
 *   <li>CHECK constraints over the written columns: rows whose values would violate one are
 *       filtered out before the insert (so a check no generated row satisfies leaves the table
 *       with fewer rows or none — reported by the caller, never a failure).</li>
 * </ul>
 * Identity and generated columns are never written; columns of other types are left to their
 * default (or NULL) — a NOT NULL column of such a type without default makes the table
 * unwritable, reported as {@link Insert#problem()}.
 */
final class RowGenerator {
    static final String G = "tandem_g";

    private RowGenerator() {
    }

    /** An INSERT statement, or why none can be built. */
    record Insert(Optional<String> sql, Optional<String> problem) {}

    /**
     * {@code INSERT … SELECT} of {@code count} rows numbered from {@code first}.
     *
     * @param only the columns an application writes (null: every writable column)
     */
    static Insert insert(TableModel t, Set<String> only, long first, long count, long salt) {
        List<String> cols = new ArrayList<>();
        List<String> exprs = new ArrayList<>();
        List<String> joins = new ArrayList<>();
        Map<String, String> fkValue = new LinkedHashMap<>();
        int fkIndex = 0;
        for (ForeignKey fk : t.foreignKeys()) {
            if (!fk.columns().stream().allMatch(c -> writes(t, only, c)) || fk.columns().stream().anyMatch(fkValue::containsKey)) {
                continue;
            }
            if (fk.parent().equals(t.name())) {
                for (String c : fk.columns()) {
                    if (t.column(c).orElseThrow().notNull()) {
                        return new Insert(Optional.empty(), Optional.of("NOT NULL self-referencing foreign key " + fk.name()));
                    }
                    fkValue.put(c, "NULL");
                }
                continue;
            }
            String alias = "tandem_fk" + (++fkIndex);
            List<String> sel = new ArrayList<>();
            List<String> notNull = new ArrayList<>();
            for (int i = 0; i < fk.parentColumns().size(); i++) {
                sel.add(Ident.quote(fk.parentColumns().get(i)) + " AS p" + i);
                notNull.add(Ident.quote(fk.parentColumns().get(i)) + " IS NOT NULL");
            }
            String parentRows = "SELECT " + String.join(", ", sel) + ", row_number() OVER () - 1 AS rn FROM "
                    + fk.parent().sql() + " WHERE " + String.join(" AND ", notNull);
            String index = t.uniqueOver(fk.columns())
                    ? "(" + G + " - " + first + ")"
                    : "((" + G + " * 7919 + " + salt + ") % nullif((SELECT count(*) FROM " + fk.parent().sql() + " WHERE "
                    + String.join(" AND ", notNull) + "), 0))";
            joins.add("JOIN (" + parentRows + ") " + alias + " ON " + alias + ".rn = " + index);
            for (int i = 0; i < fk.columns().size(); i++) {
                String c = fk.columns().get(i);
                String v = alias + ".p" + i;
                fkValue.put(c, t.column(c).orElseThrow().notNull() ? v
                        : "CASE WHEN (" + G + " + " + salt + ") % 10 = 5 THEN NULL ELSE " + v + " END");
            }
        }
        for (Col c : t.columns()) {
            if (!writes(t, only, c.name())) {
                continue;
            }
            String v = fkValue.get(c.name());
            if (v == null) {
                Optional<String> gen = value(c, t.uniqueOver(List.of(c.name())), salt);
                if (gen.isEmpty()) {
                    if (c.notNull() && !c.hasDefault()) {
                        return new Insert(Optional.empty(), Optional.of("cannot generate values of type " + c.type()
                                + " for NOT NULL column " + c.name()));
                    }
                    continue;
                }
                v = gen.get();
            }
            cols.add(Ident.quote(c.name()));
            exprs.add(v + " AS " + Ident.quote(c.name()));
        }
        if (cols.isEmpty()) {
            return new Insert(Optional.empty(), Optional.of("no column it can write"));
        }
        List<String> filters = new ArrayList<>();
        for (TableModel.Check k : t.checks()) {
            if (k.columns().stream().allMatch(c -> cols.contains(Ident.quote(c)))) {
                filters.add("(" + k.expression() + ") IS NOT FALSE");
            }
        }
        String list = String.join(", ", cols);
        String sql = "INSERT INTO " + t.name().sql() + " (" + list + ") SELECT " + list + " FROM (SELECT "
                + String.join(", ", exprs) + " FROM generate_series(" + first + "::bigint, " + (first + count - 1)
                + "::bigint) AS tandem_s(" + G + ") " + String.join(" ", joins) + ") tandem_rows"
                + (filters.isEmpty() ? "" : " WHERE " + String.join(" AND ", filters)) + " ON CONFLICT DO NOTHING";
        return new Insert(Optional.of(sql), Optional.empty());
    }

    /**
     * {@code UPDATE} of up to {@code count} random rows setting {@code columns} to fresh values;
     * empty when none of them can be generated.
     */
    static Optional<String> update(TableModel t, List<String> columns, long first, long count, long salt) {
        List<String> sets = new ArrayList<>();
        for (String name : columns) {
            Col c = t.column(name).orElse(null);
            if (c == null || c.automatic()) {
                continue;
            }
            value(c, t.uniqueOver(List.of(name)), salt).ifPresent(v -> sets.add(Ident.quote(name) + " = " + v));
        }
        if (sets.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("UPDATE " + t.name().sql() + " SET " + String.join(", ", sets)
                + " FROM (SELECT ctid AS tandem_tid, " + first + " + row_number() OVER () AS " + G + " FROM (SELECT ctid FROM "
                + t.name().sql() + " ORDER BY random() LIMIT " + count + ") tandem_pick) tandem_rows WHERE "
                + t.name().sql() + ".ctid = tandem_rows.tandem_tid");
    }

    /** The columns an update may change: writable, not part of the primary key or of a foreign key. */
    static List<String> updatable(TableModel t, Set<String> only) {
        List<String> keys = new ArrayList<>();
        t.foreignKeys().forEach(fk -> keys.addAll(fk.columns()));
        t.uniqueSets().forEach(keys::addAll); // keys (primary and unique) stay stable: rows keep their identity
        return t.columns().stream().filter(c -> writes(t, only, c.name()) && !keys.contains(c.name()))
                .map(Col::name).toList();
    }

    private static boolean writes(TableModel t, Set<String> only, String column) {
        return (only == null || only.contains(column)) && t.column(column).map(c -> !c.automatic()).orElse(false);
    }

    /** A value expression over {@link #G} for the column, NULL in one row out of ten when nullable. */
    static Optional<String> value(Col c, boolean unique, long salt) {
        String g = "(" + G + " + " + salt + ")";
        String text = "md5('" + salt + ":' || " + G + ")";
        String cast = "::" + c.type();
        String v;
        if (c.category().equals("A")) {
            v = "'{}'" + cast;
        } else if (c.typtype().equals("e")) {
            String range = "enum_range(NULL" + cast + ")";
            v = "(" + range + ")[1 + " + g + " % cardinality(" + range + ")]";
        } else {
            v = switch (c.baseType()) {
                case "int2" -> (unique ? "(" + G + " % 32000)" : "(1 + " + g + " % 5)") + cast;
                case "int4", "int8" -> (unique ? G : "(1 + " + g + " % 5)") + cast;
                case "numeric", "float4", "float8", "money" -> (unique ? G : "(" + g + " % 10)") + cast;
                case "text", "varchar", "bpchar", "citext", "name" -> "(left(" + text + ", 16) || CASE " + g
                        + " % 7 WHEN 0 THEN ' O''Brien' WHEN 1 THEN ' Zoë' WHEN 2 THEN ' 山田' ELSE '' END)" + cast;
                case "bool" -> "(" + g + " % 2 = 0)";
                case "date" -> "(date '2024-01-01' + (" + g + " % 1000)::int)" + cast;
                case "timestamp", "timestamptz" -> "(timestamptz '2024-01-01 00:00:00+00' + " + g + " * interval '17 minutes')" + cast;
                case "time", "timetz" -> "(time '00:00' + (" + g + " % 86400) * interval '1 second')" + cast;
                case "interval" -> "((" + g + " % 1000) * interval '1 minute')" + cast;
                case "uuid" -> text + "::uuid" + (cast.equals("::uuid") ? "" : cast);
                case "json", "jsonb" -> "json_build_object('n', " + G + ", 's', " + salt + ")" + cast;
                case "bytea" -> "decode(" + text + ", 'hex')" + cast;
                case "inet", "cidr" -> "('10.' || (" + G + " / 65536 % 256) || '.' || (" + G + " / 256 % 256) || '.' || ("
                        + G + " % 256))" + cast;
                default -> null;
            };
            if (v == null) {
                return Optional.empty();
            }
        }
        if (!c.notNull()) {
            v = "CASE WHEN " + g + " % 10 = 0 THEN NULL ELSE " + v + " END";
        }
        return Optional.of(v);
    }
}
