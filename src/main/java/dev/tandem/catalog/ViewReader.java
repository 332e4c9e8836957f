package dev.tandem.catalog;

import dev.tandem.sql.QualifiedName;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the views and materialized views for a {@link CatalogSnapshot}: those of the schemas plus
 * those of other schemas that read one of the given tables, with their definition, output columns,
 * the table columns they read ({@code pg_depend} of their rewrite rule) and, for a simple view (see
 * {@link View}), the table column behind each output column.
 * <p>Simplicity is decided from the rule's stored query tree ({@code pg_rewrite.ev_action}): one
 * query, one range-table reference, no qualification, grouping, sorting, limit, set operation, CTE,
 * sub-link, aggregate, window function or set-returning function, and every target entry a plain
 * column of one table ({@code resorigtbl}/{@code resorigcol}); a view with storage options
 * (check option, security barrier or invoker) is never simple. Anything it cannot recognise makes
 * the view not simple, never wrongly simple. A view whose comment marks it as Tandem's own
 * ({@link View#tandemComment}) gets {@link View#tandem()}. It runs in the caller's transaction.
 */
final class ViewReader {
    private ViewReader() {}

    private static final String VIEWS = """
            SELECT v.oid::bigint, n.nspname::text, v.relname::text, v.relkind::text, pg_get_viewdef(v.oid),
                   ARRAY(SELECT a.attname::text FROM pg_attribute a
                          WHERE a.attrelid = v.oid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum),
                   v.reloptions IS NULL,
                   (SELECT r.ev_action::text FROM pg_rewrite r WHERE r.ev_class = v.oid AND r.rulename = '_RETURN'),
                   obj_description(v.oid, 'pg_class')
              FROM pg_class v JOIN pg_namespace n ON n.oid = v.relnamespace
             WHERE v.relkind IN ('v', 'm')
               AND (n.nspname = ANY (?::text[])
                    OR v.oid IN (SELECT r.ev_class FROM pg_rewrite r
                                   JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = r.oid
                                  WHERE d.refclassid = 'pg_class'::regclass
                                    AND d.refobjid = ANY (?::bigint[]::oid[])))
             ORDER BY n.nspname, v.relname
            """;

    private static final String READS = """
            SELECT DISTINCT r.ev_class::bigint, tn.nspname::text, t.relname::text, a.attname::text
              FROM pg_rewrite r
              JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = r.oid
                              AND d.refclassid = 'pg_class'::regclass AND d.refobjsubid > 0
              JOIN pg_class t ON t.oid = d.refobjid AND t.oid <> r.ev_class
              JOIN pg_namespace tn ON tn.oid = t.relnamespace
              JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid
             WHERE r.ev_class = ANY (?::bigint[]::oid[])
             ORDER BY 1, 2, 3, 4
            """;

    private static final String COLUMN_NAMES = """
            SELECT c.oid::bigint, n.nspname::text, c.relname::text, a.attnum::int, a.attname::text
              FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
              JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
             WHERE c.oid = ANY (?::bigint[]::oid[])
            """;

    private record Raw(long oid, QualifiedName name, boolean materialized, String definition, List<String> columns,
                       boolean noOptions, String tree, boolean tandem) {}

    static Map<QualifiedName, View> read(Connection c, String[] schemas, List<Long> tableOids) throws SQLException {
        List<Raw> raws = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(VIEWS)) {
            ps.setArray(1, c.createArrayOf("text", schemas));
            ps.setArray(2, c.createArrayOf("bigint", tableOids.toArray(Long[]::new)));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    raws.add(new Raw(rs.getLong(1), new QualifiedName(rs.getString(2), rs.getString(3)), "m".equals(rs.getString(4)),
                            rs.getString(5), CatalogReader.strings(rs.getArray(6)), rs.getBoolean(7), rs.getString(8),
                            View.tandemComment(rs.getString(9))));
                }
            }
        }
        Map<QualifiedName, View> out = new TreeMap<>();
        if (raws.isEmpty()) {
            return out;
        }
        Map<Long, List<View.Read>> reads = new LinkedHashMap<>();
        Array oids = c.createArrayOf("bigint", raws.stream().map(Raw::oid).toArray(Long[]::new));
        try (PreparedStatement ps = c.prepareStatement(READS)) {
            ps.setArray(1, oids);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    reads.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>())
                            .add(new View.Read(new QualifiedName(rs.getString(2), rs.getString(3)), rs.getString(4)));
                }
            }
        }
        Map<Long, List<long[]>> targets = new LinkedHashMap<>(); // view oid -> {table oid, attnum} per output column
        List<Long> sourceTables = new ArrayList<>();
        for (Raw r : raws) {
            List<long[]> t = r.materialized() || !r.noOptions() ? null : simpleTargets(r.tree(), r.columns().size());
            if (t != null) {
                targets.put(r.oid(), t);
                sourceTables.add(t.get(0)[0]);
            }
        }
        Map<Long, QualifiedName> tableNames = new LinkedHashMap<>();
        Map<String, String> columnNames = new LinkedHashMap<>(); // "oid:attnum" -> name
        if (!sourceTables.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement(COLUMN_NAMES)) {
                ps.setArray(1, c.createArrayOf("bigint", sourceTables.toArray(Long[]::new)));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        tableNames.put(rs.getLong(1), new QualifiedName(rs.getString(2), rs.getString(3)));
                        columnNames.put(rs.getLong(1) + ":" + rs.getInt(4), rs.getString(5));
                    }
                }
            }
        }
        for (Raw r : raws) {
            Optional<QualifiedName> table = Optional.empty();
            List<String> sources = new ArrayList<>();
            List<long[]> t = targets.get(r.oid());
            if (t != null) {
                for (long[] target : t) {
                    String name = columnNames.get(target[0] + ":" + target[1]);
                    if (name == null) {
                        sources = List.of();
                        break;
                    }
                    sources.add(name);
                }
                if (!sources.isEmpty()) {
                    table = Optional.ofNullable(tableNames.get(t.get(0)[0]));
                }
            }
            if (table.isEmpty()) {
                sources = List.of();
            }
            out.put(r.name(), new View(r.name(), r.materialized(), r.definition(), r.columns(),
                    reads.getOrDefault(r.oid(), List.of()), table, sources, r.tandem()));
        }
        return out;
    }

    private static final List<String> MUST_BE_EMPTY = List.of(":cteList <>", ":quals <>", ":groupClause <>",
            ":havingQual <>", ":windowClause <>", ":distinctClause <>", ":sortClause <>", ":limitOffset <>",
            ":limitCount <>", ":setOperations <>", ":hasAggs false", ":hasWindowFuncs false", ":hasTargetSRFs false",
            ":hasSubLinks false", ":hasDistinctOn false", ":hasRecursive false");

    private static final Pattern TARGET = Pattern.compile(
            "\\{TARGETENTRY :expr \\{VAR :varno 1 :varattno (\\d+) [^{}]*:varlevelsup 0 [^{}]*\\} :resno (\\d+) .*?"
                    + ":resorigtbl (\\d+) :resorigcol (\\d+) :resjunk false\\}");

    /**
     * For a simple view's query tree, {table oid, attnum} per output column in order; null when the
     * tree is not recognised as simple.
     */
    static List<long[]> simpleTargets(String tree, int columns) {
        if (tree == null || count(tree, "{QUERY") != 1 || count(tree, "{RANGETBLREF") != 1
                || count(tree, "{TARGETENTRY") != columns || columns == 0) {
            return null;
        }
        for (String m : MUST_BE_EMPTY) {
            if (!tree.contains(m)) {
                return null;
            }
        }
        List<long[]> out = new ArrayList<>();
        Matcher m = TARGET.matcher(tree);
        long table = -1;
        while (m.find()) {
            long tbl = Long.parseLong(m.group(3));
            long col = Long.parseLong(m.group(4));
            if (Long.parseLong(m.group(2)) != out.size() + 1 || col <= 0 || col != Long.parseLong(m.group(1))
                    || (table != -1 && tbl != table)) {
                return null;
            }
            table = tbl;
            out.add(new long[] {tbl, col});
        }
        return out.size() == columns ? out : null;
    }

    private static int count(String s, String needle) {
        int n = 0;
        for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + needle.length())) {
            n++;
        }
        return n;
    }
}
