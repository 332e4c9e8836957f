package dev.tandem.plan;

import dev.tandem.catalog.CatalogSnapshot;
import dev.tandem.catalog.View;
import dev.tandem.intent.ChangeColumnType;
import dev.tandem.intent.DropColumn;
import dev.tandem.intent.Intent;
import dev.tandem.intent.MergeColumns;
import dev.tandem.intent.Migration;
import dev.tandem.intent.RawSql;
import dev.tandem.intent.RenameColumn;
import dev.tandem.intent.SplitColumn;
import dev.tandem.sql.QualifiedName;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Refuses up front (exit 2, naming the view) an intent that changes a column a view reads, unless
 * Tandem carries the view or the migration itself takes care of it. Pure: works on the catalog
 * snapshot and the migration's intents.
 * <ul>
 *   <li>{@code rename_column}, {@code split_column}, {@code merge_columns}: a simple view
 *       ({@link View#simple()}) is carried by the recipe ({@code CREATE OR REPLACE VIEW} at the
 *       start of contract, its output columns unchanged: the renamed column, or the old column
 *       computed by {@code down} from the new ones), so views over it are not affected; any other
 *       view, and every materialized view, is refused;</li>
 *   <li>{@code change_column_type}: a simple view is carried by dropping and creating it again in
 *       the transaction that changes the column ({@link dev.tandem.plan.mechanics.ViewRebuild}:
 *       owner, grants and comments kept); a view or materialized view that reads such a view is
 *       refused naming both (the drop would fail); any other view reading the column is refused;</li>
 *   <li>{@code drop_column}: every view and materialized view reading the column is refused.</li>
 * </ul>
 * Tandem's own views ({@link View#tandem()}, the compatibility view of a {@code rename_table})
 * are never carried nor refused for.
 * A view counts as taken care of when a {@code sql} step of the same migration starts a statement
 * with {@code DROP [MATERIALIZED] VIEW [IF EXISTS] name[, …]} or
 * {@code CREATE OR REPLACE VIEW name} (name bare, double-quoted or schema-qualified; unqualified
 * names resolve to the default schema). Tandem does not check what a {@code CREATE OR REPLACE}
 * then reads, and splits the step's SQL at every semicolon, also one inside a string.
 * <p>Offline (no catalog) nothing is checked: views are not known.
 */
public final class ViewGuard {
    private ViewGuard() {}

    private static final String NAME = "(?:\"(?:[^\"]|\"\")+\"|[A-Za-z_][A-Za-z0-9_$]*)";
    private static final Pattern QUALIFIED = Pattern.compile("\\s*(" + NAME + ")(?:\\s*\\.\\s*(" + NAME + "))?\\s*");
    private static final Pattern DROP = Pattern.compile("(?is)^\\s*DROP\\s+(?:MATERIALIZED\\s+)?VIEW\\s+(?:IF\\s+EXISTS\\s+)?(.*)$");
    private static final Pattern REPLACE = Pattern.compile("(?is)^\\s*CREATE\\s+OR\\s+REPLACE\\s+(?:(?:TEMP|TEMPORARY|RECURSIVE)\\s+)?VIEW\\s+(.*)$");

    /** The views that a {@code sql} step of the migration drops or replaces. */
    public static Set<QualifiedName> handledBySql(Migration m, String defaultSchema) {
        Set<QualifiedName> out = new LinkedHashSet<>();
        for (Intent i : m.changes()) {
            if (i instanceof RawSql sql) {
                for (String statement : sql.up().split(";")) {
                    Matcher d = DROP.matcher(statement);
                    Matcher r = REPLACE.matcher(statement);
                    if (d.matches()) {
                        for (String part : d.group(1).replaceAll("(?i)\\s+(CASCADE|RESTRICT)\\s*$", "").split(",")) {
                            name(part, defaultSchema).ifPresent(out::add);
                        }
                    } else if (r.matches()) {
                        String rest = r.group(1);
                        Matcher q = QUALIFIED.matcher(rest);
                        if (q.lookingAt()) {
                            name(rest.substring(0, q.end()), defaultSchema).ifPresent(out::add);
                        }
                    }
                }
            }
        }
        return out;
    }

    private static Optional<QualifiedName> name(String text, String defaultSchema) {
        Matcher q = QUALIFIED.matcher(text);
        if (!q.matches()) {
            return Optional.empty();
        }
        return q.group(2) == null ? Optional.of(new QualifiedName(defaultSchema, raw(q.group(1))))
                : Optional.of(new QualifiedName(raw(q.group(1)), raw(q.group(2))));
    }

    private static String raw(String ident) {
        return ident.startsWith("\"") ? ident.substring(1, ident.length() - 1).replace("\"\"", "\"") : ident.toLowerCase(java.util.Locale.ROOT);
    }

    /** The table and columns an intent changes in a way a view reading them notices; empty for other intents. */
    static Optional<QualifiedName> table(Intent intent, String defaultSchema) {
        if (intent instanceof RenameColumn r) {
            return Optional.of(r.table().resolve(defaultSchema));
        } else if (intent instanceof ChangeColumnType r) {
            return Optional.of(r.table().resolve(defaultSchema));
        } else if (intent instanceof DropColumn r) {
            return Optional.of(r.table().resolve(defaultSchema));
        } else if (intent instanceof SplitColumn r) {
            return Optional.of(r.table().resolve(defaultSchema));
        } else if (intent instanceof MergeColumns r) {
            return Optional.of(r.table().resolve(defaultSchema));
        }
        return Optional.empty();
    }

    static List<String> columns(Intent intent) {
        if (intent instanceof RenameColumn r) {
            return List.of(r.column());
        } else if (intent instanceof ChangeColumnType r) {
            return List.of(r.column());
        } else if (intent instanceof DropColumn r) {
            return List.of(r.column());
        } else if (intent instanceof SplitColumn r) {
            return List.of(r.column());
        } else if (intent instanceof MergeColumns r) {
            return r.columns();
        }
        return List.of();
    }

    /**
     * The simple views a column recipe ({@code rename_column}, {@code change_column_type},
     * {@code split_column}, {@code merge_columns}) carries: they read the column, are not Tandem's
     * own and no sql step of the migration handles them.
     */
    public static List<View> carried(QualifiedName table, String column, RecipeContext ctx) {
        if (ctx.catalog().isEmpty()) {
            return List.of();
        }
        return ctx.catalog().get().viewsReading(table, column).stream()
                .filter(v -> v.simple() && !v.tandem() && !ctx.viewsHandledBySql().contains(v.name())).toList();
    }

    /** The carried views of several columns, each once, in name order. */
    public static List<View> carried(QualifiedName table, List<String> columns, RecipeContext ctx) {
        java.util.Map<QualifiedName, View> out = new java.util.TreeMap<>();
        columns.forEach(c -> carried(table, c, ctx).forEach(v -> out.put(v.name(), v)));
        return List.copyOf(out.values());
    }

    private static boolean carries(Intent intent) {
        return intent instanceof RenameColumn || intent instanceof ChangeColumnType || intent instanceof SplitColumn
                || intent instanceof MergeColumns;
    }

    /** User views (not handled by a sql step of the migration) that read any column of the view. */
    static List<View> dependents(View view, RecipeContext ctx) {
        return ctx.catalog().orElseThrow().views().values().stream()
                .filter(w -> !w.name().equals(view.name()) && w.readsFrom(view.name()) && !w.tandem()
                        && !ctx.viewsHandledBySql().contains(w.name()))
                .toList();
    }

    /**
     * Throws BAD_INPUT at the intent's position naming the first view that reads a column the
     * intent changes and that neither Tandem carries nor the migration's {@code sql} steps handle.
     */
    public static void check(Intent intent, RecipeContext ctx) {
        if (ctx.catalog().isEmpty()) {
            return;
        }
        Optional<QualifiedName> table = table(intent, ctx.options().defaultSchema());
        if (table.isEmpty()) {
            return;
        }
        CatalogSnapshot catalog = ctx.catalog().get();
        for (String column : columns(intent)) {
            List<View> blocking = new ArrayList<>();
            for (View v : catalog.viewsReading(table.get(), column)) {
                if (ctx.viewsHandledBySql().contains(v.name()) || v.tandem()) {
                    continue;
                }
                if (carries(intent) && v.simple()) {
                    if (intent instanceof ChangeColumnType) {
                        List<View> over = dependents(v, ctx);
                        if (!over.isEmpty()) {
                            View w = over.get(0);
                            throw RecipeContext.error(intent.position(), intent.kind(), (w.materialized() ? "materialized view " : "view ")
                                    + w.name() + " reads view " + v.name() + ", which reads " + table.get() + "." + column
                                    + "; Tandem carries " + v.name() + " by dropping and creating it again with the new type, which "
                                    + w.name() + " prevents. Drop " + w.name() + " in a sql step of this migration (DROP "
                                    + (w.materialized() ? "MATERIALIZED " : "") + "VIEW " + w.name().sql()
                                    + ") and recreate it in a later migration");
                        }
                    }
                    continue;
                }
                blocking.add(v);
            }
            if (blocking.isEmpty()) {
                continue;
            }
            View v = blocking.get(0);
            String what = (v.materialized() ? "materialized view " : "view ") + v.name();
            String others = blocking.size() == 1 ? "" : " (and " + String.join(", ", blocking.subList(1, blocking.size())
                    .stream().map(x -> x.name().toString()).toList()) + ")";
            String why;
            if (v.materialized()) {
                why = "Tandem does not carry materialized views";
            } else if (carries(intent)) {
                why = "it is not a simple view (one table, plain column references, no WHERE, options or grouping),"
                        + " so Tandem cannot carry it through the " + intent.kind();
            } else {
                why = "the " + intent.kind() + " would break it";
            }
            throw RecipeContext.error(intent.position(), intent.kind(), what + others + " reads " + table.get() + "." + column
                    + "; " + why + ". Drop or replace it in a sql step of this migration (DROP "
                    + (v.materialized() ? "MATERIALIZED " : "") + "VIEW " + v.name().sql()
                    + (v.materialized() ? "" : " or CREATE OR REPLACE VIEW " + v.name().sql() + " …")
                    + ") and recreate it in a later migration");
        }
    }
}
