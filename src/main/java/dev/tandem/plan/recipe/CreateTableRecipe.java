package dev.tandem.plan.recipe;

import dev.tandem.catalog.CatalogSnapshot;
import dev.tandem.catalog.Column;
import dev.tandem.catalog.Constraint;
import dev.tandem.catalog.Index;
import dev.tandem.catalog.Table;
import dev.tandem.intent.CreateTable;
import dev.tandem.intent.CreateTable.ColumnDef;
import dev.tandem.intent.CreateTable.ConstraintType;
import dev.tandem.intent.CreateTable.References;
import dev.tandem.intent.CreateTable.TableConstraint;
import dev.tandem.intent.Position;
import dev.tandem.plan.LockLevel;
import dev.tandem.plan.Phase;
import dev.tandem.plan.PlanBuilder;
import dev.tandem.plan.PlanOptions;
import dev.tandem.plan.Recipe;
import dev.tandem.plan.RecipeContext;
import dev.tandem.plan.Step;
import dev.tandem.plan.mechanics.ObjectNames;
import dev.tandem.sql.Ident;
import dev.tandem.sql.Names;
import dev.tandem.sql.PlPgSql;
import dev.tandem.sql.QualifiedName;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code create_table}: the table is new, so nothing running uses it and it is created whole at
 * expand — columns, defaults, identity, and every constraint as a named table constraint
 * ({@code <table>_pkey}, {@code <table>_<column>_key|_check|_fkey} unless the changelog names it).
 * <ul>
 *   <li>expand — {@code CREATE TABLE}. It locks no existing table, except that each foreign key
 *       takes SHARE ROW EXCLUSIVE on the table it references (blocks writes there for the instant of
 *       the statement; no scan, the new table is empty), so the step runs under lock_timeout with
 *       retries;</li>
 *   <li>rollback of expand — a DO block that takes ACCESS EXCLUSIVE on the table, refuses (raises,
 *       changing nothing) when it has any row, else drops it; the drop also takes ACCESS EXCLUSIVE
 *       on referenced tables for an instant (removing the foreign-key triggers);</li>
 *   <li>the other phases have no steps.</li>
 * </ul>
 * Refused (exit 2) with a catalog: a table or index of that name already in the schema, referenced
 * tables or columns that do not exist, references to columns without a primary key or unique
 * constraint. Not handled: partitioning, table options (storage, tablespace, UNLOGGED), exclusion
 * constraints, generated columns, comments and grants (add them with a {@code sql} step).
 */
public final class CreateTableRecipe implements Recipe<CreateTable> {
    private static final String KIND = "create_table";

    /** A constraint with its final name, SQL and what the projection needs. */
    record Resolved(String name, String type, String sql, List<String> columns, Optional<QualifiedName> referencedTable,
                    List<String> referencedColumns, Position position, Optional<References> references) {}

    @Override
    public void plan(CreateTable intent, RecipeContext ctx, PlanBuilder out) {
        QualifiedName t = intent.table().resolve(ctx.options().defaultSchema());
        String id = ctx.migrationId();
        out.touchTable(t);
        ctx.catalog().ifPresent(c -> refuseExisting(intent, t, c));
        List<Resolved> constraints = resolve(intent, t, ctx.catalog(), ctx.options());
        ctx.catalog().ifPresent(c -> checkReferences(intent, t, constraints, c));

        Set<String> referenced = new LinkedHashSet<>();
        constraints.forEach(k -> k.referencedTable().filter(r -> !r.equals(t)).ifPresent(r -> referenced.add(r.toString())));
        LockLevel lock = referenced.isEmpty() ? LockLevel.NONE : LockLevel.SHARE_ROW_EXCLUSIVE;
        String lockedTables = referenced.isEmpty() ? null : String.join(", ", referenced);

        String body = "LOCK TABLE " + t.sql() + " IN ACCESS EXCLUSIVE MODE;\n"
                + "IF EXISTS (SELECT FROM " + t.sql() + ") THEN\n  "
                + PlPgSql.raise("55000", "tandem: refusing to drop table " + t + " while rolling back " + id
                        + ": the table has rows (written since expand); dropping it would lose them",
                        "Copy or move the rows elsewhere and delete them, then roll back again; or keep the table with `tandem apply`.")
                + "\nEND IF;\nDROP TABLE " + t.sql() + ";";
        out.add(Phase.EXPAND, Step.ddl("create table " + t + (referenced.isEmpty() ? "" : " (foreign keys to " + lockedTables + ")"),
                createTableSql(intent, t, constraints), PlPgSql.doBlock("", body), lock, lockedTables));
        out.note(Phase.EXPAND, t + " exists now; roll out the application version that uses it. A rollback of expand"
                + " refuses to drop it once it holds rows.");
        if (ctx.offline()) {
            out.warn("offline plan: whether " + t + " already exists and whether referenced tables and columns exist"
                    + " is not checked; pass --url to check");
        }
    }

