package dev.tandem.plan.recipe;

import dev.tandem.catalog.CatalogSnapshot;
import dev.tandem.catalog.Column;
import dev.tandem.catalog.Constraint;
import dev.tandem.catalog.Table;
import dev.tandem.intent.AddColumn;
import dev.tandem.plan.BackfillSpec;
import dev.tandem.plan.LockLevel;
import dev.tandem.plan.Phase;
import dev.tandem.plan.PlanBuilder;
import dev.tandem.plan.PlanOptions;
import dev.tandem.plan.Recipe;
import dev.tandem.plan.RecipeContext;
import dev.tandem.plan.Step;
import dev.tandem.plan.mechanics.NotNullViaCheck;
import dev.tandem.plan.mechanics.ObjectNames;
import dev.tandem.plan.mechanics.ValidatedConstraint;
import dev.tandem.plan.mechanics.UniqueViaIndex;
import dev.tandem.plan.mechanics.ConcurrentIndexBuild;
import dev.tandem.plan.mechanics.RowExpression;
import dev.tandem.plan.mechanics.SyncTrigger;
import dev.tandem.plan.mechanics.SyncTrigger.Authority;
import dev.tandem.sql.Ddl;
import dev.tandem.sql.Ident;
import dev.tandem.sql.Names;
import dev.tandem.sql.QualifiedName;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code add_column}. Three ways to give existing rows their value, none of which rewrites the table:
 * <ul>
 *   <li>no {@code up}, no default or a non-volatile one: one brief {@code ADD COLUMN … DEFAULT d}
 *       (metadata only since PostgreSQL 11);</li>
 *   <li>no {@code up}, a default that may be volatile ({@code gen_random_uuid()}; any function
 *       not known to be stable counts): {@code ADD COLUMN c t, ALTER COLUMN c SET DEFAULT d} in one
 *       statement (new rows get it, existing rows stay NULL, no rewrite), then a batched backfill
 *       {@code c = coalesce(c, d)} of the existing rows;</li>
 *   <li>{@code up}: the column is added without default; a one-way sync trigger (dual-write)
 *       fills it with {@code up(NEW)} for rows the old application writes (inserts that leave it
 *       NULL, updates of the columns {@code up} reads that leave it alone); a batched backfill sets
 *       {@code c = up} on existing rows; the default, if any, is set at contract, when no old
 *       application is left (until then an insert that leaves the column NULL gets {@code up}).</li>
 * </ul>
 * Constraints come after the values are in (end of backfill) as NOT VALID and are validated at
 * switch-reads: {@code nullable: false} as {@code CHECK (c IS NOT NULL)} → VALIDATE → SET NOT NULL
 * → drop the check; {@code check} and {@code references} as NOT VALID → VALIDATE; {@code unique}
 * as a unique index built CONCURRENTLY, attached with {@code ADD CONSTRAINT … USING INDEX}.
 * <p>Refused (exit 2): an existing column of that name, {@code nullable: false} without a default
 * or {@code up} (old-application inserts would fail), an unknown table or referenced table. A fill
 * on a table without a primary key is cut by unique index or ctid pages. Not handled: identity and
 * generated columns (write them with {@code sql}), collations, comments.
 */
public final class AddColumnRecipe implements Recipe<AddColumn> {
    private static final String KIND = "add_column";

