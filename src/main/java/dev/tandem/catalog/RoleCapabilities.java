package dev.tandem.catalog;

import java.util.List;
import java.util.Objects;

/**
 * What the connected role may do that changes how a backfill behaves: whether it may set
 * {@code session_replication_role = replica}, which keeps the table's own (origin-enabled)
 * triggers from firing for the rows a backfill rewrites. Read at the IO edge by
 * {@link RoleCapabilitiesReader} and carried in the {@link CatalogSnapshot} as data, so the planner
 * can tell the truth without a connection.
 * <p>It does not describe other privileges (DDL on the tables is assumed: the role owns them), nor
 * whether {@code pg_monitor} or {@code pg_stat_statements} are available (see docs/privileges.md).
 *
 * @param known false when nothing was read (an offline plan, a snapshot file): the planner then
 *              says "unless the role may" instead of a verdict
 * @param role {@code current_user}
 * @param superuser {@code rolsuper}
 * @param canSuppressTriggers whether {@code SET LOCAL session_replication_role = replica} succeeded
 *                            (probed in a transaction that is rolled back)
 * @param via why it may, when it may: "superuser", "SET privilege on session_replication_role",
 *            "member of rds_superuser", …; empty when it may not
 * @param managedRoles managed-service administrator roles the role is a member of
 *                     ({@code rds_superuser}, {@code cloudsqlsuperuser}, {@code azure_pg_admin},
 *                     {@code alloydbsuperuser})
 * @param serverVersionNum {@code server_version_num} (decides which remedy exists: the SET
 *                         privilege on a parameter is PostgreSQL 15+)
 */
public record RoleCapabilities(boolean known, String role, boolean superuser, boolean canSuppressTriggers, String via,
                               List<String> managedRoles, int serverVersionNum) {
    public RoleCapabilities {
        Objects.requireNonNull(role);
        Objects.requireNonNull(via);
        managedRoles = List.copyOf(managedRoles);
    }

    /** Nothing known (offline): no verdict. */
    public static RoleCapabilities unknown() {
        return new RoleCapabilities(false, "", false, false, "", List.of(), 0);
    }

    /**
     * The ways to let this role suppress the table's triggers, as sentences for an error message:
     * the GRANT (PostgreSQL 15+), the managed-service role, or the opt-in flag.
     */
    public List<String> remedies() {
        String who = role.isEmpty() ? "<role>" : dev.tandem.sql.Ident.quote(role);
        List<String> out = new java.util.ArrayList<>();
        if (serverVersionNum == 0 || serverVersionNum >= 150000) {
            out.add("as a superuser (or rds_superuser / cloudsqlsuperuser on a managed service), run"
                    + " GRANT SET ON PARAMETER session_replication_role TO " + who);
        } else {
            out.add("PostgreSQL " + (serverVersionNum / 10000) + " has no SET privilege on parameters: run as a superuser"
                    + " (or rds_superuser on RDS/Aurora)");
        }
        out.add("or pass --allow-user-triggers to let the triggers fire for every backfilled row");
        return out;
    }
}
