package dev.tandem.check;

import dev.tandem.intent.Intent;
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
 * <p>One branch per intent kind; a kind without a branch has no such effects (its plan's touched
 * columns are still compared). When an intent kind lands, add its line here:
 * <ul>
 *   <li>{@code drop_column} removes {@code t.column}; {@code add_column} creates {@code t.column};
 *       {@code drop_table} removes {@code t.*}; {@code rename_table} removes {@code t.*} and creates
 *       {@code to.*}; {@code split_column}/{@code merge_columns} create their targets and remove their
 *       sources;</li>
 *   <li>{@code sql}: {@link #irreversible} returns its {@code irreversible} flag, {@link #rawSql}
 *       its {@code up} (and {@code down}) with the position of each text in the changelog.</li>
 * </ul>
 */
public final class IntentEffects {
    private IntentEffects() {}

    /** Columns that exist after the intent's contract and did not before. */
    public static Set<String> creates(Intent intent, PlanOptions options) {
        if (intent instanceof RenameColumn r) {
            return Set.of(r.table().resolve(options.defaultSchema()) + "." + r.to());
        }
        return Set.of();
    }

    /** Columns (or {@code schema.table.*}) that no longer exist after the intent's contract. */
    public static Set<String> removes(Intent intent, PlanOptions options) {
        if (intent instanceof RenameColumn r) {
            return Set.of(r.table().resolve(options.defaultSchema()) + "." + r.column());
        }
        return Set.of();
    }

    /** How the intent removes what {@link #removes} lists, for messages ("renames it to display_name"). */
    public static String removalVerb(Intent intent) {
        if (intent instanceof RenameColumn r) {
            return "renames it to " + r.to();
        }
        return "removes it";
    }

    /** Whether the author marked the intent {@code irreversible: true} (steps without rollback are then expected). */
    public static boolean irreversible(Intent intent) {
        return false;
    }

    /** Raw SQL the intent runs, with where each text starts in the changelog; empty for declarative intents. */
    public static List<RawSql> rawSql(Intent intent) {
        return List.of();
    }

    /**
     * A piece of raw SQL in a changelog.
     *
     * @param sql the SQL text
     * @param at where the text starts (its first character) in the changelog file
     */
    public record RawSql(String sql, Position at) {}
}