    @Override
    public void plan(AddColumn intent, RecipeContext ctx, PlanBuilder out) {
        QualifiedName t = intent.table().resolve(ctx.options().defaultSchema());
        AddColumn.NewColumn c = intent.column();
        String name = c.name();
        String id = ctx.migrationId();
        String tableName = t.toString();
        out.touch(t, name);

        Optional<Table> table = ctx.catalog().map(cat -> cat.table(t).orElseThrow(() ->
                RecipeContext.error(intent.position(), KIND, "unknown table " + t)));
        if (table.flatMap(tb -> tb.column(name)).isPresent()) {
            throw RecipeContext.error(intent.position(), KIND, "column " + name + " already exists on table " + t);
        }
        if (!c.nullable() && c.defaultExpr().isEmpty() && intent.up().isEmpty()) {
            throw RecipeContext.error(intent.position(), KIND, "column " + name + " is nullable: false but has neither a default"
                    + " nor up; existing rows and inserts of the old application would have no value (give it a default or up)");
        }
        Optional<QualifiedName> refTable = c.references().map(r -> r.table().resolve(ctx.options().defaultSchema()));
        ctx.catalog().ifPresent(cat -> c.references().ifPresent(r -> {
            Table rt = cat.table(refTable.get()).orElseThrow(() ->
                    RecipeContext.error(intent.position(), KIND, "references unknown table " + refTable.get()));
            if (rt.column(r.column()).isEmpty()) {
                throw RecipeContext.error(intent.position(), KIND, "references unknown column " + r.column() + " of " + refTable.get());
            }
        }));
        Optional<String> up = intent.up();
        boolean volatileDefault = up.isEmpty() && c.defaultExpr().map(RowExpression::mayBeVolatile).orElse(false);
        boolean fills = up.isPresent() || volatileDefault;
        // without a primary key the fill cuts the table by unique index or ctid pages (empty key)
        List<String> key = table.map(tb -> tb.primaryKey().map(Constraint::columns).orElse(List.of())).orElse(List.of("<primary key>"));
        if (!fills) {
            key = List.of();
        }
        ObjectNames names = new ObjectNames(ctx.catalog(), t);

        // expand
        String add = Ddl.addColumn(t, name, c.type(), null);
        if (up.isEmpty() && c.defaultExpr().isPresent()) {
            add += volatileDefault ? ", ALTER COLUMN " + Ident.quote(name) + " SET DEFAULT " + c.defaultExpr().get()
                    : " DEFAULT " + c.defaultExpr().get();
        }
        String how = up.isPresent() ? "no default yet; up fills it"
                : volatileDefault ? "default for new rows only, existing rows are filled in batches: no rewrite"
                : c.defaultExpr().isPresent() ? "non-volatile default: metadata only, no rewrite" : "nullable, no default";
        out.add(Phase.EXPAND, Step.ddl("add column " + name + " " + c.type() + " (" + how + ")", add,
                Ddl.dropColumn(t, name), LockLevel.ACCESS_EXCLUSIVE, tableName));

        // dual-write
        SyncTrigger sync = null;
        if (up.isPresent()) {
            List<String> sources = new ArrayList<>(RowExpression.columnsOf(up.get(), table));
            sources.remove(name);
            sync = new SyncTrigger(t, new QualifiedName(ctx.options().stateSchema(), Names.bounded("tg", id, t.schema(), t.name(), name)),
                    Names.bounded("tandem_sync", id, name),
                    new SyncTrigger.Mapping(sources, List.of(name), Map.of(name, RowExpression.overNew(up.get())), Map.of()))
                    .observedAs(ctx.options().stateSchema(), id);
            out.add(Phase.DUAL_WRITE, Step.ddl("create the fill function " + sync.function() + " (" + name + " := up(NEW) for old-app writes)",
                    sync.createFunction(Authority.OLD), sync.dropFunction(), LockLevel.NONE, null));
            out.add(Phase.DUAL_WRITE, Step.ddl("create the fill trigger " + sync.triggerName(), sync.createTrigger(), sync.dropTrigger(),
                    LockLevel.SHARE_ROW_EXCLUSIVE, tableName));
        }

        // backfill
        if (fills) {
            String expr = up.map(u -> "(" + u + ")").orElseGet(() -> "coalesce(" + Ident.quote(name) + ", " + c.defaultExpr().get() + ")");
            out.add(Phase.BACKFILL, new Step("fill " + name + " of existing rows in batches" + (up.isPresent() ? " from up" : " with the default"),
                    "UPDATE " + t.sql() + " SET " + Ident.quote(name) + " = " + expr + " WHERE " + Ident.quote(name) + " IS DISTINCT FROM " + expr,
                    List.of(), LockLevel.ROW_EXCLUSIVE, tableName, false, true, true,
                    Optional.of(new BackfillSpec(t, key, List.of(new BackfillSpec.Assignment(name, expr))))));
        }
        String notNull = c.nullable() ? null : names.claim(Names.bounded(t.name(), name, "not_null"));
        String check = c.check().map(x -> c.checkName().map(n -> namedCheck(intent, table, n)).orElseGet(() -> names.claim(Names.bounded(t.name(), name, "check")))).orElse(null);
        String fk = c.references().map(x -> names.claim(Names.bounded(t.name(), name, "fkey"))).orElse(null);
        String fkDef = c.references().map(r -> ValidatedConstraint.foreignKeyDefinition(name, refTable.get(), r.column(), r.onDelete())).orElse(null);
        String unique = c.unique() ? names.claim(Names.bounded(t.name(), name, "key")) : null;
        if (notNull != null) {
            out.add(Phase.BACKFILL, ValidatedConstraint.checkStep(t, notNull, NotNullViaCheck.isNotNull(name)));
        }
        if (check != null) {
            out.add(Phase.BACKFILL, ValidatedConstraint.checkStep(t, check, c.check().get()));
        }
        if (fk != null) {
            out.add(Phase.BACKFILL, new ValidatedConstraint(t, fk, fkDef, true).addNotValid("add foreign key " + fk + " (NOT VALID)"));
        }
        if (unique != null) {
            out.add(Phase.BACKFILL, uniqueOn(t, unique, name).steps().get(0));
        }

        // switch-reads
        if (notNull != null) {
            out.add(Phase.SWITCH_READS, ValidatedConstraint.validateCheckStep(t, notNull, NotNullViaCheck.isNotNull(name)));
            out.add(Phase.SWITCH_READS, Step.ddl("set " + name + " NOT NULL (proved by the validated check, no scan)",
                    Ddl.setNotNull(t, name), Ddl.dropNotNull(t, name), LockLevel.ACCESS_EXCLUSIVE, tableName));
            out.add(Phase.SWITCH_READS, new Step("drop check " + notNull + " (NOT NULL holds it now)", Ddl.dropConstraint(t, notNull),
                    List.of(Ddl.addCheckNotValid(t, notNull, NotNullViaCheck.isNotNull(name)), Ddl.validateConstraint(t, notNull)),
                    LockLevel.ACCESS_EXCLUSIVE, tableName, false, false, true, Optional.empty()));
        }
        if (check != null) {
            out.add(Phase.SWITCH_READS, ValidatedConstraint.validateCheckStep(t, check, c.check().get()));
        }
        if (fk != null) {
            out.add(Phase.SWITCH_READS, new ValidatedConstraint(t, fk, fkDef, true).validate("validate foreign key " + fk));
        }
        if (unique != null) {
            out.add(Phase.SWITCH_READS, uniqueOn(t, unique, name).steps().get(1));
        }

        // contract
        if (sync != null) {
            SyncTrigger s = sync;
            c.defaultExpr().ifPresent(d -> out.add(Phase.CONTRACT, Step.ddl("set the default of " + name + " (no old application is left)",
                    Ddl.setDefault(t, name, d), Ddl.dropDefault(t, name), LockLevel.ACCESS_EXCLUSIVE, tableName)));
            out.add(Phase.CONTRACT, Step.ddl("drop the fill trigger", s.dropTrigger(), s.createTrigger(), LockLevel.ACCESS_EXCLUSIVE, tableName));
            out.add(Phase.CONTRACT, Step.ddl("drop the fill function", s.dropFunction(), s.createFunction(Authority.OLD), LockLevel.NONE, null));
        }

        if (up.isPresent()) {
            out.note(Phase.BACKFILL, name + " is filled on every row and kept filled for old-application writes. Roll out the version"
                    + " that reads and writes " + name + ", then run `tandem switch-reads " + id + "`.");
            out.note(Phase.SWITCH_READS, "When no instance of the old version is left, run `tandem contract " + id + "`.");
        } else {
            out.note(Phase.BACKFILL, name + " exists" + (volatileDefault ? " and every row has its default" : "")
                    + "; the new application version may use it. Then run `tandem switch-reads " + id + "`.");
        }
        if (ctx.offline()) {
            out.warn("offline plan: " + t + " is not read; pass --url to check the table, its primary key and the columns up reads");
        }
    }

