package dev.tandem.plan;

import dev.tandem.TandemException;
import dev.tandem.catalog.CatalogSnapshot;
import dev.tandem.catalog.RoleCapabilities;
import dev.tandem.catalog.Trigger;
import dev.tandem.sql.QualifiedName;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Which of a table's own triggers a batched backfill would fire, given what the connected role may
 * do ({@link CatalogSnapshot#role()}). Pure: plan plus catalog in, findings out.
 * <p>A backfill is a series of {@code UPDATE}s. With {@code session_replication_role = replica}
 * (superuser, the PostgreSQL 15+ {@code SET} privilege on the parameter, or a managed service's
 * administrator role) only triggers enabled {@code ALWAYS} or {@code REPLICA} fire; without it,
 * triggers enabled {@code ORIGIN} (the default) or {@code ALWAYS} fire. Triggers enabled ALWAYS are
 * reported but never refused: their owner asked for them to fire. Only triggers whose events
 * include {@code UPDATE} count; {@code UPDATE OF cols} counts when a backfilled column is listed.
 * Tandem's own {@code tandem_*} triggers are not the user's and never count.
 * <p>It does not look into trigger functions (a trigger that does nothing still counts).
 */
public final class UserTriggerFiring {
    private UserTriggerFiring() {}

    /**
     * One backfill step that would fire user triggers.
     *
     * @param phase the phase the step belongs to
     * @param step the step's description
     * @param table the backfilled table
     * @param triggers the trigger names, in catalog order: those enabled ORIGIN or ALWAYS (and REPLICA
     *                 when the role may set replica mode)
     * @param undo true when it is the backfill that undoing the step runs (rollback)
     * @param suppressible false when the role may not set session_replication_role, i.e. they
     *                     really fire (and apply refuses)
     * @param always triggers enabled ALWAYS: they fire even in replica mode, whatever the role;
     *               the plan warns, nothing is refused (the owner asked for them to fire)
     */
    public record Firing(Phase phase, String step, QualifiedName table, List<String> triggers, boolean undo, boolean suppressible,
                         List<String> always) {
        public Firing {
            triggers = List.copyOf(triggers);
            always = List.copyOf(always);
        }
    }

    /** Every backfill (forward and undo) of the plan on a table with user triggers that fire on UPDATE. */
    public static List<Firing> find(MigrationPlan plan, CatalogSnapshot catalog) {
        RoleCapabilities role = catalog.role();
        boolean replica = role.known() && role.canSuppressTriggers();
        List<Firing> out = new ArrayList<>();
        for (PhasePlan pp : plan.phases()) {
            for (Step s : pp.steps()) {
                s.backfill().ifPresent(spec -> firing(pp.phase(), s.description(), spec, false, replica, catalog).ifPresent(out::add));
                s.undoBackfill().ifPresent(spec -> firing(pp.phase(), s.description(), spec, true, replica, catalog).ifPresent(out::add));
            }
        }
        return out;
    }

    /** The subset that really fires (the role cannot suppress them), in the given phases. */
    public static List<Firing> unsuppressed(List<Firing> all, java.util.Set<Phase> phases, boolean undo) {
        return all.stream().filter(f -> !f.suppressible() && f.undo() == undo && phases.contains(f.phase())).toList();
    }

    private static java.util.Optional<Firing> firing(Phase phase, String step, BackfillSpec spec, boolean undo, boolean replica,
            CatalogSnapshot catalog) {
        var table = catalog.table(spec.table());
        if (table.isEmpty()) {
            return java.util.Optional.empty();
        }
        List<String> columns = spec.assignments().stream().map(BackfillSpec.Assignment::column).toList();
        List<String> fire = new ArrayList<>();
        List<String> always = new ArrayList<>();
        for (Trigger t : table.get().triggers()) {
            if (t.name().startsWith("tandem_") || !firesOnUpdate(t, columns)) {
                continue;
            }
            String e = t.enabled();
            if (e.equals("A")) {
                fire.add(t.name());
                always.add(t.name());
            } else if (e.equals("O") || (replica && e.equals("R"))) {
                fire.add(t.name()); // an origin trigger is listed too: replica mode is what keeps it quiet
            }
        }
        if (fire.isEmpty()) {
            return java.util.Optional.empty();
        }
        boolean suppressible = !catalog.role().known() || replica || always.size() == fire.size(); // ALWAYS only: nothing to refuse
        return java.util.Optional.of(new Firing(phase, step, spec.table(), fire, undo, suppressible, always));
    }

    /**
     * Whether the trigger's events include UPDATE (of one of the columns, when it names columns);
     * true when the definition names no event Tandem can read.
     */
    public static boolean firesOnUpdate(Trigger t, List<String> columns) {
        String def = t.definition();
        String upper = def.toUpperCase(Locale.ROOT);
        int on = upper.indexOf(" ON ");
        String events = on < 0 ? upper : upper.substring(0, on);
        int u = events.indexOf(" UPDATE");
        if (u < 0) { // another event only: it does not fire; no event readable: assume it does
            return !(events.contains(" INSERT") || events.contains(" DELETE") || events.contains(" TRUNCATE"));
        }
        String rest = def.substring(u + " UPDATE".length(), on < 0 ? def.length() : on).strip();
        if (!rest.regionMatches(true, 0, "OF ", 0, 3)) {
            return true;
        }
        String list = rest.substring(3);
        int or = list.toUpperCase(Locale.ROOT).indexOf(" OR ");
        if (or >= 0) {
            list = list.substring(0, or);
        }
        for (String raw : list.split(",")) {
            String name = raw.strip();
            if (name.startsWith("\"") && name.endsWith("\"") && name.length() > 1) {
                name = name.substring(1, name.length() - 1).replace("\"\"", "\"");
            }
            if (columns.contains(name)) {
                return true;
            }
        }
        return false;
    }

    /** The plan warning for one firing, truthful for the role the catalog was read as. */
    public static String warning(Firing f, RoleCapabilities role) {
        String what = (f.undo() ? "undoing " : "") + f.phase().wireName() + " step \"" + f.step() + "\"";
        String trig = "trigger" + (f.triggers().size() == 1 ? " " : "s ") + String.join(", ", f.triggers()) + " on " + f.table();
        if (!role.known()) {
            return what + ": " + trig + " would fire for every backfilled row unless the role may set session_replication_role"
                    + " (superuser, or on PostgreSQL 15+ GRANT SET ON PARAMETER session_replication_role); plan with --url to know";
        }
        String alwaysNote = f.always().isEmpty() ? ""
                : " (" + String.join(", ", f.always()) + " enabled ALWAYS: fire for every backfilled row whatever the role)";
        if (f.suppressible()) {
            return what + ": " + trig + " do not fire: the backfill runs with session_replication_role = replica ("
                    + role.via() + ")" + alwaysNote;
        }
        return what + ": " + trig + " WILL fire for every backfilled row: role " + role.role()
                + " may not set session_replication_role"
                + "; apply and rollback refuse unless --allow-user-triggers. Remedy: " + String.join("; ", role.remedies());
    }

    /**
     * Exit 2 naming the triggers and the remedies, when any of the given firings really fires.
     *
     * @param command "apply" or "rollback" (for the message)
     */
    public static void refuse(String migrationId, String command, List<Firing> fire, RoleCapabilities role) {
        if (fire.isEmpty()) {
            return;
        }
        StringBuilder b = new StringBuilder(command + " of " + migrationId + " refused before any change: its backfill would fire"
                + " the table's own triggers for every row, and role " + role.role()
                + " may not set session_replication_role:");
        for (Firing f : fire) {
            b.append("\n  ").append(f.table()).append(": ").append(String.join(", ", f.triggers()))
                    .append(" (").append(f.undo() ? "undoing " : "").append(f.phase().wireName()).append(" step \"")
                    .append(f.step()).append("\")");
        }
        b.append("\nRemedy: ").append(String.join("; ", role.remedies()));
        throw TandemException.badInput(b.toString());
    }
}
