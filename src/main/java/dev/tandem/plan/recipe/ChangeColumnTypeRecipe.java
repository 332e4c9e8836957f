package dev.tandem.plan.recipe;

import dev.tandem.catalog.CatalogSnapshot;
import dev.tandem.catalog.Column;
import dev.tandem.catalog.Constraint;
import dev.tandem.catalog.Index;
import dev.tandem.catalog.Table;
import dev.tandem.intent.ChangeColumnType;
import dev.tandem.plan.BackfillSpec;
import dev.tandem.plan.LockLevel;
import dev.tandem.plan.Phase;
import dev.tandem.plan.PlanBuilder;
import dev.tandem.plan.PlanOptions;
import dev.tandem.plan.Recipe;
import dev.tandem.plan.RecipeContext;
import dev.tandem.plan.Step;
import dev.tandem.plan.mechanics.ColumnSequences;
import dev.tandem.plan.mechanics.ObjectNames;
import dev.tandem.plan.mechanics.Precheck;
import dev.tandem.plan.mechanics.RowExpression;
import dev.tandem.plan.mechanics.SameNameSync;
import dev.tandem.plan.mechanics.SyncTrigger;
import dev.tandem.plan.mechanics.SyncTrigger.Authority;
import dev.tandem.plan.mechanics.TypeChange;
import dev.tandem.plan.mechanics.ViewRebuild;
import dev.tandem.plan.ViewGuard;
import dev.tandem.sql.Ddl;
import dev.tandem.sql.Ident;
import dev.tandem.sql.Names;
import dev.tandem.sql.QualifiedName;
import dev.tandem.sql.SqlTokens;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * {@code change_column_type}: the column keeps its name and gets a new type.
 * <p><b>Metadata-only</b> ({@link TypeChange#metadataOnly}, decided from the catalog): one brief
 * {@code ALTER COLUMN … TYPE} in expand (ACCESS EXCLUSIVE, no rewrite, no scan); its rollback is the
 * ALTER back, which may itself rewrite (narrowing) and fails when a value no longer fits.
 * <p><b>Otherwise</b> a new column {@code tandem_new_<id>_<column>} of the new type is added and
 * kept equal to {@code up(old)} by a sync trigger, backfilled in batches, given copies of the
 * column's checks (NOT VALID, validated later), NOT NULL (through a validated check) and indexes
 * (CONCURRENTLY). Switch-reads validates them and then swaps in one short transaction: foreign keys
 * on or to the column are dropped, the old column is renamed {@code tandem_old_<id>_<column>}, the
 * new one takes the name, the copied indexes and checks take the original names, the primary key
 * and unique constraints are attached to the copied indexes ({@code USING INDEX}), the default,
 * identity and owned sequences move ({@link ColumnSequences}), the foreign keys come back NOT VALID
 * and the sync function is recreated for the swapped names; then the foreign keys are validated
 * (SHARE UPDATE EXCLUSIVE). Contract drops the trigger (the old column stops being written) and
 * the old column's NOT NULL; purge drops the old column.
 * <p>The default, NOT NULL, comment, checks and unique constraints the same migration gives the
 * column shape the new column on this path ({@link ColumnChangeSetRecipe}, entered through
 * {@code planSet}).
 * <p>Refused with exit 2: unknown table or column, the same type, generated columns and columns a
 * generated column uses, exclusion constraints and partitioned tables (rewrite path only). A table
 * without a primary key is backfilled (both ways) by unique index or ctid pages.
 * <p>Views reading the column: a simple one is carried — dropped and created again from its own
 * definition in the transaction that changes the column (the in-place ALTER, or the swap and its
 * reverse), so it follows the new type at that moment and keeps owner, grants and comments
 * ({@link ViewRebuild}); until then it reads the old column as before. Other views, materialized
 * views and views over a carried view are refused at plan time by {@link ViewGuard} (unless a sql
 * step of the migration drops or replaces them);
 * {@code up}/{@code down} expressions that cannot reach their type are refused at apply, before
 * any DDL ({@code lifecycle.Preflight}, using {@link #preflight}).
 */
public final class ChangeColumnTypeRecipe implements Recipe<ChangeColumnType> {
    private static final String KIND = "change_column_type";

    @Override
    public void plan(ChangeColumnType intent, RecipeContext ctx, PlanBuilder out) {
        planSet(dev.tandem.plan.ColumnChangeSet.of(intent), ctx, out);
    }

    /**
     * Plans the type change of the set; on the new-column-and-swap path the set's members shape the
     * new column too (default, NOT NULL, comment, checks, unique constraints: see
     * {@link ColumnChangeSetRecipe}). Returns false when the type changes in place (metadata only):
     * the members are then left to their own recipes.
     */
    boolean planSet(dev.tandem.plan.ColumnChangeSet set, RecipeContext ctx, PlanBuilder out) {
        ChangeColumnType intent = set.type();
        QualifiedName t = intent.table().resolve(ctx.options().defaultSchema());
        String c = intent.column();
        out.touch(t, c);
        Optional<Table> table = ctx.catalog().map(cat -> cat.table(t).orElseThrow(() ->
                RecipeContext.error(intent.position(), KIND, "unknown table " + t)));
        Column col = table.map(tb -> tb.column(c).orElseThrow(() ->
                RecipeContext.error(intent.position(), KIND, "unknown column " + c + " on table " + t)))
                .orElse(new Column(c, 0, "<old type>", false, Optional.empty(), "", "",
                        Optional.empty(), Optional.empty()));
        String newType = TypeChange.canonical(intent.type());
        if (table.isPresent()) {
            refuseAlways(intent, table.get(), col, newType);
            Optional<String> why = TypeChange.metadataOnly(col.type(), newType);
            if (why.isPresent() && trivial(intent.up(), c, intent.type()) && metadataSafe(table.get(), col, ctx.catalog().orElseThrow(), t)) {
                planMetadataOnly(intent, t, col, newType, why.get(), rebuilt(t, c, ctx), out);
                return false;
            }
            refuseRewrite(intent, ctx.migrationId(), table.get(), col);
            ColumnChangeSetRecipe.refuseMembers(set, ctx, table.get(), col);
        } else {
            out.warn("offline plan: whether " + t + "." + c + " can change type without a rewrite, and its type, keys, indexes"
                    + " and constraints are read from the catalog; pass --url for the real statements");
        }
        new Swap(set, ctx, t, table, col, newType, out).plan();
        return true;
    }

    // ------------------------------------------------------------------ metadata-only

    /** The simple views reading the column, each to be dropped and created again from its own definition. */
    static List<ViewRebuild.Rebuilt> rebuilt(QualifiedName t, String column, RecipeContext ctx) {
        return ViewGuard.carried(t, column, ctx).stream()
                .map(v -> new ViewRebuild.Rebuilt(v.name(), ViewRebuild.select(v.definition()))).toList();
    }

    /** The statements with the views dropped before and created again after them, in one transaction; as they are without views. */
    static String aroundViews(List<ViewRebuild.Rebuilt> views, String statements) {
        return views.isEmpty() ? statements : ViewRebuild.drop(views) + ";\n" + statements + ";\n" + ViewRebuild.create(views);
    }

    private static String viewNote(List<ViewRebuild.Rebuilt> views) {
        return views.isEmpty() ? "" : "; view" + (views.size() > 1 ? "s " : " ")
                + String.join(", ", views.stream().map(v -> v.name().toString()).toList())
                + " dropped and created again in the same transaction (owner, grants, comments kept)";
    }

    private static void planMetadataOnly(ChangeColumnType intent, QualifiedName t, Column col, String newType, String why,
            List<ViewRebuild.Rebuilt> views, PlanBuilder out) {
        String c = col.name();
        String collate = col.collation().filter(x -> TypeChange.collatable(newType)).map(x -> " COLLATE " + Ident.quote(x)).orElse("");
        String forward = "ALTER TABLE " + t.sql() + " ALTER COLUMN " + Ident.quote(c) + " TYPE " + newType + collate;
        String back = "ALTER TABLE " + t.sql() + " ALTER COLUMN " + Ident.quote(c) + " TYPE " + col.type()
                + col.collation().map(x -> " COLLATE " + Ident.quote(x)).orElse("")
                + intent.down().filter(d -> !trivial(Optional.of(d), c, col.type())).map(d -> " USING " + d).orElse("");
        boolean narrowsBack = TypeChange.metadataOnly(newType, col.type()).isEmpty();
        out.add(Phase.EXPAND, Step.ddl("change " + c + " to " + newType + " in place (" + why + "; no rewrite, no scan)"
                        + (narrowsBack ? "; its rollback back to " + col.type() + " rewrites the table under ACCESS EXCLUSIVE"
                        + " and fails if a value no longer fits" : "") + viewNote(views),
                aroundViews(views, forward), aroundViews(views, back), LockLevel.ACCESS_EXCLUSIVE, t.toString()));
        out.note(Phase.EXPAND, t + "." + c + " is " + newType + " now; the other phases have nothing to do.");
    }

    /** No exclusion, no check, no foreign key and only plain (no expression, no predicate) indexes on the column. */
    private static boolean metadataSafe(Table tb, Column col, CatalogSnapshot catalog, QualifiedName t) {
        String c = col.name();
        boolean checks = tb.constraints().stream().anyMatch(k -> (k.isCheck() || k.isForeignKey() || "x".equals(k.type()))
                && (k.columns().contains(c) || SqlTokens.mentionsColumn(k.definition(), c)));
        boolean referenced = catalog.foreignKeysReferencing(t).stream().anyMatch(e -> e.getValue().referencedColumns().contains(c));
        boolean expressionIndex = tb.indexes().stream().anyMatch(i -> i.hasExpressions() && SqlTokens.mentionsColumn(i.definition(), c));
        return !checks && !referenced && !expressionIndex;
    }

    /** An absent up, or one that is just the column or its cast to the target type. */
    static boolean trivial(Optional<String> up, String column, String type) {
        if (up.isEmpty()) {
            return true;
        }
        String e = up.get().replaceAll("\\s+", "").toLowerCase(java.util.Locale.ROOT);
        String ty = type.replaceAll("\\s+", "").toLowerCase(java.util.Locale.ROOT);
        for (String ref : List.of(column.toLowerCase(java.util.Locale.ROOT), Ident.quote(column).toLowerCase(java.util.Locale.ROOT))) {
            if (e.equals(ref) || e.equals(ref + "::" + ty) || e.equals("cast(" + ref + "as" + ty + ")")) {
                return true;
            }
        }
        return false;
    }

    // ------------------------------------------------------------------ refusals

    private static void refuseAlways(ChangeColumnType intent, Table tb, Column col, String newType) {
        String at = tb.name() + "." + col.name();
        if (!col.generated().isEmpty()) {
            throw RecipeContext.error(intent.position(), KIND, at + " is a generated column; change its expression instead");
        }
        for (Column other : tb.columns()) {
            if (!other.generated().isEmpty() && other.defaultExpr().map(e -> SqlTokens.mentionsColumn(e, col.name())).orElse(false)) {
                throw RecipeContext.error(intent.position(), KIND, at + " is used by the generated column " + other.name()
                        + "; not supported");
            }
        }
        if (TypeChange.canonical(col.type()).equals(newType)) {
            throw RecipeContext.error(intent.position(), KIND, at + " already has type " + col.type());
        }
        for (Constraint k : tb.constraints()) {
            if ("x".equals(k.type()) && SqlTokens.mentionsColumn(k.definition(), col.name())) {
                throw RecipeContext.error(intent.position(), KIND, at + " is part of exclusion constraint " + k.name() + "; not supported");
            }
        }
    }

    private static void refuseRewrite(ChangeColumnType intent, String id, Table tb, Column col) {
        String at = tb.name() + "." + col.name();
        if (!"r".equals(tb.kind()) && !tb.partitioned()) { // a partitioned table: PartitionGuard refuses what needs an index on it
            throw RecipeContext.error(intent.position(), KIND, "table " + tb.name() + " is of kind " + tb.kind() + "; changing "
                    + col.name() + " to a type that needs a rewrite is not supported there");
        }
        for (String name : List.of(Swap.newName(id, col.name()), Swap.oldName(id, col.name()))) {
            if (tb.column(name).isPresent()) {
                throw RecipeContext.error(intent.position(), KIND, "column " + name + " already exists on table " + tb.name()
                        + " (left by an earlier attempt?)");
            }
        }
        for (Index i : tb.indexes()) {
            if (!i.valid() && i.constraint().isPresent() && SqlTokens.mentionsColumn(i.definition(), col.name())) {
                throw RecipeContext.error(intent.position(), KIND, "the index of constraint " + i.constraint().get() + " on " + at
                        + " is INVALID; repair it first");
            }
        }
    }

    // ------------------------------------------------------------------ preflight (apply, before DDL)

    /**
     * Read-only queries that fail when the intent cannot work on the live database although the
     * catalog snapshot allowed it: {@code up} not reaching the new type, {@code down} not reaching
     * the old one, the new type unknown, a view using the column. Each element is {@code {what, sql}};
     * the caller runs them in a transaction it rolls back. Empty when the table or column is not in
     * the catalog (planning reports that).
     */
    public static List<String[]> preflight(ChangeColumnType intent, CatalogSnapshot catalog, PlanOptions options) {
        QualifiedName t = intent.table().resolve(options.defaultSchema());
        Optional<Table> table = catalog.table(t);
        Optional<Column> column = table.flatMap(tb -> tb.column(intent.column()));
        if (column.isEmpty()) {
            return List.of();
        }
        String c = intent.column();
        String newType = TypeChange.canonical(intent.type());
        String oldType = column.get().type();
        String up = intent.up().orElse(defaultCast(c, newType));
        String down = intent.down().orElse(defaultCast(c, oldType));
        String alias = Ident.quote(t.name());
        List<String> others = table.get().columns().stream().filter(x -> !x.name().equals(c)).map(x -> Ident.quote(x.name())).toList();
        String newRow = "SELECT " + (others.isEmpty() ? "" : String.join(", ", others) + ", ")
                + "CAST(NULL AS " + newType + ") AS " + Ident.quote(c) + " FROM " + t.sql() + " LIMIT 0";
        String viewBody = """
                DECLARE
                  v text;
                BEGIN
                  SELECT string_agg(DISTINCT rw.ev_class::regclass::text, ', ') INTO v
                    FROM pg_depend d
                    JOIN pg_rewrite rw ON rw.oid = d.objid
                    JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
                   WHERE d.classid = 'pg_rewrite'::regclass AND d.refclassid = 'pg_class'::regclass
                     AND d.refobjid = %s::regclass AND a.attname = %s AND rw.ev_class <> d.refobjid;
                  IF v IS NOT NULL THEN
                    RAISE EXCEPTION 'column %s is used by view(s) %%; drop them, change the type, then recreate them', v;
                  END IF;
                END
                """.formatted(Ident.literal(t.sql()), Ident.literal(c), c.replace("'", "''").replace("%", "%%"));
        String tag = dev.tandem.sql.PlPgSql.dollarTag(viewBody);
        String views = "DO " + tag + "\n" + viewBody + tag;
        return List.of(
                new String[] {"views", views},
                new String[] {"type", "SELECT CAST(NULL AS " + newType + ")"},
                new String[] {"up", "SELECT CAST((" + up + ") AS " + newType + ") FROM " + t.sql() + " AS " + alias + " LIMIT 0"},
                new String[] {"down", "SELECT CAST((" + down + ") AS " + oldType + ") FROM (" + newRow + ") AS " + alias});
    }

    static String defaultCast(String column, String type) {
        return "CAST(" + Ident.quote(column) + " AS " + type + ")";
    }

    // ------------------------------------------------------------------ the rewrite path

    /** One plan of the new-column-and-swap path; a small object so the many names stay readable. */
    private static final class Swap {
        private final ChangeColumnType intent;
        private final dev.tandem.plan.ColumnChangeSet set;
        private final RecipeContext ctx;
        private final QualifiedName t;
        private final Optional<Table> table;
        private final Column col;
        private final String newType;
        private final PlanBuilder out;
        private final String c;
        private final String n;
        private final String r;
        private final String id;
        private final String tableName;
        private final ObjectNames names;
        /** Simple views reading the column: dropped and created again in the swap's transaction (both ways). */
        private List<ViewRebuild.Rebuilt> views = List.of();

        Swap(dev.tandem.plan.ColumnChangeSet set, RecipeContext ctx, QualifiedName t, Optional<Table> table, Column col, String newType,
                PlanBuilder out) {
            this.intent = set.type();
            this.set = set;
            this.ctx = ctx;
            this.t = t;
            this.table = table;
            this.col = col;
            this.newType = newType;
            this.out = out;
            this.c = col.name();
            this.id = ctx.migrationId();
            this.n = newName(id, c);
            this.r = oldName(id, c);
            this.tableName = t.toString();
            this.names = new ObjectNames(ctx.catalog(), t);
        }

        static String newName(String migrationId, String column) {
            return Names.bounded("tandem_new", migrationId, column);
        }

        static String oldName(String migrationId, String column) {
            return Names.bounded("tandem_old", migrationId, column);
        }

        /** A foreign key to drop before the swap and add back NOT VALID after it. */
        private record Fk(QualifiedName table, Constraint constraint) {
            String definition() {
                String d = constraint.definition();
                return d.endsWith(" NOT VALID") ? d.substring(0, d.length() - " NOT VALID".length()) : d;
            }

            String drop() {
                return Ddl.dropConstraint(table, constraint.name());
            }

            String addNotValid() {
                return "ALTER TABLE " + table.sql() + " ADD CONSTRAINT " + Ident.quote(constraint.name()) + " " + definition() + " NOT VALID";
            }
        }

        void plan() {
            String oldType = col.type();
            String up = ColumnChangeSetRecipe.up(set, c, newType);
            boolean notNull = col.notNull() || set.setNotNull().isPresent();
            String down = intent.down().orElse(defaultCast(c, oldType));
            Set<String> columns = new TreeSet<>();
            columns.add(c);
            table.ifPresent(tb -> tb.columns().forEach(x -> columns.add(x.name())));
            views = rebuilt(t, c, ctx);
            // without a primary key the backfill cuts the table by unique index or ctid pages (empty key)
            List<String> key = table.map(tb -> tb.primaryKey().map(Constraint::columns).orElse(List.of())).orElse(List.of("<primary key>"));

            QualifiedName function = new QualifiedName(ctx.options().stateSchema(), Names.bounded("tg", id, t.schema(), t.name(), c));
            String trigger = Names.bounded("tandem_sync", id, c);
            // before the swap: c is the old column, n the new one; after it: r is the old one, c the new one
            SyncTrigger before = new SyncTrigger(t, function, trigger, new SyncTrigger.Mapping(List.of(c), List.of(n),
                    Map.of(n, RowExpression.overNewRenamed(up, columns, Map.of())),
                    Map.of(c, RowExpression.overNewRenamed(down, columns, Map.of(c, n)))));
            SyncTrigger after = new SyncTrigger(t, function, trigger, new SyncTrigger.Mapping(List.of(r), List.of(c),
                    Map.of(c, RowExpression.overNewRenamed(up, columns, Map.of(c, r))),
                    Map.of(r, RowExpression.overNewRenamed(down, columns, Map.of()))));

            Optional<Constraint> pk = table.flatMap(Table::primaryKey).filter(k -> k.columns().contains(c));
            List<Constraint> uniques = table.map(tb -> tb.constraints().stream().filter(k -> k.isUnique() && k.columns().contains(c)).toList())
                    .orElse(List.of());
            List<Constraint> checks = table.map(tb -> tb.constraints().stream()
                    .filter(k -> k.isCheck() && SqlTokens.mentionsColumn(k.definition(), c)).toList()).orElse(List.of());
            List<Fk> fks = foreignKeys();

            // expand
            String collate = col.collation().filter(x -> TypeChange.collatable(newType)).map(Ident::quote).orElse(null);
            out.add(Phase.EXPAND, Step.ddl("add column " + n + " (" + newType + ") beside " + c,
                    Ddl.addColumn(t, n, newType, collate), Ddl.dropColumn(t, n), LockLevel.ACCESS_EXCLUSIVE, tableName));
            Optional<String> newComment = set.setComment().isPresent() ? set.setComment().get().comment() : col.comment();
            newComment.ifPresent(comment -> out.add(Phase.EXPAND, Step.ddl((set.setComment().isPresent() ? "comment on " : "copy the comment of ") + c,
                    Ddl.commentOnColumn(t, n, comment), Ddl.commentOnColumn(t, n, null), LockLevel.SHARE_UPDATE_EXCLUSIVE, tableName)));

            // dual-write
            out.add(Phase.DUAL_WRITE, Step.ddl("create the sync function " + function, SameNameSync.createFunction(before, Authority.OLD),
                    before.dropFunction(), LockLevel.NONE, null));
            out.add(Phase.DUAL_WRITE, Step.ddl("create the sync trigger " + trigger + " (" + n + " = up(" + c + "), " + c + " = down(" + n + "))",
                    before.createTrigger(), before.dropTrigger(), LockLevel.SHARE_ROW_EXCLUSIVE, tableName));

            // backfill: copy, then the NOT VALID checks (only after the copy, see RenameColumnRecipe), then the indexes
            String copy = "UPDATE " + t.sql() + " SET " + Ident.quote(n) + " = " + up + " WHERE " + Ident.quote(n)
                    + " IS DISTINCT FROM " + up;
            out.add(Phase.BACKFILL, new Step("copy up(" + c + ") into " + n + " in batches", copy, List.of(),
                    LockLevel.ROW_EXCLUSIVE, tableName, false, true, true,
                    Optional.of(new BackfillSpec(t, key, List.of(new BackfillSpec.Assignment(n, up))))));
            List<String[]> newChecks = new ArrayList<>(); // {copy name, expression, original name or null, validated}
            String notNullCheck = null;
            if (set.setNotNull().isPresent()) {
                out.add(Phase.BACKFILL, Precheck.step("count rows whose new " + c + " is NULL (fails with the count before any DDL)", t,
                        Precheck.countWhere(t, Ident.quote(n) + " IS NULL"), "set_not_null: %s row(s) of " + t + " have " + c
                                + " NULL" + (set.setNotNull().get().up().isPresent() ? " after up" : "") + "; it cannot become NOT NULL",
                        "give set_not_null an 'up' for the NULLs, or update those rows first"));
            }
            if (notNull) {
                notNullCheck = names.claim(Names.bounded("tandem_nn", id, c));
                newChecks.add(new String[] {notNullCheck, Ident.quote(n) + " IS NOT NULL", null, "true"});
            }
            for (Constraint k : checks) {
                newChecks.add(new String[] {names.claim(Names.bounded("tandem_new", id, k.name())),
                        RenameColumnRecipe.checkExpression(SqlTokens.replaceColumn(k.definition(), c, n)), k.name(),
                        Boolean.toString(k.validated())});
            }
            for (dev.tandem.intent.AddCheck k : set.checks()) {
                String expression = SqlTokens.replaceColumn(k.check(), c, n);
                out.add(Phase.BACKFILL, Precheck.step("count rows violating " + k.name() + " (fails with the count before any DDL)", t,
                        Precheck.countWhere(t, "(" + expression + ") IS FALSE"), "add_check: %s row(s) of " + t + " violate check "
                                + k.name() + " (over the new " + c + ")", "change the type change's up so that they hold, or update those rows first"));
                newChecks.add(new String[] {names.claim(Names.bounded("tandem_new", id, k.name())), expression, k.name(), "true", "added"});
            }
            for (String[] k : newChecks) {
                out.add(Phase.BACKFILL, Step.ddl("add check " + k[0] + " (NOT VALID)", Ddl.addCheckNotValid(t, k[0], k[1]),
                        Ddl.dropConstraint(t, k[0]), LockLevel.ACCESS_EXCLUSIVE, tableName));
            }
            Map<Index, String[]> indexCopies = new LinkedHashMap<>(); // index → {copy name, create statement}
            table.ifPresent(tb -> tb.indexes().stream().filter(i -> SqlTokens.mentionsColumn(i.definition(), c)).forEach(i -> {
                if (!i.valid()) {
                    out.warn("index " + i.name() + " on " + t + " is INVALID and is not copied to the new " + c);
                    return;
                }
                String name = names.claim(Names.bounded("tandem_new", id, i.name()));
                String create = RenameColumnRecipe.copyIndex(i, t, name, c, n);
                indexCopies.put(i, new String[] {name, create});
                out.add(Phase.BACKFILL, new Step("build a copy of index " + i.name() + " on " + n, create,
                        List.of(Ddl.dropIndexConcurrently(t.schema(), name)), LockLevel.SHARE_UPDATE_EXCLUSIVE, tableName,
                        false, true, false, Optional.empty()));
            }));

            List<String[]> addedUniques = new ArrayList<>(); // {constraint name, index name, create statement}
            for (dev.tandem.intent.AddUnique u : set.uniques()) {
                String name = names.claim(Names.bounded("tandem_new", id, u.name()));
                List<String> cols = u.columns().stream().map(x -> x.equals(c) ? n : x).toList();
                String create = dev.tandem.plan.mechanics.ConcurrentIndexBuild.create(t, name, true,
                        "btree (" + String.join(", ", AddUniqueRecipe.quoted(cols)) + ")");
                out.add(Phase.BACKFILL, Precheck.step("count duplicate keys for " + u.name() + " (fails with the count before any DDL)", t,
                        Precheck.countDuplicates(t, cols), "add_unique: %s key value(s) occur more than once in " + t + " ("
                                + String.join(", ", u.columns()) + ", over the new " + c + "); unique constraint " + u.name() + " cannot be added",
                        "remove or change the duplicate rows first"));
                out.add(Phase.BACKFILL, new Step("build unique index " + name + " for " + u.name() + " on " + n, create,
                        List.of(Ddl.dropIndexConcurrently(t.schema(), name)), LockLevel.SHARE_UPDATE_EXCLUSIVE, tableName,
                        false, true, false, Optional.empty()));
                addedUniques.add(new String[] {u.name(), name, create});
            }

            // switch-reads: validate, NOT NULL, the swap, foreign keys validated
            for (String[] k : newChecks) {
                if (Boolean.parseBoolean(k[3])) {
                    out.add(Phase.SWITCH_READS, Step.ddl("validate check " + k[0], Ddl.validateConstraint(t, k[0]),
                            Ddl.invalidateCheck(t, k[0], k[1]), LockLevel.SHARE_UPDATE_EXCLUSIVE, tableName).withScan(true));
                }
            }
            if (notNull) {
                out.add(Phase.SWITCH_READS, Step.ddl("set " + n + " NOT NULL (proved by the validated check, no scan)",
                        Ddl.setNotNull(t, n), Ddl.dropNotNull(t, n), LockLevel.ACCESS_EXCLUSIVE, tableName));
            }
            swapStep(before, after, pk, uniques, newChecks, indexCopies, fks, addedUniques);
            for (Fk fk : fks) {
                if (fk.constraint().validated()) {
                    out.add(Phase.SWITCH_READS, Step.ddl("validate foreign key " + fk.constraint().name() + " on " + fk.table(),
                            Ddl.validateConstraint(fk.table(), fk.constraint().name()),
                            "ALTER TABLE " + fk.table().sql() + " DROP CONSTRAINT " + Ident.quote(fk.constraint().name())
                                    + ", ADD CONSTRAINT " + Ident.quote(fk.constraint().name()) + " " + fk.definition() + " NOT VALID",
                            LockLevel.SHARE_UPDATE_EXCLUSIVE, fk.table().toString()).withScan(true));
                }
            }

            // contract
            if (col.notNull()) {
                String tmp = names.claim(Names.bounded("tandem_nn_restore", id, c));
                out.add(Phase.CONTRACT, new Step("drop NOT NULL on the old column " + r + " (it is no longer written)",
                        Ddl.dropNotNull(t, r),
                        new dev.tandem.plan.mechanics.NotNullViaCheck(t, r, tmp)
                                .named(dev.tandem.plan.mechanics.NotNullViaCheck.constraintOf(table, c))
                                .restoreStatements("cannot restore NOT NULL on " + t + "." + r),
                        LockLevel.ACCESS_EXCLUSIVE, tableName, false, false, true, Optional.empty()));
            }
            out.add(Phase.CONTRACT, Step.ddl("drop the sync trigger (" + r + " stops being written)", after.dropTrigger(),
                    after.createTrigger(), LockLevel.ACCESS_EXCLUSIVE, tableName)
                    .withUndoBackfill(new BackfillSpec(t, key, List.of(new BackfillSpec.Assignment(r, down)))
                            // only rows the new application wrote since contract: an untouched row keeps its old value
                            // even where down(up(x)) differs from x
                            .onlyWhere(Ident.quote(c) + " IS DISTINCT FROM (" + SqlTokens.replaceColumn(up, c, r) + ")")));
            out.add(Phase.CONTRACT, Step.ddl("drop the sync function", after.dropFunction(), SameNameSync.createFunction(after, Authority.NEW),
                    LockLevel.NONE, null));

            Optional<String> movedDefault = col.identity().isEmpty() ? col.defaultExpr().filter(d -> !d.contains("nextval(")) : Optional.empty();
            if (set.dropDefault().isPresent() && movedDefault.isPresent()) {
                String moved = newDefault(movedDefault.get());
                out.add(Phase.CONTRACT, Step.ddl("drop the default of " + c + " (the old application no longer inserts)", Ddl.dropDefault(t, c),
                        Ddl.setDefault(t, c, moved), LockLevel.ACCESS_EXCLUSIVE, tableName));
            }

            // purge
            out.purge(Step.ddl("drop the old column " + r + " (with its old indexes and checks)", Ddl.dropColumn(t, r), null,
                    LockLevel.ACCESS_EXCLUSIVE, tableName));
            if (notNullCheck != null) {
                out.purge(Step.ddl("drop check " + notNullCheck + " (NOT NULL now holds it)", Ddl.dropConstraint(t, notNullCheck),
                        null, LockLevel.ACCESS_EXCLUSIVE, tableName));
            }

            out.note(Phase.BACKFILL, "Both application versions keep using " + t + "." + c + " (still " + oldType + "); next run `tandem switch-reads "
                    + id + "`, which swaps in the " + newType + " column in one short transaction.");
            out.note(Phase.SWITCH_READS, t + "." + c + " is " + newType + " now; the old column is kept in sync as " + r
                    + " (values it cannot hold still fail until contract). When you will not go back, run `tandem contract " + id + "`.");
            out.note(Phase.CONTRACT, "The old column " + r + " is no longer written; `tandem rollback " + id
                    + "` can still restore it (rows written since are re-synced with down), `tandem purge " + id + "` drops it.");
            warnings(fks);
        }

        private List<Fk> foreignKeys() {
            List<Fk> fks = new ArrayList<>();
            if (table.isEmpty()) {
                return fks;
            }
            CatalogSnapshot catalog = ctx.catalog().orElseThrow();
            for (Constraint k : table.get().constraints()) {
                if (k.isForeignKey() && k.columns().contains(c)) {
                    fks.add(new Fk(t, k));
                }
            }
            for (Map.Entry<Table, Constraint> e : catalog.foreignKeysReferencing(t)) {
                Fk fk = new Fk(e.getKey().name(), e.getValue());
                if (e.getValue().referencedColumns().contains(c) && fks.stream().noneMatch(x -> x.table().equals(fk.table())
                        && x.constraint().name().equals(fk.constraint().name()))) {
                    fks.add(fk);
                }
            }
            return fks;
        }

        private void swapStep(SyncTrigger before, SyncTrigger after, Optional<Constraint> pk, List<Constraint> uniques,
                List<String[]> newChecks, Map<Index, String[]> indexCopies, List<Fk> fks, List<String[]> addedUniques) {
            List<String> fwd = new ArrayList<>();
            List<String> back = new ArrayList<>();
            Map<String, String> copyOfConstraint = new LinkedHashMap<>(); // constraint → copy index name
            Map<String, String> createOfConstraint = new LinkedHashMap<>();
            List<String[]> plainIndexes = new ArrayList<>(); // {original, copy, old name}
            Index pkIndex = null;
            for (Map.Entry<Index, String[]> e : indexCopies.entrySet()) {
                Index i = e.getKey();
                if (i.constraint().isPresent()) {
                    copyOfConstraint.put(i.constraint().get(), e.getValue()[0]);
                    createOfConstraint.put(i.constraint().get(), e.getValue()[1]);
                    if (i.primary()) {
                        pkIndex = i;
                    }
                } else {
                    plainIndexes.add(new String[] {i.name(), e.getValue()[0], names.claim(Names.bounded("tandem_old", id, i.name()))});
                }
            }
            Map<String, String> oldUnique = new LinkedHashMap<>();
            uniques.forEach(u -> oldUnique.put(u.name(), names.claim(Names.bounded("tandem_old", id, u.name()))));
            List<String[]> checkRenames = new ArrayList<>(); // {original, copy, old name}
            List<String[]> addedChecks = new ArrayList<>(); // {name, copy}: checks the set adds, no original to move aside
            for (String[] k : newChecks) {
                if (k[2] != null && k.length > 4) {
                    addedChecks.add(new String[] {k[2], k[0]});
                } else if (k[2] != null) {
                    checkRenames.add(new String[] {k[2], k[0], names.claim(Names.bounded("tandem_old", id, k[2]))});
                }
            }
            boolean sequences = !col.identity().isEmpty() || col.defaultExpr().map(d -> d.contains("nextval(")).orElse(false);
            Optional<String> plainDefault = col.identity().isEmpty() ? col.defaultExpr() : Optional.empty();

            // forward, in one transaction
            fks.forEach(fk -> fwd.add(fk.drop()));
            pk.ifPresent(k -> fwd.add(Ddl.dropConstraint(t, k.name())));
            oldUnique.forEach((u, old) -> fwd.add(renameConstraint(u, old)));
            plainIndexes.forEach(i -> fwd.add(renameIndex(i[0], i[2])));
            checkRenames.forEach(k -> fwd.add(renameConstraint(k[0], k[2])));
            fwd.add(Ddl.renameColumn(t, c, r));
            fwd.add(Ddl.renameColumn(t, n, c));
            plainIndexes.forEach(i -> fwd.add(renameIndex(i[1], i[0])));
            pk.ifPresent(k -> fwd.add(Ddl.addConstraintUsingIndex(t, k.name(), "PRIMARY KEY", copyOfConstraint.get(k.name()))));
            uniques.forEach(u -> fwd.add(Ddl.addConstraintUsingIndex(t, u.name(), "UNIQUE", copyOfConstraint.get(u.name()))));
            checkRenames.forEach(k -> fwd.add(renameConstraint(k[1], k[0])));
            addedChecks.forEach(k -> fwd.add(renameConstraint(k[1], k[0])));
            addedUniques.forEach(u -> fwd.add(Ddl.addConstraintUsingIndex(t, u[0], "UNIQUE", u[1])));
            if (set.setDefault().isPresent()) {
                plainDefault.ifPresent(d -> fwd.add(Ddl.dropDefault(t, r)));
                fwd.add(Ddl.setDefault(t, c, set.setDefault().get().defaultExpr()));
            } else {
                plainDefault.ifPresent(d -> {
                    fwd.add(Ddl.dropDefault(t, r));
                    fwd.add(Ddl.setDefault(t, c, newDefault(d)));
                });
            }
            if (sequences) {
                fwd.add(ColumnSequences.move(t, r, c));
            }
            fks.forEach(fk -> fwd.add(fk.addNotValid()));
            fwd.add(SameNameSync.createFunction(after, Authority.NEW));

            // rollback: a new index for the old primary key first (CONCURRENTLY), then the reverse swap in one
            // transaction, then the dropped copies rebuilt (CONCURRENTLY), then the foreign keys validated again
            String tmpPk = null;
            if (pk.isPresent() && pkIndex != null) {
                tmpPk = names.claim(Names.bounded("tandem_pk", id, pk.get().name()));
                back.add(RenameColumnRecipe.copyIndex(pkIndex, t, tmpPk, c, r));
            }
            List<String> tx = new ArrayList<>();
            fks.forEach(fk -> tx.add(fk.drop()));
            checkRenames.forEach(k -> {
                tx.add(renameConstraint(k[0], k[1]));
                tx.add(renameConstraint(k[2], k[0]));
            });
            addedChecks.forEach(k -> tx.add(renameConstraint(k[0], k[1])));
            addedUniques.forEach(u -> tx.add(Ddl.dropConstraint(t, u[0])));
            oldUnique.forEach((u, old) -> {
                tx.add(Ddl.dropConstraint(t, u));
                tx.add(renameConstraint(old, u));
            });
            pk.ifPresent(k -> tx.add(Ddl.dropConstraint(t, k.name())));
            plainIndexes.forEach(i -> {
                tx.add(renameIndex(i[0], i[1]));
                tx.add(renameIndex(i[2], i[0]));
            });
            if (sequences) {
                tx.add(ColumnSequences.move(t, c, r));
            }
            if (set.setDefault().isPresent() && plainDefault.isEmpty()) {
                tx.add(Ddl.dropDefault(t, c));
            }
            plainDefault.ifPresent(d -> {
                tx.add(Ddl.dropDefault(t, c));
                tx.add(Ddl.setDefault(t, r, d));
            });
            tx.add(Ddl.renameColumn(t, c, n));
            tx.add(Ddl.renameColumn(t, r, c));
            if (tmpPk != null) {
                tx.add(Ddl.addConstraintUsingIndex(t, pk.get().name(), "PRIMARY KEY", tmpPk));
            }
            fks.forEach(fk -> tx.add(fk.addNotValid()));
            tx.add(SameNameSync.createFunction(before, Authority.OLD));
            back.add(aroundViews(views, String.join(";\n", tx)));
            pk.ifPresent(k -> back.add(createOfConstraint.get(k.name())));
            uniques.forEach(u -> back.add(createOfConstraint.get(u.name())));
            addedUniques.forEach(u -> back.add(u[2]));
            fks.stream().filter(fk -> fk.constraint().validated())
                    .forEach(fk -> back.add(Ddl.validateConstraint(fk.table(), fk.constraint().name())));

            String others = fks.stream().map(Fk::table).filter(x -> !x.equals(t)).map(Object::toString).distinct()
                    .collect(Collectors.joining(", "));
            out.add(Phase.SWITCH_READS, new Step("swap: " + c + " becomes " + r + ", " + n + " becomes " + c
                    + (pk.isPresent() ? ", primary key moved" : "") + (fks.isEmpty() ? "" : ", " + fks.size() + " foreign key(s) re-added NOT VALID")
                    + (others.isEmpty() ? "" : " (brief ACCESS EXCLUSIVE on " + others + " too)")
                    + "; one short transaction, no scan" + viewNote(views), aroundViews(views, String.join(";\n", fwd)), back,
                    LockLevel.ACCESS_EXCLUSIVE, tableName, false, false, true, Optional.empty()));
        }

        /**
         * The default for the new column: up applied to the old default ({@code CAST((1) AS bigint)}), so it
         * means the same value in the new type; the old default unchanged when up uses other columns.
         * {@code nextval(…)} defaults stay as they are (the sequence moves with them).
         */
        private String newDefault(String oldDefault) {
            if (oldDefault.contains("nextval(")) {
                return oldDefault;
            }
            Set<String> columns = new TreeSet<>();
            columns.add(c);
            table.ifPresent(tb -> tb.columns().forEach(x -> columns.add(x.name())));
            String up = intent.up().orElse(defaultCast(c, newType));
            Optional<String> d = RowExpression.substitute(up, c, oldDefault, columns);
            if (d.isEmpty()) {
                out.warn("the default of " + t + "." + c + " (" + oldDefault + ") is moved to the new column as it is: up uses other columns");
            }
            return d.orElse(oldDefault);
        }

        private String renameConstraint(String from, String to) {
            return "ALTER TABLE " + t.sql() + " RENAME CONSTRAINT " + Ident.quote(from) + " TO " + Ident.quote(to);
        }

        private String renameIndex(String from, String to) {
            return "ALTER INDEX " + new QualifiedName(t.schema(), from).sql() + " RENAME TO " + Ident.quote(to);
        }

        private void warnings(List<Fk> fks) {
            String canonical = TypeChange.canonical(newType);
            for (Fk fk : fks) {
                if (fk.table().equals(t) && fk.constraint().columns().contains(c)) {
                    continue;
                }
                ctx.catalog().flatMap(cat -> cat.table(fk.table())).ifPresent(other -> {
                    for (String local : fk.constraint().columns()) {
                        other.column(local).filter(x -> !x.type().equals(canonical)).ifPresent(x -> out.warn("foreign key "
                                + fk.constraint().name() + " on " + fk.table() + "(" + local + ", " + x.type() + ") references " + t + "." + c
                                + ": change " + fk.table() + "." + local + " to " + canonical
                                + " too (a change_column_type in this or an earlier migration), or it cannot hold every key"));
                    }
                });
            }
        }
    }

    // ------------------------------------------------------------------ projection

    @Override
    public CatalogSnapshot project(ChangeColumnType intent, CatalogSnapshot before, PlanOptions options) {
        QualifiedName t = intent.table().resolve(options.defaultSchema());
        Optional<Table> table = before.table(t);
        if (table.isEmpty() || table.get().column(intent.column()).isEmpty()) {
            return before;
        }
        Table tb = table.get();
        Column old = tb.column(intent.column()).orElseThrow();
        String newType = TypeChange.canonical(intent.type());
        boolean inPlace = TypeChange.metadataOnly(old.type(), newType).isPresent() && trivial(intent.up(), old.name(), intent.type())
                && metadataSafe(tb, old, before, t);
        List<Column> columns = new ArrayList<>();
        for (Column x : tb.columns()) {
            if (!x.name().equals(old.name())) {
                columns.add(new Column(x.name(), columns.size() + 1, x.type(), x.notNull(), x.defaultExpr(), x.identity(),
                        x.generated(), x.collation(), x.comment()));
            } else if (inPlace) {
                columns.add(new Column(x.name(), columns.size() + 1, newType, x.notNull(), x.defaultExpr(), x.identity(),
                        x.generated(), x.collation().filter(k -> TypeChange.collatable(newType)), x.comment()));
            }
        }
        if (!inPlace) { // the new column was added last
            columns.add(new Column(old.name(), columns.size() + 1, newType, old.notNull(), old.defaultExpr(), old.identity(), "",
                    old.collation().filter(k -> TypeChange.collatable(newType)), old.comment()));
        }
        return before.with(tb.withColumns(columns));
    }
}