    /** The author's name for the column's check, refused (exit 2) when a constraint of the table has it. */
    private static String namedCheck(AddColumn intent, Optional<Table> table, String n) {
        table.filter(tb -> tb.constraints().stream().anyMatch(k -> k.name().equals(n))).ifPresent(tb -> {
            throw RecipeContext.error(intent.position(), KIND, "check name " + n + " is already taken by a constraint on table " + tb.name());
        });
        return n;
    }

    @Override
    public CatalogSnapshot project(AddColumn intent, CatalogSnapshot before, PlanOptions options) {
        QualifiedName t = intent.table().resolve(options.defaultSchema());
        Optional<Table> table = before.table(t);
        AddColumn.NewColumn c = intent.column();
        if (table.isEmpty() || table.get().column(c.name()).isPresent()) {
            return before;
        }
        Table tb = table.get();
        List<Column> columns = new ArrayList<>(tb.columns());
        columns.add(new Column(c.name(), columns.size() + 1, c.type(), !c.nullable(), c.defaultExpr(), "", "",
                Optional.empty(), Optional.empty()));
        List<Constraint> constraints = new ArrayList<>(tb.constraints());
        String q = Ident.quote(c.name());
        c.check().ifPresent(x -> constraints.add(new Constraint(c.checkName().orElse(Names.bounded(t.name(), c.name(), "check")), "c",
                "CHECK (" + x + ")", true, List.of(c.name()), "", List.of())));
        c.references().ifPresent(r -> {
            QualifiedName rt = r.table().resolve(options.defaultSchema());
            constraints.add(new Constraint(Names.bounded(t.name(), c.name(), "fkey"), "f",
                    ValidatedConstraint.foreignKeyDefinition(c.name(), rt, r.column(), r.onDelete()), true, List.of(c.name()),
                    rt.toString(), List.of(r.column())));
        });
        if (c.unique()) {
            constraints.add(new Constraint(Names.bounded(t.name(), c.name(), "key"), "u", "UNIQUE (" + q + ")", true,
                    List.of(c.name()), "", List.of()));
        }
        return before.with(tb.withColumns(columns).withConstraints(constraints));
    }

