package dev.tandem.plan.recipe;

import dev.tandem.catalog.CatalogSnapshot;
import dev.tandem.catalog.Index;
import dev.tandem.catalog.Table;
import dev.tandem.intent.CreateIndex;
import dev.tandem.plan.Phase;
import dev.tandem.plan.PlanBuilder;
import dev.tandem.plan.PlanOptions;
import dev.tandem.plan.Recipe;
import dev.tandem.plan.RecipeContext;
import dev.tandem.plan.mechanics.ConcurrentIndexBuild;
import dev.tandem.plan.mechanics.Precheck;
import dev.tandem.sql.Ident;
import dev.tandem.sql.QualifiedName;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code create_index}: {@code CREATE [UNIQUE] INDEX CONCURRENTLY} (SHARE UPDATE EXCLUSIVE, outside a
 * transaction, writes continue; an INVALID leftover of a failed or interrupted build is dropped
 * before a retry). A plain index is built at <b>expand</b> (it changes no behaviour); a unique one
 * at <b>switch-reads</b>, after a count of duplicate keys (it enforces uniqueness for every writer
 * as soon as it is valid). The undo drops it CONCURRENTLY.
 * <p>Each entry of {@code columns} is rendered as: a column name (quoted), optionally followed by
 * an operator class and {@code ASC|DESC} / {@code NULLS FIRST|LAST}; anything else is an
 * expression, written in parentheses ({@code lower(email)} → {@code (lower(email))}), ordering words
 * at its end kept outside. {@code where} is the author's SQL; {@code include} are column names;
 * {@code with} becomes {@code WITH (p = v, …)} after them, each parameter checked against the
 * access method ({@link dev.tandem.plan.mechanics.IndexStorage}).
 * <p>Refused: unknown table, unknown plain or INCLUDE columns, a name taken by a relation in the
 * schema, {@code unique} with a method other than btree, a storage parameter the method does not take.
 */
public final class CreateIndexRecipe implements Recipe<CreateIndex> {
    private static final String KIND = "create_index";
    private static final Pattern ORDERING = Pattern.compile("(?is)^(.*?)((?:\\s+(?:ASC|DESC))?(?:\\s+NULLS\\s+(?:FIRST|LAST))?)\\s*$");
    private static final Pattern PLAIN = Pattern.compile("^(\"(?:[^\"]|\"\")+\"|[A-Za-z_][A-Za-z0-9_$]*)(?:\\s+([A-Za-z_][A-Za-z0-9_.]*))?$");

    /** One rendered key: the SQL in the index, and the column when it is a plain column (else null). */
    record Key(String sql, String expression, String column) {}

    @Override
    public void plan(CreateIndex intent, RecipeContext ctx, PlanBuilder out) {
        Lookups look = new Lookups(ctx, intent.position(), KIND);
        QualifiedName t = intent.table().resolve(ctx.options().defaultSchema());
        Optional<Table> table = look.table(t);
        look.nameFree(table, intent.name(), true);
        String method = intent.method().orElse("btree");
        if (intent.unique() && !method.equalsIgnoreCase("btree")) {
            throw look.error("unique: true needs method btree (got " + method + ")");
        }
        List<Key> keys = intent.columns().stream().map(CreateIndexRecipe::key).toList();
        keys.stream().filter(k -> k.column() != null).forEach(k -> {
            look.column(table, k.column());
            out.touch(t, k.column());
        });
        look.columns(table, intent.include());
        dev.tandem.plan.mechanics.IndexStorage.refusal(method, intent.with()).ifPresent(m -> {
            throw look.error(m);
        });
        String create = ConcurrentIndexBuild.create(t, intent.name(), intent.unique(), usingRest(intent, keys, method));
        Phase phase = intent.unique() ? Phase.SWITCH_READS : Phase.EXPAND;
        if (intent.unique()) {
            String where = String.join(" AND ", keys.stream().map(k -> k.expression() + " IS NOT NULL").toList())
                    + intent.where().map(w -> " AND (" + w + ")").orElse("");
            String count = "SELECT count(*) FROM (SELECT 1 FROM " + t.sql() + " WHERE " + where + " GROUP BY "
                    + String.join(", ", keys.stream().map(Key::expression).toList()) + " HAVING count(*) > 1) AS duplicates";
            out.add(phase, Precheck.step("count duplicate keys for unique index " + intent.name() + " (fails with the count before the build)",
                    t, count, KIND + ": %s key value(s) occur more than once in " + t + "; unique index " + intent.name() + " cannot be built",
                    "remove or change the duplicate rows first"));
        }
        if (table.isPresent() && table.get().partitioned()) { // CONCURRENTLY per leaf, ON ONLY the parent, then ATTACH
            dev.tandem.plan.mechanics.PartitionedIndexBuild.steps(table.get(), intent.name(), intent.unique(), usingRest(intent, keys, method),
                    "index " + intent.name()).forEach(s -> out.add(phase, s));
        } else {
            out.add(phase, ConcurrentIndexBuild.buildStep("build index " + intent.name() + " CONCURRENTLY (writes continue)", t, intent.name(), create));
        }
        if (ctx.offline()) {
            out.warn("offline plan: whether " + t + ", its columns exist and the name " + intent.name() + " is free is not known; pass --url");
        }
    }

