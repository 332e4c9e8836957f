package dev.tandem.db;

import dev.tandem.TandemException;
import java.nio.file.Path;
import java.util.Map;

/**
 * The libpq environment variables Tandem honours, as a fallback after its own options, variables
 * and config file: {@code PGHOST}, {@code PGPORT}, {@code PGDATABASE} (a URL when none was given),
 * {@code PGUSER}, {@code PGPASSWORD}, {@code PGSSLMODE}, and the password file ({@code PGPASSFILE}
 * or {@code ~/.pgpass}). It does not support Unix-socket hosts (a PGHOST starting with /), service
 * files or {@code PGOPTIONS}.
 */
public final class LibpqEnv {
    private LibpqEnv() {}

    /** True when the environment names a database (PGHOST, PGPORT or PGDATABASE is set). */
    public static boolean namesDatabase(Map<String, String> env) {
        return env.get("PGHOST") != null || env.get("PGPORT") != null || env.get("PGDATABASE") != null;
    }

    /** {@code jdbc:postgresql://PGHOST:PGPORT/PGDATABASE}, or null when none of them is set. */
    public static String url(Map<String, String> env) {
        if (!namesDatabase(env)) {
            return null;
        }
        String host = env.getOrDefault("PGHOST", "localhost");
        if (host.startsWith("/")) {
            throw TandemException.badInput("PGHOST=" + host + " is a Unix socket directory; Tandem needs a host name: set PGHOST or --url");
        }
        String port = env.getOrDefault("PGPORT", "5432");
        if (!port.matches("\\d{1,5}")) {
            throw TandemException.badInput("PGPORT=" + port + " is not a port number");
        }
        String db = env.getOrDefault("PGDATABASE", env.getOrDefault("PGUSER", ""));
        return "jdbc:postgresql://" + host + ":" + port + "/" + java.net.URLEncoder.encode(db, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The config with PGUSER, PGSSLMODE, PGPASSWORD and then the password file filling what is still missing. */
    public static ConnectionConfig complete(ConnectionConfig config, Map<String, String> env) {
        ConnectionConfig c = config.withFallbacks(env.get("PGUSER"), env.get("PGPASSWORD"))
                .withParameterIfAbsent("sslmode", env.get("PGSSLMODE"));
        if (!c.hasPassword()) {
            String[] hpd = c.hostPortDatabase();
            String user = c.user() != null ? c.user() : env.getOrDefault("USER", System.getProperty("user.name", ""));
            String database = hpd[2].isEmpty() ? user : hpd[2];
            String home = env.getOrDefault("HOME", System.getProperty("user.home", ""));
            Path file = env.get("PGPASSFILE") != null ? Path.of(env.get("PGPASSFILE")) : Path.of(home, ".pgpass");
            c = c.withFallbacks(null, PgPass.lookup(file, hpd[0], hpd[1], database, user).orElse(null));
        }
        return c;
    }
}
