package dev.tandem.plan.mechanics;

import dev.tandem.sql.Ident;
import dev.tandem.sql.Names;
import java.util.Objects;

/**
 * The PL/pgSQL a sync trigger runs in a branch that took the row as written by the old
 * application: it calls {@code <state>.note_old_write(migration id)} (a {@code SECURITY DEFINER}
 * function of the state schema, see {@code changelog.yaml} changeSet {@code 3-readiness-activity}),
 * so the contract readiness report knows when the old shape was last written.
 * <p>Cheap by construction: a session setting ({@code tandem.old_seen_<hash>}) remembers when this
 * session last called it, so a session calls it at most once per second; the function itself
 * updates the migration's one row at most once per second across sessions and never waits for a
 * row lock ({@code SKIP LOCKED}). The count it keeps is therefore a count of such samples, not of
 * rows. It does not see writes made with triggers off ({@code session_replication_role = replica}).
 * <p>The call sits in its own exception block (a subtransaction, paid at most once per second per
 * session): a missing function or privilege never fails the application's write; the state
 * schema grants {@code USAGE} and {@code EXECUTE} on the function to {@code PUBLIC} so it normally
 * succeeds.
 */
public record OldWriteProbe(String stateSchema, String migrationId) {
    public OldWriteProbe {
        Objects.requireNonNull(stateSchema);
        Objects.requireNonNull(migrationId);
    }

    /** The name of the session setting that throttles the probe, e.g. {@code tandem.old_seen_3fa2…}. */
    public String sessionSetting() {
        return "tandem.old_seen_" + Names.sha256Hex(stateSchema + "\0" + migrationId).substring(0, 16);
    }

    /** The statements, each line indented with {@code indent}. */
    public String statements(String indent) {
        String setting = Ident.literal(sessionSetting());
        return indent + "IF extract(epoch FROM now()) - coalesce(nullif(current_setting(" + setting + ", true), '')::float8, 0) >= 1 THEN\n"
                + indent + "  PERFORM set_config(" + setting + ", extract(epoch FROM now())::text, false);\n"
                + indent + "  BEGIN\n"
                + indent + "    PERFORM " + Ident.quote(stateSchema) + ".note_old_write(" + Ident.literal(migrationId) + ");\n"
                + indent + "  EXCEPTION WHEN OTHERS THEN\n"
                + indent + "    NULL; -- bookkeeping never fails an application write\n"
                + indent + "  END;\n"
                + indent + "END IF;\n";
    }
}