    static String usingRest(CreateIndex intent, List<Key> keys, String method) {
        return Ident.quote(method) + " (" + String.join(", ", keys.stream().map(Key::sql).toList()) + ")"
                + (intent.include().isEmpty() ? "" : " INCLUDE (" + String.join(", ", intent.include().stream().map(Ident::quote).toList()) + ")")
                + dev.tandem.plan.mechanics.IndexStorage.clause(intent.with())
                + intent.where().map(w -> " WHERE (" + w + ")").orElse("");
    }

    /** Renders one entry of {@code columns}. */
    static Key key(String entry) {
        Matcher m = ORDERING.matcher(entry.strip());
        if (!m.matches()) {
            throw new IllegalStateException("unreachable: " + entry);
        }
        String head = m.group(1).strip();
        String ordering = m.group(2).strip().replaceAll("\\s+", " ").toUpperCase(Locale.ROOT);
        String suffix = ordering.isEmpty() ? "" : " " + ordering;
        Matcher p = PLAIN.matcher(head);
        if (p.matches() && !head.isEmpty()) {
            String raw = p.group(1);
            String column = raw.startsWith("\"") ? raw.substring(1, raw.length() - 1).replace("\"\"", "\"") : raw;
            String opclass = p.group(2) == null ? "" : " " + p.group(2);
            return new Key(Ident.quote(column) + opclass + suffix, Ident.quote(column), column);
        }
        String expression = "(" + head + ")";
        return new Key(expression + suffix, expression, null);
    }

    @Override
    public CatalogSnapshot project(CreateIndex intent, CatalogSnapshot before, PlanOptions options) {
        QualifiedName t = intent.table().resolve(options.defaultSchema());
        List<Key> keys = intent.columns().stream().map(CreateIndexRecipe::key).toList();
        String method = intent.method().orElse("btree");
        List<String> cols = new ArrayList<>();
        keys.forEach(k -> cols.add(k.column()));
        Index i = new Index(intent.name(), ConcurrentIndexBuild.create(t, intent.name(), intent.unique(), usingRest(intent, keys, method))
                .replace(" CONCURRENTLY", ""), method, intent.unique(), false, true, cols,
                keys.stream().map(k -> "").toList(), intent.include(), intent.where(), Optional.empty());
        return Projections.constraints(before, t, l -> l, l -> Projections.plus(l, i));
    }

    @Override
    public java.util.List<dev.tandem.plan.ExpressionCheck> expressions(dev.tandem.intent.CreateIndex intent, dev.tandem.catalog.CatalogSnapshot catalog,
                                                          dev.tandem.plan.PlanOptions options) {
        dev.tandem.sql.QualifiedName t = intent.table().resolve(options.defaultSchema());
        java.util.List<dev.tandem.plan.ExpressionCheck> out = new java.util.ArrayList<>();
        intent.where().ifPresent(w -> out.add(dev.tandem.plan.ExpressionCheck.overRow(intent.position(), intent.kind(), "where", t, w, java.util.Optional.of("boolean"))));
        return out;
    }
}
