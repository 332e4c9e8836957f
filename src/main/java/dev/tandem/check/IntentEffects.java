package dev.tandem.check;

import dev.tandem.intent.AddColumn;
import dev.tandem.intent.CreateTable;
import dev.tandem.intent.DropColumn;
import dev.tandem.intent.DropTable;
import dev.tandem.intent.Intent;
import dev.tandem.intent.MergeColumns;
import dev.tandem.intent.RenameTable;
import dev.tandem.intent.SplitColumn;
import dev.tandem.sql.QualifiedName;
import java.util.stream.Collectors;
import dev.tandem.intent.Position;
import dev.tandem.intent.RenameColumn;
import dev.tandem.plan.PlanOptions;
import java.util.List;
import java.util.Set;

/**
 * What {@code tandem check} needs to know about an intent beyond its plan: the columns it brings
 * into being and the ones it makes disappear (as {@code schema.table.column}, or
 * {@code schema.table.*} for a whole table), whether its author marked it irreversible, and the raw
 * SQL it runs (linted like {@code tandem lint}).
 *
 * <p>One branch per intent kind that has such effects; the others have none (their plans' touched
 * columns are still compared): {@code rename_column}, {@code add_column}, {@code drop_column},
 * {@code split_column}, {@code merge_columns}, {@code create_table}, {@code drop_table},
 * {@code rename_table} create or remove columns (or whole tables as {@code t.*}); {@code sql}
 * without {@code down} is irreversible, and its {@code up}/{@code down} are linted (positioned at
 * the intent, since the reader keeps no position per text).
 */
public final class IntentEffects {
    private IntentEffects() {}

    /** Columns that exist after the intent's contract and did not before. */
    public static Set<String> creates(Intent intent, PlanOptions options) {
        String schema = options.defaultSchema();
        if (intent instanceof RenameColumn r) {
            return Set.of(r.table().resolve(schema) + "." + r.to());
        }
        if (intent instanceof AddColumn a) {
            return Set.of(a.table().resolve(schema) + "." + a.column().name());
        }
        if (intent instanceof SplitColumn sp) {
            return sp.into().stream().map(d -> sp.table().resolve(schema) + "." + d.name()).collect(Collectors.toSet());
        }
        if (intent instanceof MergeColumns m) {
            return Set.of(m.table().resolve(schema) + "." + m.into().name());
        }
        if (intent instanceof RenameTable rt) {
            QualifiedName from = rt.table().resolve(schema);
            return Set.of(new QualifiedName(from.schema(), rt.to()) + ".*");
        }
        if (intent instanceof CreateTable ct) {
            return Set.of(ct.table().resolve(schema) + ".*");
        }
        return Set.of();
    }

    /** Columns (or {@code schema.table.*}) that no longer exist after the intent's contract. */
    public static Set<String> removes(Intent intent, PlanOptions options) {
        String schema = options.defaultSchema();
        if (intent instanceof RenameColumn r) {
            return Set.of(r.table().resolve(schema) + "." + r.column());
        }
        if (intent instanceof DropColumn d) {
            return Set.of(d.table().resolve(schema) + "." + d.column());
        }
        if (intent instanceof SplitColumn sp) {
            return Set.of(sp.table().resolve(schema) + "." + sp.column());
        }
        if (intent instanceof MergeColumns m) {
            return m.columns().stream().map(c -> m.table().resolve(schema) + "." + c).collect(Collectors.toSet());
        }
        if (intent instanceof DropTable dt) {
            return Set.of(dt.table().resolve(schema) + ".*");
        }
        if (intent instanceof RenameTable rt) {
            return Set.of(rt.table().resolve(schema) + ".*");
        }
        return Set.of();
    }

    /** How the intent removes what {@link #removes} lists, for messages ("renames it to display_name"). */
    public static String removalVerb(Intent intent) {
        if (intent instanceof RenameColumn r) {
            return "renames it to " + r.to();
        }
        if (intent instanceof RenameTable rt) {
            return "renames the table to " + rt.to();
        }
        if (intent instanceof SplitColumn || intent instanceof MergeColumns) {
            return "replaces it";
        }
        return "removes it";
    }

    /** Whether the author marked the intent {@code irreversible: true} (steps without rollback are then expected). */
    public static boolean irreversible(Intent intent) {
        // the reader accepts a raw SQL intent without down only when it says irreversible: true
        return intent instanceof dev.tandem.intent.RawSql sql && sql.down().isEmpty();
    }

    /** Raw SQL the intent runs, with where each text starts in the changelog; empty for declarative intents. */
    public static List<RawSql> rawSql(Intent intent) {
        if (intent instanceof dev.tandem.intent.RawSql sql) {
            // the reader keeps the intent's position, not each text's: both point at the intent
            List<RawSql> out = new java.util.ArrayList<>();
            out.add(new RawSql(sql.up(), sql.position(), false));
            sql.down().ifPresent(d -> out.add(new RawSql(d, sql.position(), true)));
            return out;
        }
        return List.of();
    }

    /**
     * A piece of raw SQL in a changelog.
     *
     * @param sql the SQL text
     * @param at where the text starts (its first character) in the changelog file
     * @param rollback true for a {@code down}: it runs after the intent's {@code up}, to undo it
     */
    public record RawSql(String sql, Position at, boolean rollback) {
        public RawSql(String sql, Position at) {
            this(sql, at, false);
        }
    }
}
