package dev.tandem.catalog;

import dev.tandem.TandemException;
import dev.tandem.sql.Ident;
import dev.tandem.sql.Names;
import dev.tandem.sql.QualifiedName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A canonical, comparable description of the state of some schemas: a sorted list of lines, one
 * fact per line. Tests use it to prove that a rollback restored the database exactly: take one
 * before, apply and roll back, take another, and {@link #diff} them.
 *
 * <h2>What it covers</h2>
 * <ul>
 *   <li>everything {@link CatalogReader} reads for the tables of the schemas and for the tables of
 *       other schemas that reference them by a foreign key — columns (by their visible position,
 *       i.e. the rank among live columns, so dropping and re-adding a column is a difference only
 *       when the visible order changes), constraints with their validation state, indexes with
 *       their validity, non-internal triggers with their enabled state, comments — but not the
 *       row estimate;</li>
 *   <li>for those tables and for the views, materialized views, sequences and foreign tables of
 *       the schemas: owner, privileges (NULL and an explicit ACL equal to the default compare
 *       equal; items sorted), column privileges ({@code attacl}), persistence, replica identity,
 *       row-level security flags, storage parameters; view definitions; sequence parameters and
 *       OWNED BY (not their current value);</li>
 *   <li>functions and procedures of the schemas that are not part of an extension, and every
 *       function of schema {@code tandem} whose name starts with {@code tg_} (Tandem's trigger
 *       functions): signature, result, security, settings and the md5 of the source;</li>
 *   <li>enum types (labels in order) and domains of the schemas;</li>
 *   <li>every trigger, in any schema, whose name starts with {@code tandem_};</li>
 *   <li>with {@code includeData}: per table, the row count and an order-independent checksum of
 *       all rows (a sum of two 64-bit halves of {@code md5(row::text)} per row), optionally
 *       ignoring some columns.</li>
 * </ul>
 * <p>For a partitioned table: its key, its partitions (parent and bound), and each partition's
 * columns, constraints (validation state; inherited or not), indexes (validity; the parent index
 * it is attached to) and triggers (cloned or not). A partition's data counts in its parent's.
 * <p>It does not cover the privileges, owner and options of partitions, inheritance children outside
 * the schemas, composite types, policies, rules, statistics objects, publications, extensions,
 * sequence values, nor Tandem's state tables (unless schema {@code tandem} is one of the schemas).
 * <p>All of it is read in one snapshot (see {@link CatalogReader} for the transaction rules), with
 * {@code search_path = pg_catalog} and fixed output settings ({@code TimeZone=UTC}, ISO dates,
 * {@code extra_float_digits=3}, hex bytea), so the result does not depend on the session.
 * Free text is escaped so that every fact stays on one line; names that are not simple lower-case
 * identifiers are shown double-quoted.
 */
public final class Fingerprint {
    private final List<String> lines;

    private Fingerprint(Collection<String> lines) {
        this.lines = List.copyOf(new TreeSet<>(lines));
    }

    /** The fingerprint of the schemas (raw names), with the data of their tables when asked. */
    public static Fingerprint of(Connection c, Collection<String> schemas, boolean includeData) {
        return of(c, schemas, includeData, Map.of());
    }

    /**
     * As {@link #of(Connection, Collection, boolean)}, leaving the given columns out of the data
     * checksum of the given tables (e.g. a column Tandem added). Unknown columns are ignored.
     */
    public static Fingerprint of(Connection c, Collection<String> schemas, boolean includeData,
            Map<QualifiedName, Set<String>> excludeColumns) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("TimeZone", "UTC");
        settings.put("DateStyle", "ISO, YMD");
        settings.put("IntervalStyle", "postgres");
        settings.put("extra_float_digits", "3");
        settings.put("bytea_output", "hex");
        try {
            return CatalogReader.inReadTransaction(c, settings, () -> {
                CatalogSnapshot snapshot = CatalogReader.readInTransaction(c, schemas);
                List<String> out = new ArrayList<>();
                catalogLines(snapshot, out);
                Reader r = new Reader(c, schemas, snapshot);
                r.relations(out);
                r.columnAcls(out);
                r.sequences(out);
                r.functions(out);
                r.types(out);
                r.tandemTriggers(out);
                r.partitions(snapshot, out);
                if (includeData) {
                    for (Table t : snapshot.allTables()) {
                        out.add(dataLine(c, t, excludeColumns.getOrDefault(t.name(), Set.of())));
                    }
                }
                return new Fingerprint(out);
            });
        } catch (SQLException e) {
            throw TandemException.runtime("could not read the fingerprint: " + e.getMessage(), e);
        }
    }

    /** The facts, sorted. */
    public List<String> lines() {
        return lines;
    }

    /**
     * What differs: {@code "- line"} for a fact only in this fingerprint, {@code "+ line"} for a
     * fact only in the other, in line order; empty when equal.
     */
    public List<String> diff(Fingerprint other) {
        List<String> out = new ArrayList<>();
        List<String> a = lines;
        List<String> b = other.lines;
        int i = 0;
        int j = 0;
        while (i < a.size() || j < b.size()) {
            int cmp = i == a.size() ? 1 : j == b.size() ? -1 : a.get(i).compareTo(b.get(j));
            if (cmp == 0) {
                i++;
                j++;
            } else if (cmp < 0) {
                out.add("- " + a.get(i++));
            } else {
                out.add("+ " + b.get(j++));
            }
        }
        return out;
    }

    /** SHA-256 (hex) of the lines joined by newlines. */
    public String hash() {
        return Names.sha256Hex(String.join("\n", lines));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Fingerprint f && lines.equals(f.lines);
    }

    @Override
    public int hashCode() {
        return lines.hashCode();
    }

    /** The lines, one per line. */
    @Override
    public String toString() {
        return String.join("\n", lines);
    }

    // ---------------------------------------------------------------------------------------------

    private static final Pattern SIMPLE = Pattern.compile("[a-z_][a-z0-9_$]*");

    /** A name for display: bare when simple, else double-quoted (escaped to stay on one line). */
    static String name(String raw) {
        return SIMPLE.matcher(raw).matches() ? raw : Ident.quote(esc(raw));
    }

    static String name(QualifiedName q) {
        return name(q.schema()) + "." + name(q.name());
    }

    static String name(String schema, String relation) {
        return name(schema) + "." + name(relation);
    }

    /** Free text on one line: backslash, CR, LF and TAB escaped; null as "". */
    static String esc(String s) {
        if (s == null) {
            return "";
        }
        return s.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t");
    }

    private static void catalogLines(CatalogSnapshot snapshot, List<String> out) {
        for (Table t : snapshot.allTables()) {
            String p = "table " + name(t.name()) + " ";
            out.add(p + "kind " + t.kind());
            t.comment().ifPresent(cm -> out.add(p + "comment " + esc(cm)));
            for (Column col : t.columns()) {
                out.add(p + "column " + col.position() + " " + name(col.name()) + " " + esc(col.type())
                        + (col.notNull() ? " not null" : " null")
                        + " default=" + esc(col.defaultExpr().orElse(""))
                        + " identity=" + col.identity()
                        + " generated=" + col.generated()
                        + " collation=" + esc(col.collation().orElse("")));
                col.comment().ifPresent(cm -> out.add(p + "column " + name(col.name()) + " comment " + esc(cm)));
            }
            for (Constraint con : t.constraints()) {
                out.add(p + "constraint " + name(con.name()) + " " + con.type()
                        + (con.validated() ? " valid " : " not-valid ") + esc(con.definition()));
            }
            for (Index idx : t.indexes()) {
                out.add(p + "index " + name(idx.name()) + (idx.valid() ? " valid " : " invalid ")
                        + esc(idx.definition())
                        + idx.constraint().map(cn -> " constraint=" + name(cn)).orElse(""));
            }
            for (Trigger tg : t.triggers()) {
                out.add(triggerLine(t.name().schema(), t.name().name(), tg.name(), tg.enabled(),
                        tg.function(), tg.definition()));
            }
            t.partitioning().ifPresent(pt -> {
                out.add(p + "partition-key " + esc(pt.key()));
                for (Partition part : pt.partitions()) {
                    out.add(p + "partition " + name(part.name()) + " of " + name(part.parent()) + " " + esc(part.bound())
                            + (part.leaf() ? " leaf" : " partitioned"));
                }
            });
        }
    }

    private static String triggerLine(String schema, String table, String trigger, String enabled,
            String function, String definition) {
        return "table " + name(schema, table) + " trigger " + name(trigger) + " enabled=" + enabled
                + " function=" + esc(function) + " " + esc(definition);
    }

    /** The extra, set-based reads that CatalogReader does not do. */
    private static final class Reader {
        private final Connection c;
        private final String[] schemas;
        private final String[] extraSchemas;
        private final String[] extraNames;

        Reader(Connection c, Collection<String> schemas, CatalogSnapshot snapshot) {
            this.c = c;
            this.schemas = new LinkedHashSet<>(schemas).toArray(String[]::new);
            List<QualifiedName> tables = new ArrayList<>(snapshot.tables().keySet());
            this.extraSchemas = tables.stream().map(QualifiedName::schema).toArray(String[]::new);
            this.extraNames = tables.stream().map(QualifiedName::name).toArray(String[]::new);
        }

        /** Relations of the schemas plus the snapshot's tables (which may be in other schemas). */
        private static final String REL_FILTER = """
                 NOT c.relispartition
                 AND (n.nspname = ANY (?::text[])
                      OR (n.nspname, c.relname) IN (SELECT s, r FROM unnest(?::text[], ?::text[]) AS x(s, r)))
                """;

        private PreparedStatement prepareWithRelFilter(String sql) throws SQLException {
            PreparedStatement ps = c.prepareStatement(sql);
            ps.setArray(1, c.createArrayOf("text", schemas));
            ps.setArray(2, c.createArrayOf("text", extraSchemas));
            ps.setArray(3, c.createArrayOf("text", extraNames));
            return ps;
        }

        private static String kindWord(String relkind) {
            return switch (relkind) {
                case "r", "p" -> "table";
                case "v" -> "view";
                case "m" -> "materialized-view";
                case "S" -> "sequence";
                case "f" -> "foreign-table";
                default -> "relation";
            };
        }

        void relations(List<String> out) throws SQLException {
            String sql = """
                    SELECT n.nspname::text, c.relname::text, c.relkind::text, pg_get_userbyid(c.relowner)::text,
                           array_to_string(ARRAY(
                               SELECT x::text FROM unnest(coalesce(c.relacl,
                                   acldefault(CASE WHEN c.relkind = 'S' THEN 's' ELSE 'r' END::"char", c.relowner))) AS x
                               ORDER BY 1), ' '),
                           c.relpersistence::text, c.relreplident::text, c.relrowsecurity, c.relforcerowsecurity,
                           array_to_string(ARRAY(SELECT x FROM unnest(c.reloptions) AS x ORDER BY 1), ','),
                           CASE WHEN c.relkind IN ('v', 'm') THEN pg_get_viewdef(c.oid) END,
                           obj_description(c.oid, 'pg_class')
                      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                     WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND
                    """ + REL_FILTER;
            try (PreparedStatement ps = prepareWithRelFilter(sql); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String kind = rs.getString(3);
                    String p = kindWord(kind) + " " + name(rs.getString(1), rs.getString(2)) + " ";
                    out.add(p + "owner " + name(rs.getString(4)));
                    out.add(p + "acl " + esc(rs.getString(5)));
                    out.add(p + "options persistence=" + rs.getString(6) + " replica-identity=" + rs.getString(7)
                            + " rls=" + rs.getBoolean(8) + " force-rls=" + rs.getBoolean(9)
                            + " reloptions=" + esc(rs.getString(10)));
                    if (!kind.equals("r") && !kind.equals("p")) { // tables: comment from the snapshot
                        String comment = rs.getString(12);
                        if (comment != null) {
                            out.add(p + "comment " + esc(comment));
                        }
                    }
                    String viewdef = rs.getString(11);
                    if (viewdef != null) {
                        out.add(p + "definition " + esc(viewdef.strip()));
                    }
                }
            }
        }

        /**
         * The objects of every partition of the snapshot's partitioned tables: columns (type, NOT
         * NULL, default), constraints (validation state, inherited or local), indexes (validity
         * and the parent index each is attached to) and triggers (cloned or local, enabled state).
         */
        void partitions(CatalogSnapshot snapshot, List<String> out) throws SQLException {
            String[] parts = snapshot.allTables().stream().flatMap(t -> t.partitioning().stream())
                    .flatMap(pt -> pt.partitions().stream()).map(pt -> pt.name().sql()).toArray(String[]::new);
            if (parts.length == 0) {
                return;
            }
            String rels = "SELECT to_regclass(x) AS oid FROM unnest(?::text[]) AS x";
            String[] sql = {
                """
                SELECT n.nspname::text, c.relname::text, 'column ' || quote_ident(a.attname) || ' ' || format_type(a.atttypid, a.atttypmod)
                       || CASE WHEN a.attnotnull THEN ' not null' ELSE ' null' END
                       || ' default=' || coalesce(pg_get_expr(d.adbin, d.adrelid), '') || ' local=' || a.attislocal
                  FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                  LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
                 WHERE a.attnum > 0 AND NOT a.attisdropped AND a.attrelid IN (%s)
                """,
                """
                SELECT n.nspname::text, c.relname::text, 'constraint ' || quote_ident(con.conname) || ' ' || con.contype::text
                       || CASE WHEN con.convalidated THEN ' valid ' ELSE ' not-valid ' END || pg_get_constraintdef(con.oid)
                       || CASE WHEN con.conparentid <> 0 THEN ' inherited' ELSE '' END
                       || ' local=' || con.conislocal || ' inhcount=' || con.coninhcount
                  FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE con.conrelid IN (%s)
                """,
                """
                SELECT n.nspname::text, c.relname::text, 'index ' || quote_ident(ic.relname)
                       || CASE WHEN i.indisvalid THEN ' valid ' ELSE ' invalid ' END || pg_get_indexdef(i.indexrelid)
                       || coalesce(' attached-to=' || (SELECT pi.inhparent::regclass::text FROM pg_inherits pi
                                                        WHERE pi.inhrelid = i.indexrelid), '')
                  FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
                  JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE i.indrelid IN (%s)
                """,
                """
                SELECT n.nspname::text, c.relname::text, 'trigger ' || quote_ident(t.tgname) || ' enabled=' || t.tgenabled::text
                       || CASE WHEN t.tgparentid <> 0 THEN ' cloned ' ELSE ' ' END || pg_get_triggerdef(t.oid)
                  FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE t.tgrelid IN (%s) AND NOT t.tgisinternal
                """};
            for (String q : sql) {
                try (PreparedStatement ps = c.prepareStatement(q.formatted(rels))) {
                    ps.setArray(1, c.createArrayOf("text", parts));
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            out.add("partition " + name(rs.getString(1), rs.getString(2)) + " " + esc(rs.getString(3)));
                        }
                    }
                }
            }
        }

        void columnAcls(List<String> out) throws SQLException {
            String sql = """
                    SELECT n.nspname::text, c.relname::text, c.relkind::text, a.attname::text,
                           array_to_string(ARRAY(SELECT x::text FROM unnest(a.attacl) AS x ORDER BY 1), ' ')
                      FROM pg_attribute a
                      JOIN pg_class c ON c.oid = a.attrelid
                      JOIN pg_namespace n ON n.oid = c.relnamespace
                     WHERE a.attnum > 0 AND NOT a.attisdropped AND cardinality(a.attacl) > 0
                       AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND
                    """ + REL_FILTER;
            try (PreparedStatement ps = prepareWithRelFilter(sql); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(kindWord(rs.getString(3)) + " " + name(rs.getString(1), rs.getString(2))
                            + " column " + name(rs.getString(4)) + " acl " + esc(rs.getString(5)));
                }
            }
        }

        void sequences(List<String> out) throws SQLException {
            String sql = """
                    SELECT n.nspname::text, c.relname::text, format_type(s.seqtypid, NULL),
                           s.seqstart, s.seqincrement, s.seqmin, s.seqmax, s.seqcache, s.seqcycle,
                           o.nspname, o.relname, o.attname
                      FROM pg_sequence s
                      JOIN pg_class c ON c.oid = s.seqrelid
                      JOIN pg_namespace n ON n.oid = c.relnamespace
                      LEFT JOIN LATERAL (
                          SELECT rn.nspname::text, rc.relname::text, ra.attname::text
                            FROM pg_depend d
                            JOIN pg_class rc ON rc.oid = d.refobjid
                            JOIN pg_namespace rn ON rn.oid = rc.relnamespace
                            JOIN pg_attribute ra ON ra.attrelid = d.refobjid AND ra.attnum = d.refobjsubid
                           WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                             AND d.refclassid = 'pg_class'::regclass AND d.refobjsubid > 0
                             AND d.deptype IN ('a', 'i')
                           ORDER BY 1, 2, 3 LIMIT 1) AS o ON true
                     WHERE n.nspname = ANY (?::text[])
                    """;
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setArray(1, c.createArrayOf("text", schemas));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String owned = rs.getString(10) == null ? "none"
                                : name(rs.getString(10), rs.getString(11)) + "." + name(rs.getString(12));
                        out.add("sequence " + name(rs.getString(1), rs.getString(2)) + " parameters as "
                                + rs.getString(3) + " start " + rs.getLong(4) + " increment " + rs.getLong(5)
                                + " min " + rs.getLong(6) + " max " + rs.getLong(7) + " cache " + rs.getLong(8)
                                + (rs.getBoolean(9) ? " cycle" : " no-cycle") + " owned-by " + owned);
                    }
                }
            }
        }

        void functions(List<String> out) throws SQLException {
            String sql = """
                    SELECT n.nspname::text, p.proname::text, pg_get_function_identity_arguments(p.oid),
                           coalesce(pg_get_function_result(p.oid), ''), p.prokind::text, p.prosecdef,
                           p.provolatile::text, coalesce(array_to_string(p.proconfig, ','), ''),
                           l.lanname::text, md5(coalesce(p.prosrc, '')), pg_get_userbyid(p.proowner)::text
                      FROM pg_proc p
                      JOIN pg_namespace n ON n.oid = p.pronamespace
                      JOIN pg_language l ON l.oid = p.prolang
                     WHERE (n.nspname = ANY (?::text[])
                            AND NOT EXISTS (SELECT 1 FROM pg_depend d
                                             WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid
                                               AND d.deptype = 'e'))
                        OR (n.nspname = ? AND left(p.proname, 3) = 'tg_')
                    """;
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setArray(1, c.createArrayOf("text", schemas));
                ps.setString(2, CatalogReader.TANDEM_SCHEMA);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add("function " + name(rs.getString(1), rs.getString(2)) + "(" + esc(rs.getString(3))
                                + ") returns " + esc(rs.getString(4)) + " kind=" + rs.getString(5)
                                + " security-definer=" + rs.getBoolean(6) + " volatility=" + rs.getString(7)
                                + " config=" + esc(rs.getString(8)) + " language=" + rs.getString(9)
                                + " owner=" + name(rs.getString(11)) + " source-md5=" + rs.getString(10));
                    }
                }
            }
        }

        void types(List<String> out) throws SQLException {
            String sql = """
                    SELECT n.nspname::text, t.typname::text, t.typtype::text,
                           CASE t.typtype
                             WHEN 'e' THEN '(' || array_to_string(ARRAY(
                                     SELECT quote_literal(e.enumlabel) FROM pg_enum e
                                      WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder), ', ') || ')'
                             ELSE format_type(t.typbasetype, t.typtypmod)
                                  || CASE WHEN t.typnotnull THEN ' not null' ELSE '' END
                                  || coalesce(' default ' || t.typdefault, '')
                                  || coalesce(' ' || (SELECT string_agg(con.conname || ' ' || pg_get_constraintdef(con.oid)
                                                                        || CASE WHEN con.convalidated THEN '' ELSE ' (not valid)' END,
                                                                        ', ' ORDER BY con.conname)
                                                         FROM pg_constraint con WHERE con.contypid = t.oid), '')
                           END,
                           pg_get_userbyid(t.typowner)::text
                      FROM pg_type t
                      JOIN pg_namespace n ON n.oid = t.typnamespace
                     WHERE t.typtype IN ('e', 'd') AND n.nspname = ANY (?::text[])
                       AND NOT EXISTS (SELECT 1 FROM pg_depend d
                                        WHERE d.classid = 'pg_type'::regclass AND d.objid = t.oid
                                          AND d.deptype = 'e')
                    """;
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setArray(1, c.createArrayOf("text", schemas));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add("type " + name(rs.getString(1), rs.getString(2))
                                + ("e".equals(rs.getString(3)) ? " enum " : " domain ") + esc(rs.getString(4))
                                + " owner=" + name(rs.getString(5)));
                    }
                }
            }
        }

        void tandemTriggers(List<String> out) throws SQLException {
            String sql = """
                    SELECT n.nspname::text, c.relname::text, t.tgname::text, t.tgenabled::text,
                           pn.nspname::text || '.' || p.proname::text, pg_get_triggerdef(t.oid)
                      FROM pg_trigger t
                      JOIN pg_class c ON c.oid = t.tgrelid
                      JOIN pg_namespace n ON n.oid = c.relnamespace
                      JOIN pg_proc p ON p.oid = t.tgfoid
                      JOIN pg_namespace pn ON pn.oid = p.pronamespace
                     WHERE left(t.tgname, 7) = 'tandem_' AND NOT t.tgisinternal
                    """;
            try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(triggerLine(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6)));
                }
            }
        }
    }

    /** Row count and an order-independent checksum of the table's rows (minus excluded columns). */
    private static String dataLine(Connection c, Table t, Set<String> exclude) throws SQLException {
        List<String> cols = new ArrayList<>();
        for (Column col : t.columns()) {
            if (!exclude.contains(col.name())) {
                cols.add("t." + Ident.quote(col.name()));
            }
        }
        String from = ("p".equals(t.kind()) ? "" : "ONLY ") + t.name().sql();
        String sql = "SELECT count(*), md5(coalesce(sum(('x' || substr(h, 1, 16))::bit(64)::bigint::numeric), 0)::text"
                + " || ':' || coalesce(sum(('x' || substr(h, 17, 16))::bit(64)::bigint::numeric), 0)::text)"
                + " FROM (SELECT md5(ROW(" + String.join(", ", cols) + ")::text) AS h FROM " + from + " AS t) AS rows";
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            rs.next();
            // The excluded columns are deliberately not named: a fingerprint taken before a column
            // existed must equal one taken after, with that column excluded.
            return "data " + name(t.name()) + " rows=" + rs.getLong(1) + " checksum=" + rs.getString(2);
        }
    }
}
