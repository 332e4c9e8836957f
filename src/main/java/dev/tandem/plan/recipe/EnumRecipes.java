package dev.tandem.plan.recipe;

import dev.tandem.catalog.CatalogSnapshot;
import dev.tandem.intent.AddEnumValue;
import dev.tandem.intent.CreateEnum;
import dev.tandem.intent.RenameEnumValue;
import dev.tandem.plan.LockLevel;
import dev.tandem.plan.Phase;
import dev.tandem.plan.PlanBuilder;
import dev.tandem.plan.PlanOptions;
import dev.tandem.plan.Recipe;
import dev.tandem.plan.RecipeContext;
import dev.tandem.plan.Step;
import dev.tandem.plan.mechanics.Precheck;
import dev.tandem.sql.Ident;
import dev.tandem.sql.QualifiedName;
import java.util.List;
import java.util.Optional;

/**
 * The recipes of the enum intents. None locks a table: {@code CREATE TYPE}, {@code ALTER TYPE … ADD
 * VALUE} and {@code ALTER TYPE … RENAME VALUE} lock only the type (checked by a lock trace in
 * {@code EnumLifecycleTest}); reads and writes of the tables that use it go on. The catalog snapshot
 * holds no types, so the type and labels an intent names are checked against the live database
 * before the migration's first step ({@link #preflight}); for a type the same migration creates,
 * PostgreSQL finds a wrong label when the step runs (its transaction rolls back; the phase stops
 * there and can be resumed or rolled back).
 * <ul>
 *   <li>{@code create_enum}: {@code CREATE TYPE … AS ENUM (…)} at <b>expand</b>; undo {@code DROP
 *       TYPE} (refused by PostgreSQL while a column still uses it: roll that migration back first).</li>
 *   <li>{@code add_enum_value}: {@code ALTER TYPE … ADD VALUE IF NOT EXISTS 'v' [BEFORE|AFTER 'w']} at
 *       <b>expand</b> (the old application never writes it; the new one may once expand is done — the
 *       value is usable once the step's transaction committed, which the executor does before the next
 *       step). PostgreSQL has no {@code DROP VALUE}: the step is <b>irreversible</b>, and rolling back
 *       the expand it ran in is refused before anything changes. {@code IF NOT EXISTS} only makes a
 *       resumed step idempotent: the check before it refuses a label that existed already.</li>
 *   <li>{@code rename_enum_value}: {@code ALTER TYPE … RENAME VALUE 'a' TO 'b'} at <b>contract</b> —
 *       an application that writes or compares the label breaks the moment it changes, so it waits
 *       until no old instance is left (the new version must accept both until then); undo renames it
 *       back: exact.</li>
 * </ul>
 */
public final class EnumRecipes {
    private EnumRecipes() {}

    static String typeExists(QualifiedName type) {
        return "SELECT count(*) FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace"
                + " WHERE n.nspname = " + Ident.literal(type.schema()) + " AND t.typname = " + Ident.literal(type.name());
    }

    static String labelCount(QualifiedName type, String label) {
        return "SELECT count(*) FROM pg_catalog.pg_enum e JOIN pg_catalog.pg_type t ON t.oid = e.enumtypid"
                + " JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = " + Ident.literal(type.schema())
                + " AND t.typname = " + Ident.literal(type.name()) + " AND e.enumlabel = " + Ident.literal(label);
    }

    /**
     * Read-only checks for {@link dev.tandem.lifecycle.Preflight}, run before the migration's first
     * step: {name, SQL that fails with the reason}. For a type the same migration creates, nothing
     * can be checked yet (none are returned). Empty for other intents.
     */
    public static List<String[]> preflight(dev.tandem.intent.Intent intent, List<dev.tandem.intent.Intent> migration, PlanOptions options) {
        String schema = options.defaultSchema();
        java.util.Set<QualifiedName> created = new java.util.HashSet<>();
        migration.stream().filter(i -> i instanceof CreateEnum).forEach(i -> created.add(((CreateEnum) i).name().resolve(schema)));
        List<String[]> out = new java.util.ArrayList<>();
        if (intent instanceof CreateEnum ce) {
            QualifiedName type = ce.name().resolve(schema);
            out.add(new String[] {"name", refuseIf(typeExists(type), "type " + type + " already exists")});
        } else if (intent instanceof AddEnumValue av && !created.contains(av.type().resolve(schema))) {
            QualifiedName type = av.type().resolve(schema);
            out.add(new String[] {"enum", refuseIf(absent(typeExists(type)), "type " + type + " does not exist")});
            out.add(new String[] {"value", refuseIf(labelCount(type, av.value()), type + " already has the label " + av.value())});
            av.before().or(av::after).ifPresent(w -> out.add(new String[] {av.before().isPresent() ? "before" : "after",
                    refuseIf(absent(labelCount(type, w)), type + " has no label " + w)}));
        } else if (intent instanceof RenameEnumValue rv && !created.contains(rv.type().resolve(schema))) {
            QualifiedName type = rv.type().resolve(schema);
            out.add(new String[] {"enum", refuseIf(absent(typeExists(type)), "type " + type + " does not exist")});
            out.add(new String[] {"from", refuseIf(absent(labelCount(type, rv.from())), type + " has no label " + rv.from())});
            out.add(new String[] {"to", refuseIf(labelCount(type, rv.to()), type + " already has the label " + rv.to())});
        }
        return out;
    }

