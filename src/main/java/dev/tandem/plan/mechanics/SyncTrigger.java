package dev.tandem.plan.mechanics;

import dev.tandem.sql.Ident;
import dev.tandem.sql.QualifiedName;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * The dual-write trigger: a {@code BEFORE INSERT OR UPDATE OF <columns>} row trigger whose
 * PL/pgSQL function assigns to {@code NEW}, so it never recurses and never issues a query.
 * <p>The writer of each row is decided without any change to the application:
 * <ul>
 *   <li>a session setting {@code tandem.version} = {@code old} / {@code new} wins when set;</li>
 *   <li>INSERT: all new-side columns NULL → an old-app insert: new := up(old); otherwise new-app:
 *       old := down(new);</li>
 *   <li>UPDATE: the side whose columns changed ({@code IS DISTINCT FROM OLD}) wins; when both
 *       changed, the authoritative side wins: old before switch-reads, new after. When only the
 *       new side changed and now equals up(old), old is kept (it already maps to the new values;
 *       this keeps a backfill that runs with triggers on from rewriting old as down(up(old))).</li>
 * </ul>
 * It does not handle a new-app insert that deliberately leaves every new column NULL while the old
 * columns have defaults (it looks like an old-app insert); such applications set
 * {@code tandem.version = 'new'} in their connection's init SQL.
 * <p>A mapping may be one-sided: with no {@code down} (e.g. {@code add_column … up}) only the new
 * side is ever filled, from old-app writes; with no {@code up} (e.g. {@code drop_column … down})
 * only the old side is, from new-app writes. One-sided, an INSERT fills the target side when all
 * its columns are NULL, and an UPDATE fills it when its sources changed and it did not; when both
 * changed, the writer's value is kept.
 * <p>Expressions in {@link Mapping} are over {@code NEW} and already quoted
 * (e.g. {@code NEW."full_name"}); author-written SQL goes through {@link RowExpression#overNew}.
 * Built with {@link #observedAs}, the branches that take a row as an old-application write also
 * call an {@link OldWriteProbe} (throttled to once per second per session), which feeds the
 * contract readiness report.
 * <p>The function starts with {@code #variable_conflict use_column}, so a column that happens to be
 * called like a PL/pgSQL variable ({@code writer}, {@code tg_op}) still means the column.
 */
public final class SyncTrigger {
    /** Which side wins when an UPDATE changes both. */
    public enum Authority { OLD, NEW }

    /**
     * What the trigger keeps in sync on one table.
     *
     * @param oldColumns columns the old application writes
     * @param newColumns columns the new application writes
     * @param up new column → expression over NEW computing it from the old columns
     * @param down old column → expression over NEW computing it from the new columns
     *             (either map may be empty, not both; the side it fills then needs no columns
     *             on the other side, e.g. a constant {@code down})
     */
    public record Mapping(List<String> oldColumns, List<String> newColumns,
                          Map<String, String> up, Map<String, String> down) {
        public Mapping {
            oldColumns = List.copyOf(oldColumns);
            newColumns = List.copyOf(newColumns);
            up = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(up));
            down = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(down));
            if (up.isEmpty() && down.isEmpty()) {
                throw new IllegalArgumentException("a sync mapping needs up or down expressions");
            }
            if ((!up.isEmpty() && newColumns.isEmpty()) || (!down.isEmpty() && oldColumns.isEmpty())) {
                throw new IllegalArgumentException("a sync mapping fills columns it does not name");
            }
            if (!up.isEmpty() && !down.isEmpty() && (oldColumns.isEmpty() || newColumns.isEmpty())) {
                throw new IllegalArgumentException("a two-way sync mapping needs old and new columns");
            }
        }
    }

    private final QualifiedName table;
    private final QualifiedName function;
    private final String triggerName;
    private final Mapping mapping;
    private final List<String> requiredOld;
    private final OldWriteProbe probe;

    public SyncTrigger(QualifiedName table, QualifiedName function, String triggerName, Mapping mapping) {
        this(table, function, triggerName, mapping, List.of(), null);
    }

    private SyncTrigger(QualifiedName table, QualifiedName function, String triggerName, Mapping mapping, List<String> requiredOld,
                        OldWriteProbe probe) {
        this.table = Objects.requireNonNull(table);
        this.function = Objects.requireNonNull(function);
        this.triggerName = Objects.requireNonNull(triggerName);
        this.mapping = Objects.requireNonNull(mapping);
        this.requiredOld = List.copyOf(requiredOld);
        this.probe = probe;
    }

    /**
     * The same trigger, which also notes old-application writes for the contract readiness report
     * (see {@link OldWriteProbe}): each branch that takes a row as written by the old application
     * calls the probe, at most once per second per session.
     */
    public SyncTrigger observedAs(String stateSchema, String migrationId) {
        return new SyncTrigger(table, function, triggerName, mapping, requiredOld, new OldWriteProbe(stateSchema, migrationId));
    }

    /**
     * The same trigger, told which old columns are NOT NULL. An INSERT that leaves every new column
     * NULL and one of these NULL cannot come from the old application (it would fail), so it is
     * taken as a new-application insert (old := down(new)) instead of an old one — e.g. a new
     * application inserting a user without first or last name after a split of a NOT NULL full_name.
     */
    public SyncTrigger withRequiredOld(List<String> notNullOldColumns) {
        return new SyncTrigger(table, function, triggerName, mapping, notNullOldColumns, probe);
    }

    public QualifiedName function() {
        return function;
    }

    public String triggerName() {
        return triggerName;
    }

    /** {@code CREATE OR REPLACE FUNCTION …} with the given authority baked in. */
    public String createFunction(Authority authority) {
        String fillNew = assignments(mapping.up(), "      ");
        String fillOld = assignments(mapping.down(), "      ");
        String note = probe == null ? "" : probe.statements("    ");
        String noteIndented = probe == null ? "" : probe.statements("      ");
        String newChanged = changed(mapping.newColumns());
        String oldChanged = changed(mapping.oldColumns());
        String decide;
        if (mapping.down().isEmpty() || mapping.up().isEmpty()) {
            // one-sided: fill the target side when the writer left it alone
            boolean fillsNew = mapping.down().isEmpty();
            String fill = fillsNew ? fillNew : fillOld;
            List<String> targets = fillsNew ? mapping.newColumns() : mapping.oldColumns();
            String sourcesChanged = fillsNew ? oldChanged : newChanged;
            // the old application's writes: it fills the new side's sources (fillsNew) or writes the
            // column the new application no longer has (fills old)
            String targetsNull = join(targets, c -> "NEW." + Ident.quote(c) + " IS NULL", " AND ");
            decide = "  IF writer = '" + (fillsNew ? "old" : "new") + "' THEN\n" + fill + (fillsNew ? note : "")
                    + "  ELSIF writer = '" + (fillsNew ? "new" : "old") + "' THEN\n"
                    + (fillsNew ? "    NULL;\n" : note.isEmpty() ? "    NULL;\n" : note)
                    + "  ELSIF TG_OP = 'INSERT' THEN\n"
                    + "    IF " + targetsNull + " THEN\n" + indent(fill) + (fillsNew ? noteIndented : "")
                    + "    END IF;\n"
                    + "  ELSIF " + parens(sourcesChanged) + " AND NOT " + parens(changed(targets)) + " THEN\n" + fill + (fillsNew ? note : "")
                    + (fillsNew || note.isEmpty() ? "" : "  ELSIF " + parens(changed(targets)) + " THEN\n" + note)
                    + "  END IF;\n";
        } else {
            String newIsNull = join(mapping.newColumns(), c -> "NEW." + Ident.quote(c) + " IS NULL", " AND ")
                    + (requiredOld.isEmpty() ? "" : " AND " + join(requiredOld, c -> "NEW." + Ident.quote(c) + " IS NOT NULL", " AND "));
            String bothChanged = authority == Authority.OLD ? fillNew : fillOld;
            decide = "  IF writer = 'old' THEN\n" + fillNew + note
                    + "  ELSIF writer = 'new' THEN\n" + fillOld
                    + "  ELSIF TG_OP = 'INSERT' THEN\n"
                    + "    IF " + newIsNull + " THEN\n" + indent(fillNew) + noteIndented
                    + "    ELSE\n" + indent(fillOld)
                    + "    END IF;\n"
                    + "  ELSIF " + parens(newChanged) + " AND " + parens(oldChanged) + " THEN\n" + bothChanged
                    + "  ELSIF " + newChanged + " THEN\n"
                    // new columns written to exactly up(old) (e.g. a backfill batch that could not turn triggers
                    // off): old already is a preimage, so it is kept rather than replaced with down(new)
                    + "    IF NOT " + parens(join(List.copyOf(mapping.up().keySet()),
                            c -> "NEW." + Ident.quote(c) + " IS NOT DISTINCT FROM " + mapping.up().get(c), " AND ")) + " THEN\n"
                    + indent(fillOld)
                    + "    END IF;\n"
                    + "  ELSIF " + oldChanged + " THEN\n" + fillNew + note
                    + "  END IF;\n";
        }
        String body = "\n#variable_conflict use_column\n"
                + "-- Tandem dual-write for " + comment(table.toString()) + " (authority: " + authority.name().toLowerCase() + ")\n"
                + "DECLARE\n"
                + "  writer text := current_setting('tandem.version', true);\n"
                + "BEGIN\n"
                + decide
                + "  RETURN NEW;\n"
                + "END\n";
        String tag = dev.tandem.sql.PlPgSql.dollarTag(body);
        return "CREATE OR REPLACE FUNCTION " + function.sql() + "() RETURNS trigger LANGUAGE plpgsql AS " + tag + body + tag;
    }

    /** {@code NEW.a IS DISTINCT FROM OLD.a OR …}; {@code false} for no columns. */
    private static String changed(List<String> columns) {
        return columns.isEmpty() ? "false"
                : join(columns, c -> "NEW." + Ident.quote(c) + " IS DISTINCT FROM OLD." + Ident.quote(c), " OR ");
    }


    /** {@code CREATE TRIGGER … BEFORE INSERT OR UPDATE OF <old and new columns> …}. */
    public String createTrigger() {
        List<String> columns = Stream.concat(mapping.oldColumns().stream(), mapping.newColumns().stream())
                .distinct().map(Ident::quote).toList();
        return "CREATE TRIGGER " + Ident.quote(triggerName) + " BEFORE INSERT OR UPDATE OF "
                + String.join(", ", columns) + " ON " + table.sql()
                + " FOR EACH ROW EXECUTE FUNCTION " + function.sql() + "()";
    }

    public String dropTrigger() {
        return "DROP TRIGGER " + Ident.quote(triggerName) + " ON " + table.sql();
    }

    public String dropFunction() {
        return "DROP FUNCTION " + function.sql() + "()";
    }

    private static String assignments(Map<String, String> targets, String indent) {
        Optional<String> combined = RowExpression.combinedOverNew(targets, indent);
        if (combined.isPresent()) {
            return combined.get();
        }
        StringBuilder sb = new StringBuilder();
        targets.forEach((column, expr) -> sb.append(indent).append("NEW.").append(Ident.quote(column))
                .append(" := ").append(expr).append(";\n"));
        return sb.toString();
    }

    private static String indent(String block) {
        StringBuilder sb = new StringBuilder();
        for (String line : block.split("\n")) {
            if (!line.isEmpty()) {
                sb.append("  ").append(line).append('\n');
            }
        }
        return sb.toString();
    }

    private static String parens(String s) {
        return "(" + s + ")";
    }

    private static String join(List<String> columns, java.util.function.Function<String, String> f, String sep) {
        List<String> parts = new ArrayList<>();
        columns.forEach(c -> parts.add(f.apply(c)));
        return String.join(sep, parts);
    }

    /** A table name inside a SQL comment: newlines would end the comment, so they are replaced. */
    private static String comment(String s) {
        return s.replace('\n', ' ').replace('\r', ' ');
    }
}
