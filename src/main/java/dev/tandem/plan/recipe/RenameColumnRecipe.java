package dev.tandem.plan.recipe;

import dev.tandem.catalog.CatalogSnapshot;
import dev.tandem.catalog.Column;
import dev.tandem.catalog.Constraint;
import dev.tandem.catalog.Index;
import dev.tandem.catalog.Table;
import dev.tandem.catalog.View;
import dev.tandem.plan.ViewGuard;
import dev.tandem.intent.RenameColumn;
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
import dev.tandem.plan.mechanics.SyncTrigger;
import dev.tandem.plan.mechanics.SyncTrigger.Authority;
import dev.tandem.sql.Ddl;
import dev.tandem.sql.Ident;
import dev.tandem.sql.Names;
import dev.tandem.sql.QualifiedName;
import dev.tandem.sql.SqlTokens;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code rename_column}: the new column is added beside the old one and the two are kept equal by a
 * sync trigger, so the old application (writing the old name) and the new one (writing the new
 * name) both work during the rollout.
 * <ul>
 *   <li>expand — add the new column (same type and collation, nullable, no default), its comment,
 *       and copies of foreign keys as NOT VALID;</li>
 *   <li>dual-write — the sync function and trigger;</li>
 *   <li>backfill — copy old into new in batches, then copies of CHECK constraints (a NOT NULL
 *       becomes {@code CHECK (new IS NOT NULL)}) as NOT VALID — only now, since such a check applies
 *       to every new row version — then copies of the indexes, built CONCURRENTLY;</li>
 *   <li>switch-reads — validate the copied constraints, SET NOT NULL (no scan: the validated
 *       check proves it), attach unique constraints to their indexes, make the new column
 *       authoritative in the trigger;</li>
 *   <li>contract — the default moves to the new column, the old one drops NOT NULL and stops being
 *       written (trigger dropped) and is renamed out of sight; rollback restores it and re-syncs it
 *       from the new column. {@code purge} drops it.</li>
 * </ul>
 * Not handled (refused with exit 2): identity and generated columns, primary-key columns, columns
 * that other tables' foreign keys reference, exclusion constraints. A table without a primary key
 * is backfilled by unique index or ctid pages.
 * Views that read the old column: a simple one ({@link View#simple()}) is re-pointed at the new
 * column by {@code CREATE OR REPLACE VIEW} as the first step of contract, under its old output
 * names; its rollback restores the original definition. Other views and materialized views are
 * refused up front ({@link ViewGuard}) unless a {@code sql} step of the migration drops or replaces them.
 */
public final class RenameColumnRecipe implements Recipe<RenameColumn> {
    private static final String KIND = "rename_column";

    @Override
    public void plan(RenameColumn intent, RecipeContext ctx, PlanBuilder out) {
        QualifiedName t = intent.table().resolve(ctx.options().defaultSchema());
        String from = intent.column();
        String to = intent.to();
        String id = ctx.migrationId();
        String tableName = t.toString();
        out.touch(t, from).touch(t, to);

        Optional<Table> table = ctx.catalog().map(c -> c.table(t).orElseThrow(() ->
                RecipeContext.error(intent.position(), KIND, "unknown table " + t)));
        Column col = table.map(tb -> tb.column(from).orElseThrow(() ->
                RecipeContext.error(intent.position(), KIND, "unknown column " + from + " on table " + t)))
                .orElse(new Column(from, 0, "<type of " + from + ">", false, Optional.empty(), "", "",
                        Optional.empty(), Optional.empty()));
        table.ifPresent(tb -> refuseUnsupported(intent, tb, col, ctx.catalog().orElseThrow()));
        // without a primary key the backfill cuts the table by unique index or ctid pages (empty key)
        List<String> key = table.map(tb -> tb.primaryKey().map(Constraint::columns).orElse(List.of())).orElse(List.of("<primary key>"));

        ObjectNames names = new ObjectNames(ctx.catalog(), t);
        QualifiedName function = new QualifiedName(ctx.options().stateSchema(), Names.bounded("tg", id, t.schema(), t.name(), from));
        // names carry the column, so two column intents on one table in one migration get two triggers
        SyncTrigger sync = new SyncTrigger(t, function, Names.bounded("tandem_sync", id, from),
                new SyncTrigger.Mapping(List.of(from), List.of(to),
                        Map.of(to, "NEW." + Ident.quote(from)), Map.of(from, "NEW." + Ident.quote(to))))
                .observedAs(ctx.options().stateSchema(), id);
        String retired = Names.bounded("tandem_retired", id, from);

        // expand
        out.add(Phase.EXPAND, Step.ddl("add column " + to + " (" + col.type() + ") beside " + from,
                Ddl.addColumn(t, to, col.type(), col.collation().map(Ident::quote).orElse(null)),
                Ddl.dropColumn(t, to), LockLevel.ACCESS_EXCLUSIVE, tableName));
        col.comment().ifPresent(comment -> out.add(Phase.EXPAND, Step.ddl("copy the comment of " + from,
                Ddl.commentOnColumn(t, to, comment), Ddl.commentOnColumn(t, to, null),
                LockLevel.SHARE_UPDATE_EXCLUSIVE, tableName)));
        List<Constraint> copiedFks = new ArrayList<>();
        table.ifPresent(tb -> tb.constraints().stream()
                .filter(k -> k.isForeignKey() && k.columns().contains(from))
                .forEach(k -> {
                    String name = names.derive(k.name(), from, to);
                    String def = foreignKeyDefinition(k, from, to);
                    out.add(Phase.EXPAND, Step.ddl("copy foreign key " + k.name() + " as " + name + " (NOT VALID)",
                            "ALTER TABLE " + t.sql() + " ADD CONSTRAINT " + Ident.quote(name) + " " + def + " NOT VALID",
                            Ddl.dropConstraint(t, name), LockLevel.SHARE_ROW_EXCLUSIVE, tableName));
                    if (k.validated()) {
                        copiedFks.add(new Constraint(name, "f", def, true, List.of(), "", List.of()));
                    }
                }));

        // dual-write
        out.add(Phase.DUAL_WRITE, Step.ddl("create the sync function " + function,
                sync.createFunction(Authority.OLD), sync.dropFunction(), LockLevel.NONE, null));
        out.add(Phase.DUAL_WRITE, Step.ddl("create the sync trigger " + sync.triggerName() + " (" + from + " <-> " + to + ")",
                sync.createTrigger(), sync.dropTrigger(), LockLevel.SHARE_ROW_EXCLUSIVE, tableName));
        List<String[]> checks = new ArrayList<>(); // {name, expression, validated}
        String notNullCheck = null;
        if (col.notNull()) {
            notNullCheck = names.claim(Names.bounded(t.name(), to, "not_null"));
            checks.add(new String[] {notNullCheck, Ident.quote(to) + " IS NOT NULL", "true"});
        }
        table.ifPresent(tb -> tb.constraints().stream()
                .filter(k -> k.isCheck() && SqlTokens.mentionsColumn(k.definition(), from))
                .forEach(k -> checks.add(new String[] {names.derive(k.name(), from, to),
                        checkExpression(SqlTokens.replaceColumn(k.definition(), from, to)), Boolean.toString(k.validated())})));

        // backfill
        String copy = "UPDATE " + t.sql() + " SET " + Ident.quote(to) + " = " + Ident.quote(from)
                + " WHERE " + Ident.quote(to) + " IS DISTINCT FROM " + Ident.quote(from);
        out.add(Phase.BACKFILL, new Step("copy " + from + " into " + to + " in batches", copy, List.of(),
                LockLevel.ROW_EXCLUSIVE, tableName, false, true, true,
                Optional.of(new BackfillSpec(t, key, List.of(new BackfillSpec.Assignment(to, Ident.quote(from)))))));
        // Copied checks only after the copy: a NOT VALID check still applies to every new row version, and an
        // UPDATE of another column does not fire the sync trigger, so before the copy it would reject
        // old-application updates of rows whose new column is still NULL.
        for (String[] c : checks) {
            out.add(Phase.BACKFILL, Step.ddl("add check " + c[0] + " (NOT VALID)", Ddl.addCheckNotValid(t, c[0], c[1]),
                    Ddl.dropConstraint(t, c[0]), LockLevel.ACCESS_EXCLUSIVE, tableName));
        }
        List<String[]> uniqueAttach = new ArrayList<>(); // {constraint/index name, kind}
        table.ifPresent(tb -> tb.indexes().stream()
                .filter(i -> !i.primary() && SqlTokens.mentionsColumn(i.definition(), from))
                .forEach(i -> {
                    if (!i.valid()) {
                        out.warn("index " + i.name() + " on " + t + " is INVALID and is not copied to " + to);
                        return;
                    }
                    String name = names.derive(i.constraint().orElse(i.name()), from, to);
                    String create = copyIndex(i, t, name, from, to);
                    out.add(Phase.BACKFILL, new Step("build a copy of index " + i.name() + " on " + to,
                            create, List.of(Ddl.dropIndexConcurrently(t.schema(), name)),
                            LockLevel.SHARE_UPDATE_EXCLUSIVE, tableName, false, true, false, Optional.empty()));
                    i.constraint().ifPresent(k -> uniqueAttach.add(new String[] {name, create}));
                }));

        // switch-reads
        for (String[] c : checks) {
            if (Boolean.parseBoolean(c[2])) {
                out.add(Phase.SWITCH_READS, Step.ddl("validate check " + c[0], Ddl.validateConstraint(t, c[0]),
                        Ddl.invalidateCheck(t, c[0], c[1]), LockLevel.SHARE_UPDATE_EXCLUSIVE, tableName).withScan(true));
            }
        }
        if (col.notNull()) {
            out.add(Phase.SWITCH_READS, Step.ddl("set " + to + " NOT NULL (proved by the validated check, no scan)",
                    Ddl.setNotNull(t, to), Ddl.dropNotNull(t, to), LockLevel.ACCESS_EXCLUSIVE, tableName));
        }
        for (Constraint fk : copiedFks) {
            out.add(Phase.SWITCH_READS, Step.ddl("validate foreign key " + fk.name(), Ddl.validateConstraint(t, fk.name()),
                    "ALTER TABLE " + t.sql() + " DROP CONSTRAINT " + Ident.quote(fk.name()) + ", ADD CONSTRAINT "
                            + Ident.quote(fk.name()) + " " + fk.definition() + " NOT VALID",
                    LockLevel.SHARE_UPDATE_EXCLUSIVE, tableName).withScan(true));
        }
        for (String[] u : uniqueAttach) {
            out.add(Phase.SWITCH_READS, new Step("attach unique constraint " + u[0] + " to its index",
                    Ddl.addConstraintUsingIndex(t, u[0], "UNIQUE", u[0]),
                    List.of(Ddl.dropConstraint(t, u[0]), u[1]), LockLevel.ACCESS_EXCLUSIVE, tableName,
                    false, false, true, Optional.empty()));
        }
        out.add(Phase.SWITCH_READS, Step.ddl("make " + to + " authoritative in the sync function",
                sync.createFunction(Authority.NEW), sync.createFunction(Authority.OLD), LockLevel.NONE, null));

        // contract: views first, while the trigger still keeps both columns equal
        for (View v : ViewGuard.carried(t, from, ctx)) {
            out.add(Phase.CONTRACT, Step.ddl("re-point view " + v.name() + " at " + to + " (its output columns keep their names)",
                    carriedView(v, from, to), "CREATE OR REPLACE VIEW " + v.name().sql() + " AS " + stripSemicolon(v.definition()),
                    LockLevel.ACCESS_EXCLUSIVE, v.name().toString()));
        }
        col.defaultExpr().ifPresent(d -> out.add(Phase.CONTRACT, Step.ddl("move the default of " + from + " to " + to,
                Ddl.setDefault(t, to, d), Ddl.dropDefault(t, to), LockLevel.ACCESS_EXCLUSIVE, tableName)));
        if (col.notNull()) {
            String tmp = names.claim(Names.bounded(t.name(), from, "not_null_restore"));
            out.add(Phase.CONTRACT, new Step("drop NOT NULL on " + from + " (the new application no longer writes it)",
                    Ddl.dropNotNull(t, from),
                    new NotNullViaCheck(t, from, tmp).named(NotNullViaCheck.constraintOf(table, from)).restoreStatements("cannot restore NOT NULL on " + t + "." + from),
                    LockLevel.ACCESS_EXCLUSIVE, tableName, false, false, true, Optional.empty()));
        }
        out.add(Phase.CONTRACT, Step.ddl("drop the sync trigger (" + from + " stops being written)", sync.dropTrigger(),
                sync.createTrigger(), LockLevel.ACCESS_EXCLUSIVE, tableName)
                // undo: trigger back, then re-sync the rows the new application wrote since contract, in batches
                .withUndoBackfill(new BackfillSpec(t, key, List.of(new BackfillSpec.Assignment(from, Ident.quote(to))))));
        out.add(Phase.CONTRACT, Step.ddl("drop the sync function", sync.dropFunction(), sync.createFunction(Authority.NEW),
                LockLevel.NONE, null));
        out.add(Phase.CONTRACT, Step.ddl("retire " + from + " out of sight as " + retired,
                Ddl.renameColumn(t, from, retired), Ddl.renameColumn(t, retired, from), LockLevel.ACCESS_EXCLUSIVE, tableName));

        // purge
        out.purge(Step.ddl("drop the retired column " + retired, Ddl.dropColumn(t, retired), null, LockLevel.ACCESS_EXCLUSIVE, tableName));
        if (notNullCheck != null) {
            out.purge(Step.ddl("drop check " + notNullCheck + " (NOT NULL now holds it)", Ddl.dropConstraint(t, notNullCheck),
                    null, LockLevel.ACCESS_EXCLUSIVE, tableName));
        }

        out.note(Phase.BACKFILL, "Now roll out the application version that reads and writes " + to
                + "; old and new instances may run side by side. Then run `tandem switch-reads " + id + "`.");
        out.note(Phase.SWITCH_READS, to + " is authoritative. When no instance of the old version is left, run `tandem contract " + id + "`.");
        out.note(Phase.CONTRACT, from + " is retired as " + retired + " and no longer written; `tandem rollback " + id
                + "` can still restore it, `tandem purge " + id + "` drops it for good.");
        if (ctx.offline()) {
            out.warn("offline plan: the type, NOT NULL, default, indexes and constraints of " + t + "." + from
                    + " are not known; pass --url for the real statements");
        }
    }

    private static void refuseUnsupported(RenameColumn intent, Table tb, Column col, CatalogSnapshot catalog) {
        String at = tb.name() + "." + col.name();
        if (tb.column(intent.to()).isPresent()) {
            throw RecipeContext.error(intent.position(), KIND, "column " + intent.to() + " already exists on table " + tb.name());
        }
        if (col.automatic()) {
            throw RecipeContext.error(intent.position(), KIND, at + " is an identity or generated column; renaming it is not supported yet");
        }
        Optional<Constraint> pk = tb.primaryKey();
        if (pk.isPresent() && pk.get().columns().contains(col.name())) {
            throw RecipeContext.error(intent.position(), KIND, at + " is part of the primary key " + pk.get().name() + "; renaming it is not supported yet");
        }
        for (var ref : catalog.foreignKeysReferencing(tb.name())) {
            if (ref.getValue().referencedColumns().contains(col.name())) {
                throw RecipeContext.error(intent.position(), KIND, at + " is referenced by foreign key " + ref.getValue().name()
                        + " on " + ref.getKey().name() + "; renaming it is not supported yet");
            }
        }
        for (Constraint k : tb.constraints()) {
            if ("x".equals(k.type()) && SqlTokens.mentionsColumn(k.definition(), col.name())) {
                throw RecipeContext.error(intent.position(), KIND, at + " is part of exclusion constraint " + k.name() + "; not supported");
            }
        }
    }

    /**
     * {@code CREATE OR REPLACE VIEW} of a simple view generated from its known target list, reading
     * {@code to} where it read {@code from}, every output column under its old name.
     */
    static String carriedView(View v, String from, String to) {
        List<String> items = new ArrayList<>();
        for (int i = 0; i < v.columns().size(); i++) {
            String source = v.sources().get(i).equals(from) ? to : v.sources().get(i);
            items.add(Ident.quote(source) + " AS " + Ident.quote(v.columns().get(i)));
        }
        return "CREATE OR REPLACE VIEW " + v.name().sql() + " AS SELECT " + String.join(", ", items)
                + " FROM " + v.table().orElseThrow().sql();
    }

    static String stripSemicolon(String definition) {
        String d = definition.strip();
        return d.endsWith(";") ? d.substring(0, d.length() - 1) : d;
    }

    /** {@code FOREIGN KEY (…) REFERENCES …} of an existing FK with the column renamed, without NOT VALID. */
    static String foreignKeyDefinition(Constraint fk, String from, String to) {
        String def = SqlTokens.replaceColumnsBefore(fk.definition(), "references", from, to);
        return def.endsWith(" NOT VALID") ? def.substring(0, def.length() - " NOT VALID".length()) : def;
    }

    /** The expression inside {@code CHECK (…)} of a check definition, without NOT VALID. */
    static String checkExpression(String checkDefinition) {
        String def = checkDefinition.endsWith(" NOT VALID")
                ? checkDefinition.substring(0, checkDefinition.length() - " NOT VALID".length()) : checkDefinition;
        int open = def.indexOf('(');
        int close = def.lastIndexOf(')');
        return def.substring(open + 1, close);
    }

    /** {@code CREATE [UNIQUE] INDEX CONCURRENTLY name ON table USING …} with the column renamed. */
    static String copyIndex(Index index, QualifiedName table, String name, String from, String to) {
        String rest = SqlTokens.afterKeyword(index.definition(), "using");
        int methodEnd = rest.indexOf(' ');
        String method = rest.substring(0, methodEnd);
        return dev.tandem.plan.mechanics.ConcurrentIndexBuild.create(table, name, index.unique(),
                method + SqlTokens.replaceColumn(rest.substring(methodEnd), from, to));
    }

    @Override
    public CatalogSnapshot project(RenameColumn intent, CatalogSnapshot before, PlanOptions options) {
        QualifiedName t = intent.table().resolve(options.defaultSchema());
        Optional<Table> table = before.table(t);
        if (table.isEmpty() || table.get().column(intent.column()).isEmpty()) {
            return before;
        }
        Table tb = table.get();
        List<Column> columns = new ArrayList<>();
        Column moved = null;
        for (Column c : tb.columns()) {
            if (c.name().equals(intent.column())) {
                moved = c;
            } else if (!c.name().equals(intent.to())) {
                columns.add(new Column(c.name(), columns.size() + 1, c.type(), c.notNull(), c.defaultExpr(),
                        c.identity(), c.generated(), c.collation(), c.comment()));
            }
        }
        columns.add(new Column(intent.to(), columns.size() + 1, moved.type(), moved.notNull(), moved.defaultExpr(),
                "", "", moved.collation(), moved.comment()));
        List<Constraint> constraints = tb.constraints().stream().map(k -> new Constraint(k.name(), k.type(),
                SqlTokens.replaceColumn(k.definition(), intent.column(), intent.to()), k.validated(),
                k.columns().stream().map(c -> c.equals(intent.column()) ? intent.to() : c).toList(),
                k.referencedTable(), k.referencedColumns())).toList();
        CatalogSnapshot after = before.with(tb.withColumns(columns).withConstraints(constraints));
        Map<QualifiedName, View> views = new java.util.TreeMap<>(after.views());
        for (View v : before.viewsReading(t, intent.column())) {
            views.put(v.name(), new View(v.name(), v.materialized(), v.definition(), v.columns(),
                    v.reads().stream().map(r -> r.equals(new View.Read(t, intent.column())) ? new View.Read(t, intent.to()) : r).toList(),
                    v.table(), v.sources().stream().map(x -> x.equals(intent.column()) ? intent.to() : x).toList(), v.tandem()));
        }
        return new CatalogSnapshot(after.serverVersionNum(), after.tables(), views, after.role());
    }
}