    /** 1 when the count query finds nothing, else 0 or less. */
    static String absent(String count) {
        return "SELECT 1 - (" + count + ")";
    }

    /** A DO block that raises {@code message} when {@code count} (a single-number query) is above zero. */
    static String refuseIf(String count, String message) {
        String body = "\nBEGIN\n  IF (" + count + ") > 0 THEN\n    RAISE EXCEPTION USING MESSAGE = " + Ident.literal(message) + ";\n  END IF;\nEND\n";
        String tag = dev.tandem.sql.PlPgSql.dollarTag(body);
        return "DO " + tag + body + tag;
    }

    static Step check(String description, String count, String message, String hint) {
        return new Step(description, Precheck.statement(count, message, hint), List.of(), LockLevel.ACCESS_SHARE, null,
                false, false, true, Optional.empty());
    }

    /** {@code create_enum}. */
    public static final class Create implements Recipe<CreateEnum> {
        @Override
        public void plan(CreateEnum intent, RecipeContext ctx, PlanBuilder out) {
            QualifiedName type = intent.name().resolve(ctx.options().defaultSchema());
            out.touch(type + ".*");
            out.add(Phase.EXPAND, check("check that no type " + type + " exists", typeExists(type),
                    intent.position() + ": create_enum: type " + type + " already exists (%s)", "choose another name or drop it first"));
            out.add(Phase.EXPAND, Step.ddl("create enum type " + type + " (no table lock)", sql(type, intent.values()),
                    "DROP TYPE " + type.sql(), LockLevel.NONE, null));
            out.note(Phase.EXPAND, "Enum type " + type + " exists with labels " + String.join(", ", intent.values()) + ".");
        }

        static String sql(QualifiedName type, List<String> values) {
            return "CREATE TYPE " + type.sql() + " AS ENUM (" + String.join(", ", values.stream().map(Ident::literal).toList()) + ")";
        }

        @Override
        public CatalogSnapshot project(CreateEnum intent, CatalogSnapshot before, PlanOptions options) {
            return before;
        }
    }

    /** {@code add_enum_value}. */
    public static final class AddValue implements Recipe<AddEnumValue> {
        @Override
        public void plan(AddEnumValue intent, RecipeContext ctx, PlanBuilder out) {
            QualifiedName type = intent.type().resolve(ctx.options().defaultSchema());
            out.touch(type + ".*");
            String where = intent.before().map(b -> " BEFORE " + Ident.literal(b)).orElse(intent.after().map(a -> " AFTER " + Ident.literal(a)).orElse(""));
            out.add(Phase.EXPAND, check("check that " + type + " has no label " + intent.value() + " yet",
                    labelCount(type, intent.value()),
                    intent.position() + ": add_enum_value: " + type + " already has the label " + intent.value() + " (%s)",
                    "nothing to add; remove the intent"));
            out.add(Phase.EXPAND, new Step("add label " + intent.value() + " to enum " + type + " (no table lock; IRREVERSIBLE: PostgreSQL cannot drop an enum label)",
                    "ALTER TYPE " + type.sql() + " ADD VALUE IF NOT EXISTS " + Ident.literal(intent.value()) + where,
                    List.of(), LockLevel.NONE, null, false, false, true, Optional.empty()).asIrreversible());
            out.note(Phase.EXPAND, "Enum " + type + " has the label " + intent.value() + "; the new application may write it."
                    + " This expand cannot be rolled back (PostgreSQL has no DROP VALUE).");
            out.warn("add_enum_value: adding label " + intent.value() + " to " + type + " is irreversible: rolling back expand of this"
                    + " migration will be refused once it ran");
        }

        @Override
        public CatalogSnapshot project(AddEnumValue intent, CatalogSnapshot before, PlanOptions options) {
            return before;
        }
    }

    /** {@code rename_enum_value}. */
    public static final class RenameValue implements Recipe<RenameEnumValue> {
        @Override
        public void plan(RenameEnumValue intent, RecipeContext ctx, PlanBuilder out) {
            QualifiedName type = intent.type().resolve(ctx.options().defaultSchema());
            out.touch(type + ".*");
            out.add(Phase.CONTRACT, Step.ddl("rename label " + intent.from() + " of enum " + type + " to " + intent.to() + " (no table lock)",
                    rename(type, intent.from(), intent.to()), rename(type, intent.to(), intent.from()), LockLevel.NONE, null));
            out.note(Phase.SWITCH_READS, "Label " + intent.from() + " of enum " + type + " is renamed to " + intent.to()
                    + " at contract: until then the new application must accept the old label.");
        }

        static String rename(QualifiedName type, String from, String to) {
            return "ALTER TYPE " + type.sql() + " RENAME VALUE " + Ident.literal(from) + " TO " + Ident.literal(to);
        }

        @Override
        public CatalogSnapshot project(RenameEnumValue intent, CatalogSnapshot before, PlanOptions options) {
            return before;
        }
    }
}