    static String createTableSql(CreateTable intent, QualifiedName t, List<Resolved> constraints) {
        List<String> lines = new ArrayList<>();
        for (ColumnDef c : intent.columns()) {
            StringBuilder sb = new StringBuilder(Ident.quote(c.name())).append(' ').append(c.type().strip());
            if (!c.nullable()) {
                sb.append(" NOT NULL");
            }
            c.defaultExpr().ifPresent(d -> sb.append(" DEFAULT ").append(d));
            if (!c.identity().sql().isEmpty()) {
                sb.append(' ').append(c.identity().sql());
            }
            lines.add(sb.toString());
        }
        for (Resolved k : constraints) {
            lines.add("CONSTRAINT " + Ident.quote(k.name()) + " " + k.sql());
        }
        return "CREATE TABLE " + t.sql() + " (\n    " + String.join(",\n    ", lines) + "\n)";
    }

    /** Every constraint of the intent, named and rendered; column-level ones first, in column order. */
    static List<Resolved> resolve(CreateTable intent, QualifiedName t, Optional<CatalogSnapshot> catalog, PlanOptions options) {
        ObjectNames names = new ObjectNames(catalog, t);
        // explicit names first, so generated names never take them
        intent.constraints().forEach(k -> k.name().ifPresent(names::claim));
        List<Resolved> out = new ArrayList<>();
        for (ColumnDef c : intent.columns()) {
            List<String> cols = List.of(c.name());
            if (c.primaryKey()) {
                out.add(new Resolved(names.claim(Names.bounded(t.name(), "pkey")), "p", "PRIMARY KEY (" + quoted(cols) + ")",
                        cols, Optional.empty(), List.of(), c.position(), Optional.empty()));
            }
            if (c.unique()) {
                out.add(new Resolved(names.claim(Names.bounded(t.name(), c.name(), "key")), "u", "UNIQUE (" + quoted(cols) + ")",
                        cols, Optional.empty(), List.of(), c.position(), Optional.empty()));
            }
            c.check().ifPresent(expr -> out.add(new Resolved(names.claim(Names.bounded(t.name(), c.name(), "check")), "c",
                    "CHECK (" + expr + ")", cols, Optional.empty(), List.of(), c.position(), Optional.empty())));
            c.references().ifPresent(r -> out.add(foreignKey(names.claim(Names.bounded(t.name(), c.name(), "fkey")), cols, r,
                    options, c.position())));
        }
        for (TableConstraint k : intent.constraints()) {
            List<String> cols = k.columns();
            String suffix = switch (k.type()) {
                case PRIMARY_KEY -> "pkey";
                case UNIQUE -> "key";
                case CHECK -> "check";
                case FOREIGN_KEY -> "fkey";
            };
            String name = k.name().orElseGet(() -> names.claim(k.type() == ConstraintType.PRIMARY_KEY || cols.isEmpty()
                    ? Names.bounded(t.name(), suffix) : Names.bounded(t.name(), String.join("_", cols), suffix)));
            out.add(switch (k.type()) {
                case PRIMARY_KEY -> new Resolved(name, "p", "PRIMARY KEY (" + quoted(cols) + ")", cols, Optional.empty(), List.of(),
                        k.position(), Optional.empty());
                case UNIQUE -> new Resolved(name, "u", "UNIQUE (" + quoted(cols) + ")", cols, Optional.empty(), List.of(),
                        k.position(), Optional.empty());
                case CHECK -> new Resolved(name, "c", "CHECK (" + k.check().orElseThrow() + ")", List.of(), Optional.empty(),
                        List.of(), k.position(), Optional.empty());
                case FOREIGN_KEY -> foreignKey(name, cols, k.references().orElseThrow(), options, k.position());
            });
        }
        return out;
    }

    private static Resolved foreignKey(String name, List<String> cols, References r, PlanOptions options, Position at) {
        QualifiedName target = r.table().resolve(options.defaultSchema());
        String sql = "FOREIGN KEY (" + quoted(cols) + ") REFERENCES " + target.sql()
                + (r.columns().isEmpty() ? "" : " (" + quoted(r.columns()) + ")")
                + (r.onUpdate() == CreateTable.Action.NO_ACTION ? "" : " ON UPDATE " + r.onUpdate().sql())
                + (r.onDelete() == CreateTable.Action.NO_ACTION ? "" : " ON DELETE " + r.onDelete().sql());
        return new Resolved(name, "f", sql, cols, Optional.of(target), r.columns(), at, Optional.of(r));
    }

    private static String quoted(List<String> names) {
        return names.stream().map(Ident::quote).collect(Collectors.joining(", "));
    }

    private static void refuseExisting(CreateTable intent, QualifiedName t, CatalogSnapshot c) {
        if (c.table(t).isPresent()) {
            throw RecipeContext.error(intent.position(), KIND, "table " + t + " already exists");
        }
        for (Table other : c.allTables()) {
            if (other.name().schema().equals(t.schema()) && other.indexes().stream().anyMatch(i -> i.name().equals(t.name()))) {
                throw RecipeContext.error(intent.position(), KIND, "an index named " + t + " already exists (on " + other.name()
                        + "); tables and indexes share one namespace per schema");
            }
        }
    }

