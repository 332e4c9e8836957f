package dev.tandem.plan;

import dev.tandem.intent.AddCheck;
import dev.tandem.intent.AddUnique;
import dev.tandem.intent.ChangeColumnType;
import dev.tandem.intent.DropDefault;
import dev.tandem.intent.Intent;
import dev.tandem.intent.SetComment;
import dev.tandem.intent.SetDefault;
import dev.tandem.intent.SetNotNull;
import dev.tandem.sql.QualifiedName;
import dev.tandem.sql.SqlTokens;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Several changes to one column in one migration, planned as one: a {@code change_column_type} and
 * the {@code set_default}, {@code drop_default} (kept until contract), {@code set_not_null}, {@code set_comment} (of the column), {@code add_check}
 * (without {@code up}, mentioning the column) and {@code add_unique} (without {@code up}, over columns that include it)
 * of the same column, wherever they stand in the migration. They share one new column, one sync
 * trigger, one backfill and one swap ({@code plan/recipe/ColumnChangeSetRecipe}); the members
 * describe the new column, not the old one.
 * <p>What does not combine, and why (the pair stays refused by {@link SameColumnRule}): a second
 * {@code set_default}/{@code set_not_null}/{@code set_comment} of the column (which one wins?), an
 * {@code add_check} or {@code add_unique} with {@code up} (a repair of the old column's values belongs in the type
 * change's {@code up}), and every other kind (drop_default, drop_not_null, foreign keys, indexes,
 * renames: planned against the old column, they would need the swap to carry them). This class only
 * groups intents; it does not read the catalog and does not judge whether the members are valid.
 *
 * @param type the type change that leads the set
 * @param setDefault the new column's default, if the migration sets one
 * @param setNotNull NOT NULL for the new column (with {@code up} for the old rows' NULLs), if set
 * @param setComment the new column's comment (set or cleared), if set
 * @param checks checks added on the new column
 * @param uniques unique constraints added over the new column
 * @param dropDefault the default dropped (from the new column, at contract: the old application may rely on it until then)
 */
public record ColumnChangeSet(ChangeColumnType type, Optional<SetDefault> setDefault, Optional<SetNotNull> setNotNull,
                              Optional<SetComment> setComment, List<AddCheck> checks, List<AddUnique> uniques,
                              Optional<DropDefault> dropDefault) {
    public ColumnChangeSet {
        checks = List.copyOf(checks);
        uniques = List.copyOf(uniques);
    }

    /** The set of a type change with nothing else. */
    public static ColumnChangeSet of(ChangeColumnType type) {
        return new ColumnChangeSet(type, Optional.empty(), Optional.empty(), Optional.empty(), List.of(), List.of(), Optional.empty());
    }

    /** The intents that joined the type change, in changelog order of kind. */
    public List<Intent> members() {
        List<Intent> out = new ArrayList<>();
        setDefault.ifPresent(out::add);
        setNotNull.ifPresent(out::add);
        setComment.ifPresent(out::add);
        dropDefault.ifPresent(out::add);
        out.addAll(checks);
        out.addAll(uniques);
        return out;
    }

    /** Whether only the type changes. */
    public boolean alone() {
        return members().isEmpty();
    }

    /** The sets a migration's intents form: each type change with the members that joined it. */
    public static final class Groups {
        private final Map<Intent, ColumnChangeSet> byLeader = new IdentityHashMap<>();
        private final Map<Intent, Intent> leaderOf = new IdentityHashMap<>();

        /** The set led by this intent, when it is a type change that others joined. */
        public Optional<ColumnChangeSet> led(Intent intent) {
            return Optional.ofNullable(byLeader.get(intent));
        }

        /** Whether the intent joined a type change (it is planned with it, not on its own). */
        public boolean absorbed(Intent intent) {
            return leaderOf.containsKey(intent);
        }
    }

    /** Groups the intents of one migration ({@code defaultSchema} resolves unqualified tables). */
    public static Groups group(List<Intent> changes, String defaultSchema) {
        Groups g = new Groups();
        for (Intent i : changes) {
            if (!(i instanceof ChangeColumnType type)) {
                continue;
            }
            QualifiedName t = type.table().resolve(defaultSchema);
            String c = type.column();
            Optional<SetDefault> def = Optional.empty();
            Optional<SetNotNull> nn = Optional.empty();
            Optional<SetComment> comment = Optional.empty();
            Optional<DropDefault> dropDef = Optional.empty();
            List<AddCheck> checks = new ArrayList<>();
            List<AddUnique> uniques = new ArrayList<>();
            List<Intent> joined = new ArrayList<>();
            for (Intent m : changes) {
                if (m == i || g.leaderOf.containsKey(m) || m.tables().isEmpty() || !m.tables().get(0).resolve(defaultSchema).equals(t)) {
                    continue;
                }
                if (m instanceof SetDefault d && d.column().equals(c) && def.isEmpty()) {
                    def = Optional.of(d);
                } else if (m instanceof SetNotNull n && n.column().equals(c) && nn.isEmpty()) {
                    nn = Optional.of(n);
                } else if (m instanceof DropDefault d && d.column().equals(c) && dropDef.isEmpty()) {
                    dropDef = Optional.of(d);
                } else if (m instanceof SetComment k && k.column().equals(Optional.of(c)) && comment.isEmpty()) {
                    comment = Optional.of(k);
                } else if (m instanceof AddCheck k && k.up().isEmpty() && SqlTokens.mentionsColumn(k.check(), c)) {
                    checks.add(k);
                } else if (m instanceof AddUnique u && u.up().isEmpty() && u.columns().contains(c)) {
                    uniques.add(u);
                } else {
                    continue;
                }
                joined.add(m);
            }
            if (!joined.isEmpty()) {
                g.byLeader.put(i, new ColumnChangeSet(type, def, nn, comment, checks, uniques, dropDef));
                joined.forEach(m -> g.leaderOf.put(m, i));
            }
        }
        return g;
    }

    /** Kinds that may join a {@code change_column_type} of their column (see the class comment for the conditions). */
    public static final Set<String> JOINING = Set.of("set_default", "drop_default", "set_not_null", "set_comment", "add_check",
            "add_unique");
}
