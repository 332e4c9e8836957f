package dev.tandem.catalog;

import dev.tandem.TandemException;
import dev.tandem.sql.QualifiedName;
import dev.tandem.util.Json;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A {@link CatalogSnapshot} as JSON, for {@code tandem snapshot} (writes it) and
 * {@code tandem check --schema-snapshot} (reads it): every field of every record, so that
 * {@code decode(encode(s)).equals(s)}. Shape:
 * {@code {"format":"tandem-catalog-snapshot","version":1,"server_version_num":…,"tables":[{schema,name,kind,
 * columns,constraints,indexes,triggers,acl,row_estimate,comment[,replica_identity,replica_identity_index]}],"views":[{schema,name,materialized,definition,
 * columns,reads:[{schema,table,column}],table_schema,table,sources[,tandem]}]}}; absent optionals are {@code null}; {@code tandem} only when true.
 * A partitioned table also has {@code "partitioning":{key,key_columns,partitions:[{schema,name,parent_schema,parent,
 * bound,leaf,key_columns}]}} (absent for other tables and in documents written before partitions were read).
 * A document without {@code "views"} (written before views were read) decodes with no views; a table
 * without {@code "replica_identity"} (written only when not the default) has the default one.
 * <p>Decoding is strict about the members it needs and names the first one that is missing or of
 * the wrong type; unknown members are ignored (a newer writer may add some).
 */
public final class SnapshotCodec {
    public static final String FORMAT = "tandem-catalog-snapshot";
    public static final int VERSION = 1;

    private SnapshotCodec() {}

