package dev.tandem.verify;

import dev.tandem.sql.QualifiedName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * What the row generator needs to know about one table, read from the live catalog: its columns
 * with their base types, the column sets that must be unique, its foreign keys and its CHECK
 * expressions (as {@code pg_get_expr} prints them, over unqualified column names).
 * <p>Not covered: exclusion constraints, partial or expression unique indexes (they are ignored;
 * a conflicting row is simply skipped by {@code ON CONFLICT DO NOTHING}), domain constraints.
 */
record TableModel(QualifiedName name, boolean view, List<Col> columns, List<List<String>> uniqueSets, List<ForeignKey> foreignKeys,
                  List<Check> checks) {

    /**
     * @param name raw column name
     * @param type the column's type as {@code format_type} prints it (cast target)
     * @param baseType typname of the type, or of the domain's base type
     * @param typtype the base type's typtype (b, e, …)
     * @param category the base type's typcategory (A for arrays)
     * @param notNull attnotnull
     * @param hasDefault whether the column has a default
     * @param automatic identity or generated: never written by applications
     */
    record Col(String name, String type, String baseType, String typtype, String category, boolean notNull,
               boolean hasDefault, boolean automatic) {}

    /** A foreign key: these columns reference {@code parentColumns} of {@code parent}. */
    record ForeignKey(String name, List<String> columns, QualifiedName parent, List<String> parentColumns) {}

    /** A CHECK constraint: its expression and the columns it mentions. */
    record Check(String name, String expression, List<String> columns) {}

    /** The same table as an application sees it: these columns are never written NULL. */
    TableModel withNotNull(java.util.Set<String> names) {
        List<Col> cols = columns.stream().map(c -> c.notNull() || !names.contains(c.name()) ? c
                : new Col(c.name(), c.type(), c.baseType(), c.typtype(), c.category(), true, c.hasDefault(), c.automatic())).toList();
        return new TableModel(name, view, cols, uniqueSets, foreignKeys, checks);
    }

    Optional<Col> column(String n) {
        return columns.stream().filter(c -> c.name().equals(n)).findFirst();
    }

    /** True when the columns contain a whole unique set (so two rows may not share their values). */
    boolean uniqueOver(List<String> cols) {
        return uniqueSets.stream().anyMatch(cols::containsAll);
    }

    /** Reads the table (or view: then only its columns); empty when neither exists. */
    static Optional<TableModel> read(Connection c, QualifiedName t) throws SQLException {
        Long oid = null;
        boolean view = false;
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT c.oid::bigint, c.relkind = 'v' FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                 WHERE n.nspname = ? AND c.relname = ? AND c.relkind IN ('r', 'p', 'v')""")) {
            ps.setString(1, t.schema());
            ps.setString(2, t.name());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    oid = rs.getLong(1);
                    view = rs.getBoolean(2);
                }
            }
        }
        if (oid == null) {
            return Optional.empty();
        }
        List<Col> cols = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod),
                       bt.typname, bt.typtype, bt.typcategory, a.attnotnull, a.atthasdef,
                       a.attidentity <> '' OR a.attgenerated <> ''
                  FROM pg_catalog.pg_attribute a
                  JOIN pg_catalog.pg_type ty ON ty.oid = a.atttypid
                  JOIN pg_catalog.pg_type bt ON bt.oid = CASE WHEN ty.typtype = 'd' THEN ty.typbasetype ELSE ty.oid END
                 WHERE a.attrelid = ? AND a.attnum > 0 AND NOT a.attisdropped
                 ORDER BY a.attnum""")) {
            ps.setLong(1, oid);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    cols.add(new Col(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                            rs.getBoolean(6), rs.getBoolean(7), rs.getBoolean(8)));
                }
            }
        }
        // A simple updatable view (rename_table's old name) writes into its one base table: the keys,
        // foreign keys and checks that apply to the application's writes are that table's.
        long keysOf = view ? baseOf(c, oid).orElse(oid) : oid;
        List<List<String>> unique = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT ARRAY(SELECT a.attname FROM unnest(i.indkey::int2[]) k JOIN pg_catalog.pg_attribute a
                                ON a.attrelid = i.indrelid AND a.attnum = k)
                  FROM pg_catalog.pg_index i
                 WHERE i.indrelid = ? AND i.indisunique AND i.indpred IS NULL AND i.indexprs IS NULL""")) {
            ps.setLong(1, keysOf);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    unique.add(Arrays.asList((String[]) rs.getArray(1).getArray()));
                }
            }
        }
        List<ForeignKey> fks = new ArrayList<>();
        List<Check> checks = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT k.conname, k.contype,
                       ARRAY(SELECT a.attname FROM unnest(k.conkey) WITH ORDINALITY u(n, o)
                               JOIN pg_catalog.pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.n ORDER BY u.o),
                       pn.nspname, pc.relname,
                       ARRAY(SELECT a.attname FROM unnest(k.confkey) WITH ORDINALITY u(n, o)
                               JOIN pg_catalog.pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = u.n ORDER BY u.o),
                       CASE WHEN k.contype = 'c' THEN pg_catalog.pg_get_expr(k.conbin, k.conrelid) END
                  FROM pg_catalog.pg_constraint k
                  LEFT JOIN pg_catalog.pg_class pc ON pc.oid = k.confrelid
                  LEFT JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace
                 WHERE k.conrelid = ? AND k.contype IN ('f', 'c')
                 ORDER BY k.conname""")) {
            ps.setLong(1, keysOf);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    List<String> kcols = Arrays.asList((String[]) rs.getArray(3).getArray());
                    if (rs.getString(2).equals("f")) {
                        fks.add(new ForeignKey(rs.getString(1), kcols, new QualifiedName(rs.getString(4), rs.getString(5)),
                                Arrays.asList((String[]) rs.getArray(6).getArray())));
                    } else {
                        checks.add(new Check(rs.getString(1), rs.getString(7), kcols));
                    }
                }
            }
        }
        return Optional.of(new TableModel(t, view, cols, unique, fks, checks));
    }

    /** The one table a simple view selects from, when it has exactly one. */
    private static Optional<Long> baseOf(Connection c, long view) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT DISTINCT d.refobjid::bigint FROM pg_catalog.pg_rewrite rw
                  JOIN pg_catalog.pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = rw.oid
                  JOIN pg_catalog.pg_class b ON b.oid = d.refobjid AND b.relkind IN ('r', 'p')
                 WHERE rw.ev_class = ? AND d.refobjid <> rw.ev_class""")) {
            ps.setLong(1, view);
            try (ResultSet rs = ps.executeQuery()) {
                Long base = rs.next() ? rs.getLong(1) : null;
                return base != null && !rs.next() ? Optional.of(base) : Optional.empty();
            }
        }
    }
}
