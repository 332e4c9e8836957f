package dev.tandem.catalog;

import dev.tandem.TandemException;
import dev.tandem.sql.Ident;
import dev.tandem.sql.QualifiedName;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Reads a live schema into an immutable {@link CatalogSnapshot}, with a handful of set-based
 * catalog queries (one per kind of object, not one per table or column).
 *
 * <h2>What it reads</h2>
 * Every ordinary and partitioned table (relkind {@code r}, {@code p}) of the given schemas, and
 * every table of any other schema that has a foreign key referencing one of them (so that
 * {@link CatalogSnapshot#foreignKeysReferencing} sees it). Tandem's own schema {@code tandem} is
 * left out of that second group unless it is one of the given schemas. For each table:
 * <ul>
 *   <li>live columns ({@code position} = rank among the non-dropped columns, which is the order
 *       {@code SELECT *} shows), type ({@code format_type}), NOT NULL, default
 *       ({@code pg_get_expr}; for a generated column this is the generation expression and
 *       {@code generated} is {@code "s"}), identity, collation (only when it differs from the
 *       type's default; the bare collation name), comment;</li>
 *   <li>constraints ({@code pg_get_constraintdef}, {@code convalidated}, constrained columns in
 *       key order, and for a foreign key the referenced table as {@code "schema.table"} and its
 *       columns);</li>
 *   <li>indexes ({@code pg_get_indexdef}, access method, unique, primary, {@code indisvalid},
 *       key columns in order with {@code null} for an expression key, per-key options derived
 *       from the catalog — {@code COLLATE} when it differs from the column's, a non-default
 *       operator class, {@code DESC}, {@code NULLS FIRST|LAST} — INCLUDE columns, predicate,
 *       owning primary-key/unique/exclusion constraint);</li>
 *   <li>non-internal triggers ({@code pg_get_triggerdef}, {@code tgenabled}, function as
 *       {@code "schema.name"}), {@code relacl} as text ("" when NULL, i.e. default privileges),
 *       {@code reltuples} (−1 or 0 when never analyzed), the table comment, the replica identity
 *       ({@code relreplident} and the index marked {@code indisreplident}).</li>
 * </ul>
 * All names are raw (unquoted); quote them with {@link Ident} when rendering SQL.
 * <p>The catalog is read in one REPEATABLE READ, READ ONLY transaction when the connection is in
 * autocommit mode (so all queries see one state), or inside the caller's transaction otherwise.
 * Definitions and types are rendered with {@code search_path = pg_catalog}, so every name outside
 * {@code pg_catalog} is schema-qualified ({@code REFERENCES public.users(id)},
 * {@code public.task_status}, {@code 'active'::public.project_status}) and the snapshot does not
 * depend on the session's search_path. The session's settings are left as they were.
 *
 * <p>Views and materialized views ({@link View}, read by {@link ViewReader}): those of the given
 * schemas and those of any schema that read one of the tables.
 *
 * <h2>What it does not read</h2>
 * Sequences (other than what a column default or identity says),
 * functions, types and enums, policies and row-level security, rules, statistics objects,
 * the partitions' own objects (a partitioned table's key and partition tree, with bounds, are read
 * into {@link Partitioning}; the columns, constraints, indexes and triggers cloned onto each
 * partition are not — {@link Fingerprint} compares those), inheritance children as such,
 * storage parameters, tablespaces, owners, column privileges ({@code attacl}; see
 * {@link Fingerprint}), and the collation of an expression index key.
 */
public final class CatalogReader {
    private CatalogReader() {}

    /** Tandem's own schema, excluded from the "referencing tables" unless asked for. */
    static final String TANDEM_SCHEMA = "tandem";

    /**
     * Reads the tables of the given schemas (raw names) and the tables that reference them.
     *
     * @throws TandemException (runtime) when a catalog query fails
     */
    public static CatalogSnapshot read(Connection c, Collection<String> schemas) {
        try {
            return inReadTransaction(c, Map.of(), () -> readInTransaction(c, schemas));
        } catch (SQLException e) {
            throw TandemException.runtime("could not read the catalog: " + e.getMessage(), e);
        }
    }

    /**
     * Like {@link #read(Connection, Collection)}, but waits at most {@code lockTimeoutMs} for a
     * lock: some catalog functions (pg_get_expr) open the table, which waits behind a session that
     * holds ACCESS EXCLUSIVE on it. Gives up with exit code 3 naming the wait instead of hanging.
     */
    public static CatalogSnapshot read(Connection c, Collection<String> schemas, long lockTimeoutMs) {
        try {
            return inReadTransaction(c, Map.of("lock_timeout", lockTimeoutMs + "ms"), () -> readInTransaction(c, schemas));
        } catch (SQLException e) {
            if ("55P03".equals(e.getSQLState())) {
                throw new TandemException(TandemException.LOCK, "could not read the catalog: a table of schema(s) "
                        + String.join(", ", new java.util.TreeSet<>(schemas)) + " is locked by another session (waited "
                        + lockTimeoutMs + " ms, the --lock-timeout); nothing changed. Run again when it is released", e);
            }
            throw TandemException.runtime("could not read the catalog: " + e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------------------------------------

    @FunctionalInterface
    interface SqlWork<T> {
        T run() throws SQLException;
    }

    /**
     * Runs work with {@code search_path = pg_catalog} plus the given settings in effect: in a new
     * REPEATABLE READ, READ ONLY transaction when the connection is in autocommit mode, otherwise
     * inside the caller's transaction (settings restored afterwards).
     */
    static <T> T inReadTransaction(Connection c, Map<String, String> settings, SqlWork<T> work)
            throws SQLException {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("search_path", "pg_catalog");
        all.putAll(settings);
        if (c.getAutoCommit()) {
            c.setAutoCommit(false);
            try {
                try (Statement s = c.createStatement()) {
                    s.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
                }
                setLocal(c, all);
                T result = work.run();
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                try {
                    c.rollback();
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
        Map<String, String> saved = new LinkedHashMap<>();
        for (String name : all.keySet()) {
            saved.put(name, queryString(c, "SELECT current_setting(?)", name));
        }
        setLocal(c, all);
        T result;
        try {
            result = work.run();
        } catch (SQLException | RuntimeException e) {
            try {
                setLocal(c, saved);
            } catch (SQLException suppressed) { // e.g. the transaction is aborted now
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        setLocal(c, saved);
        return result;
    }

    private static void setLocal(Connection c, Map<String, String> settings) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT set_config(?, ?, true)")) {
            for (Map.Entry<String, String> e : settings.entrySet()) {
                ps.setString(1, e.getKey());
                ps.setString(2, e.getValue());
                ps.executeQuery().close();
            }
        }
    }

    static String queryString(Connection c, String sql, String param) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, param);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    static int serverVersionNum(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT current_setting('server_version_num')::int")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** The tables of the schemas plus their referencers; oid → name, in name order. */
    private static final String TABLES = """
            WITH target AS (
              SELECT c.oid
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
               WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND n.nspname = ANY (?::text[])
            ), referencing AS (
              SELECT con.conrelid AS oid
                FROM pg_constraint con
                JOIN pg_class c ON c.oid = con.conrelid
                JOIN pg_namespace n ON n.oid = c.relnamespace
               WHERE con.contype = 'f' AND con.conparentid = 0
                 AND con.confrelid IN (SELECT oid FROM target)
                 AND c.relkind IN ('r', 'p') AND NOT c.relispartition
                 AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
                 AND (n.nspname <> ? OR ? = ANY (?::text[]))
            )
            SELECT c.oid::bigint, n.nspname::text, c.relname::text, c.relkind::text,
                   coalesce(c.relacl::text, ''), c.reltuples::bigint, obj_description(c.oid, 'pg_class'),
                   c.relreplident::text,
                   (SELECT ic.relname::text FROM pg_index x JOIN pg_class ic ON ic.oid = x.indexrelid
                     WHERE x.indrelid = c.oid AND x.indisreplident LIMIT 1)
              FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE c.oid IN (SELECT oid FROM target UNION SELECT oid FROM referencing)
             ORDER BY n.nspname, c.relname
            """;

    private static final String COLUMNS = """
            SELECT a.attrelid::bigint, a.attname::text,
                   row_number() OVER (PARTITION BY a.attrelid ORDER BY a.attnum)::int,
                   format_type(a.atttypid, a.atttypmod), a.attnotnull,
                   pg_get_expr(d.adbin, d.adrelid), a.attidentity::text, a.attgenerated::text,
                   CASE WHEN a.attcollation <> 0 AND a.attcollation <> t.typcollation
                        THEN co.collname::text END,
                   col_description(a.attrelid, a.attnum)
              FROM pg_attribute a
              JOIN pg_type t ON t.oid = a.atttypid
              LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
              LEFT JOIN pg_collation co ON co.oid = a.attcollation
             WHERE a.attrelid = ANY (?::bigint[]::oid[]) AND a.attnum > 0 AND NOT a.attisdropped
             ORDER BY a.attrelid, a.attnum
            """;

    private static final String CONSTRAINTS = """
            SELECT con.conrelid::bigint, con.conname::text, con.contype::text,
                   pg_get_constraintdef(con.oid), con.convalidated,
                   ARRAY(SELECT a.attname::text
                           FROM unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)
                           JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum
                          ORDER BY k.ord),
                   fn.nspname::text, fc.relname::text,
                   ARRAY(SELECT a.attname::text
                           FROM unnest(con.confkey) WITH ORDINALITY AS k(attnum, ord)
                           JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum
                          ORDER BY k.ord)
              FROM pg_constraint con
              LEFT JOIN pg_class fc ON fc.oid = con.confrelid AND con.contype = 'f'
              LEFT JOIN pg_namespace fn ON fn.oid = fc.relnamespace
             WHERE con.conrelid = ANY (?::bigint[]::oid[]) AND con.conparentid = 0
             ORDER BY con.conrelid, con.conname
            """;

    private static final String INDEXES = """
            SELECT i.indrelid::bigint, i.indexrelid::bigint, ic.relname::text,
                   pg_get_indexdef(i.indexrelid), am.amname::text,
                   i.indisunique, i.indisprimary, i.indisvalid,
                   pg_get_expr(i.indpred, i.indrelid),
                   (SELECT con.conname::text FROM pg_constraint con
                     WHERE con.conindid = i.indexrelid AND con.conrelid = i.indrelid
                       AND con.contype IN ('p', 'u', 'x')
                     ORDER BY con.conname LIMIT 1),
                   ARRAY(SELECT a.attname::text
                           FROM generate_series(i.indnkeyatts, i.indnatts - 1) AS k(n)
                           JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[k.n]
                          ORDER BY k.n)
              FROM pg_index i
              JOIN pg_class ic ON ic.oid = i.indexrelid
              JOIN pg_am am ON am.oid = ic.relam
             WHERE i.indrelid = ANY (?::bigint[]::oid[])
             ORDER BY i.indrelid, ic.relname
            """;

    /**
     * One row per index key. The operator class is the default one when it is marked default and
     * no other default operator class of the access method takes exactly the key's (base) type —
     * GetDefaultOpClass's rule, simplified (one level of domain).
     */
    private static final String INDEX_KEYS = """
            SELECT i.indexrelid::bigint, k.n, a.attname::text, i.indoption[k.n]::int,
                   pg_indexam_has_property(ic.relam, 'can_order'),
                   opc.opcname::text, opcn.nspname::text,
                   opc.opcdefault AND NOT EXISTS (
                       SELECT 1 FROM pg_opclass o2
                        WHERE o2.opcmethod = opc.opcmethod AND o2.opcdefault AND o2.oid <> opc.oid
                          AND o2.opcintype = (SELECT CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.oid END
                                                FROM pg_type t WHERE t.oid = coalesce(a.atttypid, ia.atttypid))),
                   CASE WHEN a.attnum IS NOT NULL AND i.indcollation[k.n] <> 0
                             AND i.indcollation[k.n] <> a.attcollation THEN co.collname::text END,
                   coln.nspname::text
              FROM pg_index i
              JOIN pg_class ic ON ic.oid = i.indexrelid
              CROSS JOIN LATERAL generate_series(0, i.indnkeyatts - 1) AS k(n)
              LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND i.indkey[k.n] <> 0 AND a.attnum = i.indkey[k.n]
              JOIN pg_attribute ia ON ia.attrelid = i.indexrelid AND ia.attnum = k.n + 1
              JOIN pg_opclass opc ON opc.oid = i.indclass[k.n]
              JOIN pg_namespace opcn ON opcn.oid = opc.opcnamespace
              LEFT JOIN pg_collation co ON co.oid = i.indcollation[k.n]
              LEFT JOIN pg_namespace coln ON coln.oid = co.collnamespace
             WHERE i.indrelid = ANY (?::bigint[]::oid[])
             ORDER BY 1, 2
            """;

    private static final String TRIGGERS = """
            SELECT t.tgrelid::bigint, t.tgname::text, pg_get_triggerdef(t.oid), t.tgenabled::text,
                   pn.nspname::text, p.proname::text
              FROM pg_trigger t
              JOIN pg_proc p ON p.oid = t.tgfoid
              JOIN pg_namespace pn ON pn.oid = p.pronamespace
             WHERE t.tgrelid = ANY (?::bigint[]::oid[]) AND NOT t.tgisinternal
             ORDER BY t.tgrelid, t.tgname
            """;

    /** Every partition below the given partitioned tables, parents before children (by name path). */
    private static final String PARTITIONS = """
            WITH RECURSIVE tree(root, oid, parent, path) AS (
              SELECT i.inhparent, i.inhrelid, i.inhparent, ARRAY[c.relname::text]
                FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
               WHERE i.inhparent = ANY (?::bigint[]::oid[]) AND c.relispartition
              UNION ALL
              SELECT t.root, i.inhrelid, i.inhparent, t.path || c.relname::text
                FROM tree t JOIN pg_inherits i ON i.inhparent = t.oid JOIN pg_class c ON c.oid = i.inhrelid
               WHERE c.relispartition
            )
            SELECT t.root::bigint, n.nspname::text, c.relname::text, pn.nspname::text, pc.relname::text,
                   pg_get_expr(c.relpartbound, c.oid), c.relkind::text,
                   ARRAY(SELECT a.attname::text
                           FROM unnest(pt.partattrs::int2[]) WITH ORDINALITY AS k(attnum, ord)
                           LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND k.attnum <> 0 AND a.attnum = k.attnum
                          ORDER BY k.ord)
              FROM tree t
              JOIN pg_class c ON c.oid = t.oid JOIN pg_namespace n ON n.oid = c.relnamespace
              JOIN pg_class pc ON pc.oid = t.parent JOIN pg_namespace pn ON pn.oid = pc.relnamespace
              LEFT JOIN pg_partitioned_table pt ON pt.partrelid = c.oid
             WHERE c.relkind IN ('r', 'p')
             ORDER BY t.root, t.path
            """;

    /** The partition key of each given partitioned table. */
    private static final String PARTITION_KEYS = """
            SELECT pt.partrelid::bigint, pg_get_partkeydef(pt.partrelid),
                   ARRAY(SELECT a.attname::text
                           FROM unnest(pt.partattrs::int2[]) WITH ORDINALITY AS k(attnum, ord)
                           LEFT JOIN pg_attribute a ON a.attrelid = pt.partrelid AND k.attnum <> 0 AND a.attnum = k.attnum
                          ORDER BY k.ord)
              FROM pg_partitioned_table pt
             WHERE pt.partrelid = ANY (?::bigint[]::oid[])
            """;

    private static final class TableParts {
        final QualifiedName name;
        final String kind;
        final String acl;
        final long rowEstimate;
        final Optional<String> comment;
        ReplicaIdentity replicaIdentity = ReplicaIdentity.DEFAULT;
        final List<Column> columns = new ArrayList<>();
        final List<Constraint> constraints = new ArrayList<>();
        final List<Index> indexes = new ArrayList<>();
        final List<Trigger> triggers = new ArrayList<>();
        String partitionKey;
        List<String> partitionKeyColumns = List.of();
        final List<Partition> partitions = new ArrayList<>();

        TableParts(QualifiedName name, String kind, String acl, long rowEstimate, Optional<String> comment) {
            this.name = name;
            this.kind = kind;
            this.acl = acl;
            this.rowEstimate = rowEstimate;
            this.comment = comment;
        }

        Table build() {
            Optional<Partitioning> p = partitionKey == null ? Optional.empty()
                    : Optional.of(new Partitioning(partitionKey, partitionKeyColumns, partitions));
            return new Table(name, kind, columns, constraints, indexes, triggers, acl, rowEstimate, comment, p, replicaIdentity);
        }
    }

    /** The reads themselves; the caller provides the transaction and search_path. */
    static CatalogSnapshot readInTransaction(Connection c, Collection<String> schemas) throws SQLException {
        String[] schemaArray = new LinkedHashSet<>(schemas).toArray(String[]::new);
        int version = serverVersionNum(c);

        Map<Long, TableParts> tables = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(TABLES)) {
            ps.setArray(1, c.createArrayOf("text", schemaArray));
            ps.setString(2, TANDEM_SCHEMA);
            ps.setString(3, TANDEM_SCHEMA);
            ps.setArray(4, c.createArrayOf("text", schemaArray));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    TableParts parts = new TableParts(
                            new QualifiedName(rs.getString(2), rs.getString(3)),
                            rs.getString(4), rs.getString(5), rs.getLong(6),
                            Optional.ofNullable(rs.getString(7)));
                    parts.replicaIdentity = ReplicaIdentity.of(rs.getString(8), rs.getString(9));
                    tables.put(rs.getLong(1), parts);
                }
            }
        }
        if (tables.isEmpty()) {
            return new CatalogSnapshot(version, Map.of(), ViewReader.read(c, schemaArray, List.of()));
        }
        Array oids = c.createArrayOf("bigint", tables.keySet().toArray(Long[]::new));

        try (PreparedStatement ps = c.prepareStatement(COLUMNS)) {
            ps.setArray(1, oids);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    tables.get(rs.getLong(1)).columns.add(new Column(
                            rs.getString(2),
                            rs.getInt(3),
                            rs.getString(4),
                            rs.getBoolean(5),
                            Optional.ofNullable(rs.getString(6)),
                            nullToEmpty(rs.getString(7)),
                            nullToEmpty(rs.getString(8)),
                            Optional.ofNullable(rs.getString(9)),
                            Optional.ofNullable(rs.getString(10))));
                }
            }
        }

        try (PreparedStatement ps = c.prepareStatement(CONSTRAINTS)) {
            ps.setArray(1, oids);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String refSchema = rs.getString(7);
                    String refTable = rs.getString(8);
                    tables.get(rs.getLong(1)).constraints.add(new Constraint(
                            rs.getString(2),
                            rs.getString(3),
                            rs.getString(4),
                            rs.getBoolean(5),
                            strings(rs.getArray(6)),
                            refTable == null ? "" : refSchema + "." + refTable,
                            strings(rs.getArray(9))));
                }
            }
        }

        Map<Long, List<String>> keyNames = new HashMap<>();
        Map<Long, List<String>> keyOptions = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(INDEX_KEYS)) {
            ps.setArray(1, oids);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long index = rs.getLong(1);
                    keyNames.computeIfAbsent(index, k -> new ArrayList<>()).add(rs.getString(3));
                    keyOptions.computeIfAbsent(index, k -> new ArrayList<>()).add(keyOptions(
                            rs.getInt(4), rs.getBoolean(5), rs.getString(6), rs.getString(7),
                            rs.getBoolean(8), rs.getString(9), rs.getString(10)));
                }
            }
        }

        try (PreparedStatement ps = c.prepareStatement(INDEXES)) {
            ps.setArray(1, oids);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long index = rs.getLong(2);
                    tables.get(rs.getLong(1)).indexes.add(new Index(
                            rs.getString(3),
                            rs.getString(4),
                            rs.getString(5),
                            rs.getBoolean(6),
                            rs.getBoolean(7),
                            rs.getBoolean(8),
                            // List.copyOf would reject the nulls of expression keys
                            java.util.Collections.unmodifiableList(keyNames.getOrDefault(index, List.of())),
                            List.copyOf(keyOptions.getOrDefault(index, List.of())),
                            strings(rs.getArray(11)),
                            Optional.ofNullable(rs.getString(9)),
                            Optional.ofNullable(rs.getString(10))));
                }
            }
        }

        try (PreparedStatement ps = c.prepareStatement(TRIGGERS)) {
            ps.setArray(1, oids);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    tables.get(rs.getLong(1)).triggers.add(new Trigger(
                            rs.getString(2),
                            rs.getString(3),
                            rs.getString(4),
                            rs.getString(5) + "." + rs.getString(6)));
                }
            }
        }
        readPartitions(c, tables);
        oids.free();

        Map<QualifiedName, Table> result = new TreeMap<>();
        for (TableParts t : tables.values()) {
            result.put(t.name, t.build());
        }
        return new CatalogSnapshot(version, result, ViewReader.read(c, schemaArray, List.copyOf(tables.keySet())));
    }

    /** Partition keys and partition trees of the partitioned tables among {@code tables}. */
    private static void readPartitions(Connection c, Map<Long, TableParts> tables) throws SQLException {
        Long[] roots = tables.entrySet().stream().filter(e -> "p".equals(e.getValue().kind)).map(Map.Entry::getKey)
                .toArray(Long[]::new);
        if (roots.length == 0) {
            return;
        }
        Array rootArray = c.createArrayOf("bigint", roots);
        try (PreparedStatement ps = c.prepareStatement(PARTITION_KEYS)) {
            ps.setArray(1, rootArray);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    TableParts t = tables.get(rs.getLong(1));
                    t.partitionKey = rs.getString(2);
                    t.partitionKeyColumns = nullableStrings(rs.getArray(3));
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement(PARTITIONS)) {
            ps.setArray(1, rootArray);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    boolean leaf = "r".equals(rs.getString(7));
                    tables.get(rs.getLong(1)).partitions.add(new Partition(
                            new QualifiedName(rs.getString(2), rs.getString(3)),
                            new QualifiedName(rs.getString(4), rs.getString(5)),
                            rs.getString(6), leaf, leaf ? List.of() : nullableStrings(rs.getArray(8))));
                }
            }
        }
        rootArray.free();
    }

    /** A text array whose elements may be NULL (an expression in a partition key). */
    private static List<String> nullableStrings(Array array) throws SQLException {
        if (array == null) {
            return List.of();
        }
        try {
            return java.util.Collections.unmodifiableList(new ArrayList<>(Arrays.asList((String[]) array.getArray())));
        } finally {
            array.free();
        }
    }

    /**
     * The options pg_get_indexdef prints after a key, derived from the catalog: COLLATE (when it
     * differs from the column's), a non-default operator class, then for ordering access methods
     * DESC and a NULLS clause when it is not the default for the direction.
     */
    static String keyOptions(int indoption, boolean canOrder, String opclass, String opclassSchema,
            boolean defaultOpclass, String collation, String collationSchema) {
        List<String> parts = new ArrayList<>();
        if (collation != null) {
            parts.add("COLLATE " + qualified(collationSchema, collation, true));
        }
        if (!defaultOpclass) {
            parts.add(qualified(opclassSchema, opclass, false));
        }
        if (canOrder) {
            boolean desc = (indoption & 1) != 0;
            boolean nullsFirst = (indoption & 2) != 0;
            if (desc) {
                parts.add(nullsFirst ? "DESC" : "DESC NULLS LAST");
            } else if (nullsFirst) {
                parts.add("NULLS FIRST");
            }
        }
        return String.join(" ", parts);
    }

    /** {@code schema.name} as SQL, the schema omitted for pg_catalog (as pg_get_indexdef does). */
    private static String qualified(String schema, String name, boolean alwaysQuote) {
        String n = alwaysQuote || !name.matches("[a-z_][a-z0-9_]*") ? Ident.quote(name) : name;
        return "pg_catalog".equals(schema) ? n : Ident.quote(schema) + "." + n;
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    static List<String> strings(Array array) throws SQLException {
        if (array == null) {
            return List.of();
        }
        try {
            return List.copyOf(Arrays.asList((String[]) array.getArray()));
        } finally {
            array.free();
        }
    }
}