    private static void checkReferences(CreateTable intent, QualifiedName t, List<Resolved> constraints, CatalogSnapshot c) {
        for (Resolved k : constraints) {
            if (k.referencedTable().isEmpty()) {
                continue;
            }
            QualifiedName target = k.referencedTable().get();
            List<String> refCols = k.referencedColumns();
            List<List<String>> keys = new ArrayList<>(); // primary key first, then unique keys
            if (target.equals(t)) {
                constraints.stream().filter(x -> x.type().equals("p")).forEach(x -> keys.add(x.columns()));
                constraints.stream().filter(x -> x.type().equals("u")).forEach(x -> keys.add(x.columns()));
                for (String col : refCols) {
                    if (intent.columns().stream().noneMatch(cd -> cd.name().equals(col))) {
                        throw RecipeContext.error(k.position(), KIND, "foreign key " + k.name() + ": unknown column " + col
                                + " on table " + t);
                    }
                }
            } else {
                Table ref = c.table(target).orElseThrow(() -> RecipeContext.error(k.position(), KIND, "foreign key " + k.name()
                        + ": unknown referenced table " + target));
                for (String col : refCols) {
                    if (ref.column(col).isEmpty()) {
                        throw RecipeContext.error(k.position(), KIND, "foreign key " + k.name() + ": unknown column " + col
                                + " on referenced table " + target);
                    }
                }
                ref.primaryKey().ifPresent(pk -> keys.add(pk.columns()));
                ref.constraints().stream().filter(Constraint::isUnique).forEach(u -> keys.add(u.columns()));
                ref.indexes().stream().filter(i -> i.unique() && i.valid() && !i.hasExpressions()).forEach(i -> keys.add(i.keys()));
            }
            if (refCols.isEmpty()) {
                boolean hasPk = target.equals(t) ? constraints.stream().anyMatch(x -> x.type().equals("p"))
                        : c.table(target).flatMap(Table::primaryKey).isPresent();
                if (!hasPk) {
                    throw RecipeContext.error(k.position(), KIND, "foreign key " + k.name() + ": " + target
                            + " has no primary key; name the referenced column(s)");
                }
                continue;
            }
            Set<String> wanted = Set.copyOf(refCols);
            if (keys.stream().noneMatch(key -> key.size() == refCols.size() && Set.copyOf(key).equals(wanted))) {
                throw RecipeContext.error(k.position(), KIND, "foreign key " + k.name() + ": " + target + " (" + String.join(", ", refCols)
                        + ") is not a primary key or unique constraint; PostgreSQL needs one on the referenced columns");
            }
        }
    }

    @Override
    public CatalogSnapshot project(CreateTable intent, CatalogSnapshot before, PlanOptions options) {
        QualifiedName t = intent.table().resolve(options.defaultSchema());
        if (before.table(t).isPresent()) {
            return before;
        }
        List<Resolved> resolved = resolve(intent, t, Optional.of(before), options);
        List<Column> columns = new ArrayList<>();
        for (ColumnDef c : intent.columns()) {
            boolean notNull = !c.nullable() || resolved.stream().anyMatch(k -> k.type().equals("p") && k.columns().contains(c.name()));
            String identity = switch (c.identity()) {
                case NONE -> "";
                case BY_DEFAULT -> "d";
                case ALWAYS -> "a";
            };
            columns.add(new Column(c.name(), columns.size() + 1, c.type().strip(), notNull, c.defaultExpr(), identity, "",
                    Optional.empty(), Optional.empty()));
        }
        List<Constraint> constraints = new ArrayList<>();
        List<Index> indexes = new ArrayList<>();
        for (Resolved k : resolved) {
            List<String> refCols = k.referencedColumns();
            if (k.referencedTable().isPresent() && refCols.isEmpty()) {
                QualifiedName target = k.referencedTable().get();
                Optional<Constraint> pk = target.equals(t)
                        ? resolved.stream().filter(x -> x.type().equals("p")).findFirst()
                                .map(x -> new Constraint(x.name(), "p", x.sql(), true, x.columns(), "", List.of()))
                        : before.table(target).flatMap(Table::primaryKey);
                refCols = pk.map(Constraint::columns).orElse(List.of());
            }
            constraints.add(new Constraint(k.name(), k.type(), k.sql(), true, k.columns(),
                    k.referencedTable().map(QualifiedName::toString).orElse(""), refCols));
            if (k.type().equals("p") || k.type().equals("u")) {
                indexes.add(new Index(k.name(), "CREATE UNIQUE INDEX " + Ident.quote(k.name()) + " ON " + t.sql() + " USING btree ("
                        + quoted(k.columns()) + ")", "btree", true, k.type().equals("p"), true, k.columns(),
                        k.columns().stream().map(x -> "").toList(), List.of(), Optional.empty(), Optional.of(k.name())));
            }
        }
        constraints.sort((a, b) -> a.name().compareTo(b.name()));
        indexes.sort((a, b) -> a.name().compareTo(b.name()));
        return before.with(new Table(t, "r", columns, constraints, indexes, List.of(), "", 0, Optional.empty()));
    }
}