    /** A one-column unique constraint built through a concurrent unique index. */
    private static UniqueViaIndex uniqueOn(QualifiedName t, String name, String column) {
        return new UniqueViaIndex(t, name, ConcurrentIndexBuild.create(t, name, true, "btree (" + Ident.quote(column) + ")"), "");
    }

    @Override
    public java.util.List<dev.tandem.plan.ExpressionCheck> expressions(dev.tandem.intent.AddColumn intent, dev.tandem.catalog.CatalogSnapshot catalog,
                                                          dev.tandem.plan.PlanOptions options) {
        dev.tandem.sql.QualifiedName t = intent.table().resolve(options.defaultSchema());
        java.util.List<dev.tandem.plan.ExpressionCheck> out = new java.util.ArrayList<>();
        var c = intent.column();
        intent.up().ifPresent(up -> out.add(dev.tandem.plan.ExpressionCheck.overRow(intent.position(), intent.kind(), "up", t, up, java.util.Optional.of(c.type()))));
        c.defaultExpr().ifPresent(d -> out.add(dev.tandem.plan.ExpressionCheck.overRow(intent.position(), intent.kind(), "column.default", t, d,
                java.util.Optional.of(c.type()))));
        c.check().ifPresent(k -> out.add(new dev.tandem.plan.ExpressionCheck(intent.position(), intent.kind(), "column.check", t,
                java.util.Map.of(c.name(), c.type()), k, java.util.Optional.of("boolean"))));
        return out;
    }
}
