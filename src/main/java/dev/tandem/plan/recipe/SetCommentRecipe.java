package dev.tandem.plan.recipe;

import dev.tandem.catalog.CatalogSnapshot;
import dev.tandem.catalog.Column;
import dev.tandem.catalog.Table;
import dev.tandem.intent.SetComment;
import dev.tandem.plan.LockLevel;
import dev.tandem.plan.Phase;
import dev.tandem.plan.PlanBuilder;
import dev.tandem.plan.PlanOptions;
import dev.tandem.plan.Recipe;
import dev.tandem.plan.RecipeContext;
import dev.tandem.plan.Step;
import dev.tandem.sql.Ddl;
import dev.tandem.sql.QualifiedName;
import java.util.Optional;

/**
 * {@code set_comment}: one metadata-only step at <b>expand</b>, {@code COMMENT ON TABLE|COLUMN … IS
 * 'text'} (or {@code IS NULL}, which clears it). {@code COMMENT} takes SHARE UPDATE EXCLUSIVE on
 * the table: reads and writes go on, only DDL and VACUUM wait. Neither application version depends
 * on a comment, so it needs no other phase. The rollback restores the comment the catalog had
 * (or clears it when there was none): exact, the fingerprint compares comments. Offline the
 * previous comment is unknown; the rollback shown is a placeholder and the plan warns.
 * <p>Refused (exit 2): unknown table or column, a view (its comment is not the table's).
 */
public final class SetCommentRecipe implements Recipe<SetComment> {
    private static final String KIND = "set_comment";

    @Override
    public void plan(SetComment intent, RecipeContext ctx, PlanBuilder out) {
        Lookups look = new Lookups(ctx, intent.position(), KIND);
        QualifiedName t = intent.table().resolve(ctx.options().defaultSchema());
        Optional<Table> table = look.table(t);
        table.filter(tb -> !tb.kind().equals("r") && !tb.kind().equals("p")).ifPresent(tb -> {
            throw look.error(t + " is not a table (relkind " + tb.kind() + ")");
        });
        String what = intent.comment().isPresent() ? "set" : "clear";
        if (intent.column().isPresent()) {
            String col = intent.column().get();
            out.touch(t, col);
            Optional<Column> column = look.column(table, col);
            Optional<String> previous = column.isPresent() ? column.get().comment() : Optional.of("<comment of " + col + ", read at apply>");
            out.add(Phase.EXPAND, Step.ddl(what + " the comment of column " + col + " (metadata only)",
                    Ddl.setColumnComment(t, col, intent.comment()), Ddl.setColumnComment(t, col, previous),
                    LockLevel.SHARE_UPDATE_EXCLUSIVE, t.toString()));
        } else {
            out.touch(t, "*comment");
            Optional<String> previous = table.isPresent() ? table.get().comment() : Optional.of("<comment of " + t + ", read at apply>");
            out.add(Phase.EXPAND, Step.ddl(what + " the comment of table " + t + " (metadata only)",
                    Ddl.setTableComment(t, intent.comment()), Ddl.setTableComment(t, previous),
                    LockLevel.SHARE_UPDATE_EXCLUSIVE, t.toString()));
        }
        if (ctx.offline()) {
            out.warn("offline plan: the current comment is not known, so the rollback shown is a placeholder; pass --url");
        }
    }

    @Override
    public CatalogSnapshot project(SetComment intent, CatalogSnapshot before, PlanOptions options) {
        QualifiedName t = intent.table().resolve(options.defaultSchema());
        if (intent.column().isPresent()) {
            return Projections.column(before, t, intent.column().get(), c -> new Column(c.name(), c.position(), c.type(), c.notNull(),
                    c.defaultExpr(), c.identity(), c.generated(), c.collation(), intent.comment()));
        }
        return before.table(t).map(tb -> before.with(tb.withComment(intent.comment()))).orElse(before);
    }
}