    public static String encode(CatalogSnapshot s) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("format", FORMAT);
        root.put("version", VERSION);
        root.put("server_version_num", s.serverVersionNum());
        List<Object> tables = new ArrayList<>();
        for (Table t : s.allTables()) {
            tables.add(table(t));
        }
        root.put("tables", tables);
        List<Object> views = new ArrayList<>();
        for (View v : s.views().values()) {
            views.add(view(v));
        }
        root.put("views", views);
        return Json.pretty(root) + "\n";
    }

    private static Map<String, Object> view(View v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("schema", v.name().schema());
        m.put("name", v.name().name());
        m.put("materialized", v.materialized());
        if (v.tandem()) {
            m.put("tandem", true);
        }
        m.put("definition", v.definition());
        m.put("columns", v.columns());
        List<Object> reads = new ArrayList<>();
        for (View.Read r : v.reads()) {
            Map<String, Object> rm = new LinkedHashMap<>();
            rm.put("schema", r.table().schema());
            rm.put("table", r.table().name());
            rm.put("column", r.column());
            reads.add(rm);
        }
        m.put("reads", reads);
        m.put("table_schema", v.table().map(QualifiedName::schema));
        m.put("table", v.table().map(QualifiedName::name));
        m.put("sources", v.sources());
        return m;
    }

    private static Map<String, Object> table(Table t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("schema", t.name().schema());
        m.put("name", t.name().name());
        m.put("kind", t.kind());
        List<Object> columns = new ArrayList<>();
        for (Column c : t.columns()) {
            Map<String, Object> cm = new LinkedHashMap<>();
            cm.put("name", c.name());
            cm.put("position", c.position());
            cm.put("type", c.type());
            cm.put("not_null", c.notNull());
            cm.put("default", c.defaultExpr());
            cm.put("identity", c.identity());
            cm.put("generated", c.generated());
            cm.put("collation", c.collation());
            cm.put("comment", c.comment());
            columns.add(cm);
        }
        m.put("columns", columns);
        List<Object> constraints = new ArrayList<>();
        for (Constraint c : t.constraints()) {
            Map<String, Object> cm = new LinkedHashMap<>();
            cm.put("name", c.name());
            cm.put("type", c.type());
            cm.put("definition", c.definition());
            cm.put("validated", c.validated());
            cm.put("columns", c.columns());
            cm.put("referenced_table", c.referencedTable());
            cm.put("referenced_columns", c.referencedColumns());
            constraints.add(cm);
        }
        m.put("constraints", constraints);
        List<Object> indexes = new ArrayList<>();
        for (Index i : t.indexes()) {
            Map<String, Object> im = new LinkedHashMap<>();
            im.put("name", i.name());
            im.put("definition", i.definition());
            im.put("method", i.method());
            im.put("unique", i.unique());
            im.put("primary", i.primary());
            im.put("valid", i.valid());
            im.put("keys", i.keys());
            im.put("key_options", i.keyOptions());
            im.put("include", i.include());
            im.put("predicate", i.predicate());
            im.put("constraint", i.constraint());
            indexes.add(im);
        }
        m.put("indexes", indexes);
        List<Object> triggers = new ArrayList<>();
        for (Trigger tr : t.triggers()) {
            Map<String, Object> tm = new LinkedHashMap<>();
            tm.put("name", tr.name());
            tm.put("definition", tr.definition());
            tm.put("enabled", tr.enabled());
            tm.put("function", tr.function());
            triggers.add(tm);
        }
        m.put("triggers", triggers);
        m.put("acl", t.acl());
        m.put("row_estimate", t.rowEstimate());
        m.put("comment", t.comment());
        t.partitioning().ifPresent(pt -> {
            Map<String, Object> pm = new LinkedHashMap<>();
            pm.put("key", pt.key());
            pm.put("key_columns", pt.keyColumns());
            List<Object> parts = new ArrayList<>();
            for (Partition p : pt.partitions()) {
                Map<String, Object> pp = new LinkedHashMap<>();
                pp.put("schema", p.name().schema());
                pp.put("name", p.name().name());
                pp.put("parent_schema", p.parent().schema());
                pp.put("parent", p.parent().name());
                pp.put("bound", p.bound());
                pp.put("leaf", p.leaf());
                pp.put("key_columns", p.keyColumns());
                parts.add(pp);
            }
            pm.put("partitions", parts);
            m.put("partitioning", pm);
        });
        if (!t.replicaIdentity().equals(ReplicaIdentity.DEFAULT)) {
            m.put("replica_identity", t.replicaIdentity().mode());
            t.replicaIdentity().index().ifPresent(i -> m.put("replica_identity_index", i));
        }
        return m;
    }

    /**
     * Reads a snapshot written by {@link #encode}.
     *
     * @param source names the input in error messages (a file name)
     * @throws TandemException BAD_INPUT naming the source and what is wrong
     */
    public static CatalogSnapshot decode(String json, String source) {
        Object root;
        try {
            root = Json.parse(json);
        } catch (IllegalArgumentException e) {
            throw TandemException.badInput(source + ": not a Tandem catalog snapshot: " + e.getMessage());
        }
        Reader r = new Reader(source);
        Map<String, Object> m = r.object(root, "the document");
        if (!FORMAT.equals(m.get("format"))) {
            throw TandemException.badInput(source + ": not a Tandem catalog snapshot (\"format\" is not \"" + FORMAT
                    + "\"); write one with tandem snapshot --url …");
        }
        long version = r.number(m, "version");
        if (version != VERSION) {
            throw TandemException.badInput(source + ": snapshot version " + version + " is not supported (expected " + VERSION + ")");
        }
        Map<QualifiedName, Table> tables = new TreeMap<>();
        for (Object o : r.list(m, "tables")) {
            Table t = r.table(r.object(o, "a table"));
            tables.put(t.name(), t);
        }
        Map<QualifiedName, View> views = new TreeMap<>();
        if (m.containsKey("views")) { // absent in snapshots written before views were read
            for (Object o : r.list(m, "views")) {
                View v = r.view(r.object(o, "a view"));
                views.put(v.name(), v);
            }
        }
        return new CatalogSnapshot((int) r.number(m, "server_version_num"), tables, views);
    }

    /** Typed access with errors that name the member. */
    private record Reader(String source) {
        View view(Map<String, Object> m) {
            QualifiedName name = new QualifiedName(string(m, "schema"), string(m, "name"));
            List<View.Read> reads = new ArrayList<>();
            for (Object o : list(m, "reads")) {
                Map<String, Object> rm = object(o, "a read of view " + name);
                reads.add(new View.Read(new QualifiedName(string(rm, "schema"), string(rm, "table")), string(rm, "column")));
            }
            Optional<String> ts = optional(m, "table_schema");
            Optional<String> tn = optional(m, "table");
            Optional<QualifiedName> table = ts.isPresent() && tn.isPresent()
                    ? Optional.of(new QualifiedName(ts.get(), tn.get())) : Optional.empty();
            return new View(name, bool(m, "materialized"), string(m, "definition"), strings(m, "columns"), reads, table,
                    strings(m, "sources"), m.containsKey("tandem") && bool(m, "tandem")); // absent before the flag existed
        }

        Table table(Map<String, Object> m) {
            QualifiedName name = new QualifiedName(string(m, "schema"), string(m, "name"));
            List<Column> columns = new ArrayList<>();
            for (Object o : list(m, "columns")) {
                Map<String, Object> c = object(o, "a column of " + name);
                columns.add(new Column(string(c, "name"), (int) number(c, "position"), string(c, "type"), bool(c, "not_null"),
                        optional(c, "default"), string(c, "identity"), string(c, "generated"), optional(c, "collation"),
                        optional(c, "comment")));
            }
            List<Constraint> constraints = new ArrayList<>();
            for (Object o : list(m, "constraints")) {
                Map<String, Object> c = object(o, "a constraint of " + name);
                constraints.add(new Constraint(string(c, "name"), string(c, "type"), string(c, "definition"), bool(c, "validated"),
                        strings(c, "columns"), string(c, "referenced_table"), strings(c, "referenced_columns")));
            }
            List<Index> indexes = new ArrayList<>();
            for (Object o : list(m, "indexes")) {
                Map<String, Object> i = object(o, "an index of " + name);
                indexes.add(new Index(string(i, "name"), string(i, "definition"), string(i, "method"), bool(i, "unique"),
                        bool(i, "primary"), bool(i, "valid"), strings(i, "keys"), strings(i, "key_options"), strings(i, "include"),
                        optional(i, "predicate"), optional(i, "constraint")));
            }
            List<Trigger> triggers = new ArrayList<>();
            for (Object o : list(m, "triggers")) {
                Map<String, Object> t = object(o, "a trigger of " + name);
                triggers.add(new Trigger(string(t, "name"), string(t, "definition"), string(t, "enabled"), string(t, "function")));
            }
            Optional<Partitioning> partitioning = Optional.empty();
            if (m.get("partitioning") != null) { // absent in snapshots written before partitions were read, and for ordinary tables
                Map<String, Object> pm = object(m.get("partitioning"), "the partitioning of " + name);
                List<Partition> parts = new ArrayList<>();
                for (Object o : list(pm, "partitions")) {
                    Map<String, Object> pp = object(o, "a partition of " + name);
                    parts.add(new Partition(new QualifiedName(string(pp, "schema"), string(pp, "name")),
                            new QualifiedName(string(pp, "parent_schema"), string(pp, "parent")), string(pp, "bound"),
                            bool(pp, "leaf"), strings(pp, "key_columns")));
                }
                partitioning = Optional.of(new Partitioning(string(pm, "key"), strings(pm, "key_columns"), parts));
            }
            ReplicaIdentity identity = m.containsKey("replica_identity")
                    ? ReplicaIdentity.of(string(m, "replica_identity"), m.containsKey("replica_identity_index") ? optional(m, "replica_identity_index").orElse(null) : null)
                    : ReplicaIdentity.DEFAULT;
            return new Table(name, string(m, "kind"), columns, constraints, indexes, triggers, string(m, "acl"),
                    number(m, "row_estimate"), optional(m, "comment"), partitioning, identity);
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> object(Object o, String what) {
            if (o instanceof Map<?, ?> map) {
                return (Map<String, Object>) map;
            }
            throw bad(what + " must be an object");
        }

        List<Object> list(Map<String, Object> m, String key) {
            if (m.get(key) instanceof List<?> l) {
                return Collections.unmodifiableList(new ArrayList<>(l));
            }
            throw bad("\"" + key + "\" must be an array");
        }

        String string(Map<String, Object> m, String key) {
            if (m.get(key) instanceof String s) {
                return s;
            }
            throw bad("\"" + key + "\" must be a string");
        }

        Optional<String> optional(Map<String, Object> m, String key) {
            if (!m.containsKey(key)) {
                throw bad("\"" + key + "\" is missing");
            }
            Object v = m.get(key);
            if (v == null) {
                return Optional.empty();
            }
            if (v instanceof String s) {
                return Optional.of(s);
            }
            throw bad("\"" + key + "\" must be a string or null");
        }

        long number(Map<String, Object> m, String key) {
            if (m.get(key) instanceof Long l) {
                return l;
            }
            throw bad("\"" + key + "\" must be an integer");
        }

        boolean bool(Map<String, Object> m, String key) {
            if (m.get(key) instanceof Boolean b) {
                return b;
            }
            throw bad("\"" + key + "\" must be true or false");
        }

        /** A list of strings; null elements are kept (an index's expression keys). */
        List<String> strings(Map<String, Object> m, String key) {
            List<String> out = new ArrayList<>();
            for (Object o : list(m, key)) {
                if (o != null && !(o instanceof String)) {
                    throw bad("\"" + key + "\" must hold strings");
                }
                out.add((String) o);
            }
            return Collections.unmodifiableList(out);
        }

        TandemException bad(String message) {
            return TandemException.badInput(source + ": not a valid Tandem catalog snapshot: " + message);
        }
    }
}
