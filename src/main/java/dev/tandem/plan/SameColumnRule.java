package dev.tandem.plan;

import java.util.Set;

/**
 * The one rule for two changes of one migration that touch the same column (or a column and its
 * whole table): they clash when either of them reshapes what it names (renames, retypes, splits,
 * merges or removes it), because both plan against the catalog from before the migration and each
 * would install its own mechanism on it. Constraints, defaults, NOT NULL and indexes on one column
 * combine. A table the migration creates is new to every change of it. The changes a
 * {@code change_column_type} plans together with it ({@link ColumnChangeSet}) never meet this rule:
 * the planner and check plan them as one.
 * <p>{@link Planner} (apply, plan) refuses a clash with exit 2 and {@code tandem check} reports it as
 * {@code check/conflict}; both ask this class, so they agree. It does not judge changes in different
 * migrations (that is the release train's and check's cross-migration business).
 */
public final class SameColumnRule {
    /** Intent kinds that rename, retype or remove what they name: nothing else in the migration may change it too. */
    static final Set<String> RESHAPING = Set.of("rename_column", "drop_column", "change_column_type", "split_column",
            "merge_columns", "rename_table", "drop_table");

    /**
     * Intent kinds whose touched names only say what they hold for the release train (the columns
     * a dropped constraint or index is re-created on by its rollback, the tables raw sql names):
     * within one migration they combine with anything, as the author orders them.
     */
    static final Set<String> HOLD_ONLY = Set.of("sql", "drop_constraint", "drop_index");

    private SameColumnRule() {}

    /** Whether two intent kinds of one migration may not both change one column. */
    public static boolean clash(String kindA, String kindB) {
        if (kindA.equals("create_table") || kindB.equals("create_table")) {
            return false;
        }
        if (HOLD_ONLY.contains(kindA) || HOLD_ONLY.contains(kindB)) {
            return false;
        }
        return RESHAPING.contains(kindA) || RESHAPING.contains(kindB);
    }

    /**
     * Whether {@code column} ({@code schema.table.column}, or {@code schema.table.*} for a whole
     * table) is among, or within, what another change touches.
     */
    public static boolean overlaps(String column, Set<String> otherTouches) {
        if (otherTouches.contains(column)) {
            return true;
        }
        String table = column.substring(0, Math.max(0, column.lastIndexOf('.')));
        if (column.endsWith(".*")) {
            return otherTouches.stream().anyMatch(c -> c.startsWith(table + "."));
        }
        return otherTouches.contains(table + ".*");
    }

    /**
     * The message both gates give for a clash, after {@code file:line:column: kind: } of the second
     * change: it changes {@code column}, as {@code otherKind} at {@code otherLine} does.
     */
    public static String message(String column, String otherKind, int otherLine) {
        return "changes " + column + ", which the " + otherKind + " at line " + otherLine
                + " of the same migration also changes; put them in separate migrations";
    }

    /**
     * As {@link #message(String, String, int)}, saying why the pair does not combine when one of
     * them is a {@code change_column_type} ({@link ColumnChangeSet} plans the kinds that do).
     */
    public static String message(String column, String kind, String otherKind, int otherLine) {
        String why = "";
        if (kind.equals("change_column_type") || otherKind.equals("change_column_type")) {
            String other = kind.equals("change_column_type") ? otherKind : kind;
            if (other.equals("change_column_type")) {
                why = " (the column would change type twice)";
            } else if (other.equals("add_check") || other.equals("add_unique")) {
                why = " (an " + other + " with up does not combine with a change_column_type of its column: write the repair into"
                        + " the type change's up)";
            } else if (ColumnChangeSet.JOINING.contains(other)) {
                why = " (a change_column_type combines with one " + other + " of its column; this is a second one)";
            } else {
                why = " (a change_column_type combines only with set_default, drop_default, set_not_null, set_comment, and add_check"
                        + " and add_unique without up of its column: " + other + " is planned against the old column, which the swap replaces)";
            }
        }
        return message(column, otherKind, otherLine).replace("; put them", why + "; put them");
    }
}
