package dev.tandem.catalog;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the connected role's {@link RoleCapabilities}: {@code rolsuper}, membership of the managed
 * services' administrator roles, on PostgreSQL 15+ {@code has_parameter_privilege(…, 'SET')} on
 * {@code session_replication_role}, and — the verdict — whether {@code SET LOCAL
 * session_replication_role = replica} actually succeeds, probed under a savepoint (or in a
 * transaction) that is rolled back, so nothing changes.
 * <p>It does not read other privileges; it leaves the connection's autocommit mode as it was.
 */
public final class RoleCapabilitiesReader {
    private RoleCapabilitiesReader() {}

    /** Administrator roles of managed services whose members may set session_replication_role there. */
    static final List<String> MANAGED = List.of("rds_superuser", "cloudsqlsuperuser", "azure_pg_admin", "alloydbsuperuser");

    /** @throws SQLException when a catalog query fails (the probe's failure is the answer, not an error) */
    public static RoleCapabilities read(Connection c) throws SQLException {
        String role;
        boolean superuser;
        int version;
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT current_user::text, r.rolsuper, current_setting('server_version_num')::int"
                        + " FROM pg_catalog.pg_roles r WHERE r.rolname = current_user")) {
            rs.next();
            role = rs.getString(1);
            superuser = rs.getBoolean(2);
            version = rs.getInt(3);
        }
        List<String> managed = new ArrayList<>();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT r.rolname::text FROM pg_catalog.pg_roles r WHERE r.rolname IN ('"
                        + String.join("', '", MANAGED) + "') AND pg_catalog.pg_has_role(current_user, r.oid, 'MEMBER')"
                        + " ORDER BY 1")) {
            while (rs.next()) {
                managed.add(rs.getString(1));
            }
        }
        boolean granted = false;
        if (version >= 150000) {
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT pg_catalog.has_parameter_privilege('session_replication_role', 'SET')")) {
                rs.next();
                granted = rs.getBoolean(1);
            }
        }
        boolean may = probe(c);
        String via = !may ? ""
                : superuser ? "superuser"
                : granted ? "SET privilege on session_replication_role"
                : !managed.isEmpty() ? "member of " + managed.get(0)
                : "the server allows it";
        return new RoleCapabilities(true, role, superuser, may, via, managed, version);
    }

    private static boolean probe(Connection c) throws SQLException {
        boolean auto = c.getAutoCommit();
        if (auto) {
            c.setAutoCommit(false);
        }
        try (Statement s = c.createStatement()) {
            s.execute("SAVEPOINT tandem_role_probe");
            try {
                s.execute("SET LOCAL session_replication_role = replica");
                return true;
            } catch (SQLException e) {
                return false;
            } finally {
                s.execute("ROLLBACK TO SAVEPOINT tandem_role_probe");
                s.execute("RELEASE SAVEPOINT tandem_role_probe");
            }
        } finally {
            if (auto) {
                c.rollback();
                c.setAutoCommit(true);
            }
        }
    }
}
