package dev.tandem.testing;

import dev.tandem.demo.EmbeddedServer;
import dev.tandem.sql.Ident;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.postgresql.Driver;

/**
 * A fresh, empty database on a real PostgreSQL server, for tests. One server per test JVM
 * (started lazily on first use, stopped by a shutdown hook); call {@link #create} once per test
 * class. The server is, in order of preference:
 * <ol>
 *   <li>the server of {@code TANDEM_TEST_DATABASE_URL} ({@code jdbc:postgresql://host:port/db},
 *       user and password in the URL or in {@code TANDEM_TEST_DATABASE_USER} /
 *       {@code TANDEM_TEST_DATABASE_PASSWORD}); the role must be allowed to CREATE DATABASE. The
 *       databases created there are dropped again when the JVM exits;</li>
 *   <li>a Testcontainers container {@code postgres:<major>} when Docker is available. The check is
 *       guarded: without any sign of a Docker daemon (DOCKER_HOST, a docker socket, a
 *       ~/.testcontainers.properties) it is skipped at once; {@code -Dtandem.test.docker=false}
 *       skips it always, {@code =true} always asks Testcontainers;</li>
 *   <li>an embedded server ({@link EmbeddedServer}, zonky; PostgreSQL 17 as pinned in the pom).</li>
 * </ol>
 * The PostgreSQL major comes from the system property {@code tandem.pg.major} (default 17). When
 * it is set explicitly and the server in use is another major, {@link #create} fails rather than
 * silently testing the wrong version.
 * <p>With {@code -Dtandem.test.role=owner} (the {@code lifecycle-as-owner} surefire execution of
 * the pom) every database is owned by the non-superuser LOGIN role {@value #OWNER_ROLE}, which the
 * test connects as: the managed-PostgreSQL setup. On PostgreSQL 15+ that role is granted
 * {@code SET} on {@code session_replication_role} (as a managed service's administrator role has
 * it), so backfills still keep the table's triggers quiet. {@link #asRole} connects as any other
 * role, e.g. one without that grant.
 */
public final class TestDatabase {
    private static final String DEFAULT_MAJOR = "17";
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static Server server;

    /** The non-superuser role that owns the databases under {@code -Dtandem.test.role=owner}. */
    public static final String OWNER_ROLE = "tandem_test_owner";
    private static final String ROLE_PASSWORD = "tandem-test";

    private final String databaseName;
    private final String jdbcUrl;
    private final String roleUser; // null: the server's user
    private final String adminUrl;

    private TestDatabase(String databaseName, String jdbcUrl) {
        this(databaseName, jdbcUrl, null, jdbcUrl);
    }

    private TestDatabase(String databaseName, String jdbcUrl, String roleUser, String adminUrl) {
        this.databaseName = databaseName;
        this.jdbcUrl = jdbcUrl;
        this.roleUser = roleUser;
        this.adminUrl = adminUrl;
    }

    /** Whether the tests run as the non-superuser owner role ({@code -Dtandem.test.role=owner}). */
    public static boolean asOwner() {
        return "owner".equals(System.getProperty("tandem.test.role", ""));
    }

    /**
     * Creates a new, empty database whose name starts with the (sanitized) prefix, e.g. the test
     * class's simple name.
     */
    public static TestDatabase create(String namePrefix) {
        Server s = server();
        String name = uniqueName(namePrefix);
        s.createDatabase(name);
        TestDatabase db = new TestDatabase(name, s.urlFor(name));
        if (asOwner()) {
            db.createRole(OWNER_ROLE, s.serverVersionNum() >= 150000);
            db.admin("ALTER DATABASE " + Ident.quote(name) + " OWNER TO " + Ident.quote(OWNER_ROLE),
                    "ALTER SCHEMA public OWNER TO " + Ident.quote(OWNER_ROLE));
            return db.asRole(OWNER_ROLE);
        }
        return db;
    }

    /**
     * Creates a LOGIN role without superuser (no error when it exists), optionally granted
     * {@code SET} on {@code session_replication_role} (PostgreSQL 15+); runs as the server's user.
     */
    public void createRole(String role, boolean grantReplicationRole) {
        synchronized (TestDatabase.class) {
            admin("DO $$ BEGIN CREATE ROLE " + Ident.quote(role) + " LOGIN NOSUPERUSER PASSWORD '" + ROLE_PASSWORD + "';"
                    + " EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$");
            if (grantReplicationRole) {
                admin("GRANT SET ON PARAMETER session_replication_role TO " + Ident.quote(role));
            }
        }
    }

    /** Runs statements on this database as the server's user (a superuser or CREATEDB role). */
    public void admin(String... statements) {
        try (Connection c = server().connect(adminUrl); Statement st = c.createStatement()) {
            for (String sql : statements) {
                st.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("admin statement failed on " + databaseName + ": " + e.getMessage(), e);
        }
    }

    /** The same database, connected to as another (existing, LOGIN) role. */
    public TestDatabase asRole(String role) {
        String url = adminUrl.replaceAll("([?&])(user|password)=[^&]*&?", "$1").replaceAll("[?&]$", "");
        url = url + (url.contains("?") ? "&" : "?") + "user=" + role;
        return new TestDatabase(databaseName, url, role, adminUrl);
    }

    /** JDBC URL of this database (may carry user and password when the configured URL did). */
    public String jdbcUrl() {
        return jdbcUrl;
    }

    public String user() {
        return roleUser != null ? roleUser : server().user();
    }

    /** The password, or null when none is needed. */
    public String password() {
        return roleUser != null ? ROLE_PASSWORD : server().password();
    }

    public String databaseName() {
        return databaseName;
    }

    /** A new autocommit connection to this database; the caller closes it. */
    public Connection connect() throws SQLException {
        if (roleUser != null) {
            Properties props = new Properties();
            props.setProperty("user", roleUser);
            props.setProperty("password", ROLE_PASSWORD);
            return DriverManager.getConnection(jdbcUrl, props);
        }
        return server().connect(jdbcUrl);
    }

    /** Which kind of server the tests run on, e.g. {@code embedded PostgreSQL 17.6}. */
    public static String serverDescription() {
        return server().description();
    }

    @Override
    public String toString() {
        return "TestDatabase[" + databaseName + " on " + serverDescription() + "]";
    }

    // ---------------------------------------------------------------------------------------------

    static String uniqueName(String prefix) {
        String p = prefix == null ? "" : prefix.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]+", "_");
        if (p.isEmpty() || !Character.isLetter(p.charAt(0))) {
            p = "t_" + p;
        }
        if (p.length() > 40) {
            p = p.substring(0, 40);
        }
        return p + "_" + COUNTER.incrementAndGet() + "_"
                + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff));
    }

    private static synchronized Server server() {
        if (server == null) {
            Server s = startServer();
            checkMajor(s);
            Runtime.getRuntime().addShutdownHook(new Thread(s::close, "tandem-test-database-shutdown"));
            server = s;
        }
        return server;
    }

    private static Server startServer() {
        String url = System.getenv("TANDEM_TEST_DATABASE_URL");
        if (url != null && !url.isBlank()) {
            return new ExternalServer(url.trim(), System.getenv("TANDEM_TEST_DATABASE_USER"),
                    System.getenv("TANDEM_TEST_DATABASE_PASSWORD"));
        }
        String major = System.getProperty("tandem.pg.major", "").isBlank() ? DEFAULT_MAJOR : System.getProperty("tandem.pg.major").trim();
        if (dockerAvailable()) {
            return ContainerServer.start(major);
        }
        return new EmbeddedServerAdapter(EmbeddedServer.start());
    }

    private static void checkMajor(Server s) {
        String wanted = System.getProperty("tandem.pg.major");
        if (wanted == null || wanted.isBlank()) {
            return;
        }
        int actual = s.serverVersionNum() / 10000;
        if (!String.valueOf(actual).equals(wanted.trim())) {
            s.close();
            throw new IllegalStateException("tandem.pg.major=" + wanted + " was asked for, but the test server ("
                    + s.description() + ") is PostgreSQL " + actual
                    + (s instanceof ExternalServer
                            ? "; point TANDEM_TEST_DATABASE_URL at a server of that major"
                            : "; start Docker, set TANDEM_TEST_DATABASE_URL, or use embedded binaries of that major"));
        }
    }

    /** Is Docker usable? Quick "no" when nothing suggests a daemon; never waits long. */
    private static boolean dockerAvailable() {
        String flag = System.getProperty("tandem.test.docker", "");
        if (flag.equalsIgnoreCase("false")) {
            return false;
        }
        if (!flag.equalsIgnoreCase("true") && !dockerHinted()) {
            return false;
        }
        ExecutorService ex = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "tandem-docker-probe");
            t.setDaemon(true);
            return t;
        });
        try {
            Future<Boolean> f = ex.submit(() ->
                    org.testcontainers.DockerClientFactory.instance().isDockerAvailable());
            return f.get(30, TimeUnit.SECONDS);
        } catch (Exception | LinkageError e) {
            return false;
        } finally {
            ex.shutdownNow();
        }
    }

    private static boolean dockerHinted() {
        if (System.getenv("DOCKER_HOST") != null || System.getProperty("docker.host") != null) {
            return true;
        }
        if (System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("win")) {
            return true; // named pipes: let Testcontainers decide
        }
        String home = System.getProperty("user.home", "");
        List<String> candidates = new ArrayList<>(List.of(
                "/var/run/docker.sock",
                home + "/.docker/run/docker.sock",
                home + "/.docker/desktop/docker.sock",
                home + "/.rd/docker.sock",
                home + "/.colima/default/docker.sock",
                home + "/.colima/docker.sock",
                home + "/.testcontainers.properties"));
        String xdg = System.getenv("XDG_RUNTIME_DIR");
        if (xdg != null) {
            candidates.add(xdg + "/docker.sock");
            candidates.add(xdg + "/podman/podman.sock");
        }
        return candidates.stream().anyMatch(p -> Files.exists(Path.of(p)));
    }

    // ---------------------------------------------------------------------------------------------

    private abstract static class Server {
        abstract String urlFor(String database);

        abstract String adminDatabase();

        abstract String user();

        abstract String password();

        abstract String kind();

        void closeServer() {}

        private final List<String> created = new ArrayList<>();
        private String description;

        boolean dropOnClose() {
            return false;
        }

        Connection connect(String url) throws SQLException {
            Properties props = new Properties();
            if (user() != null) {
                props.setProperty("user", user());
            }
            if (password() != null) {
                props.setProperty("password", password());
            }
            return DriverManager.getConnection(url, props);
        }

        synchronized void createDatabase(String name) {
            try (Connection c = connect(urlFor(adminDatabase())); Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE " + Ident.quote(name));
                created.add(name);
            } catch (SQLException e) {
                throw new IllegalStateException("could not create test database " + name + " on " + description()
                        + ": " + e.getMessage(), e);
            }
        }

        int serverVersionNum() {
            try (Connection c = connect(urlFor(adminDatabase())); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT current_setting('server_version_num')::int")) {
                rs.next();
                return rs.getInt(1);
            } catch (SQLException e) {
                throw new IllegalStateException("could not connect to the test server " + kind() + ": "
                        + e.getMessage(), e);
            }
        }

        synchronized String description() {
            if (description == null) {
                int v = serverVersionNum();
                description = kind() + " PostgreSQL " + (v / 10000) + "." + (v % 10000);
            }
            return description;
        }

        final synchronized void close() {
            if (dropOnClose() && !created.isEmpty()) {
                try (Connection c = connect(urlFor(adminDatabase())); Statement s = c.createStatement()) {
                    boolean force = serverVersionNum() >= 130000;
                    for (String name : created) {
                        try {
                            s.execute("DROP DATABASE IF EXISTS " + Ident.quote(name) + (force ? " WITH (FORCE)" : ""));
                        } catch (SQLException ignored) {
                            // best effort: a test left a session open
                        }
                    }
                } catch (SQLException | RuntimeException ignored) {
                    // best effort at JVM exit
                }
                created.clear();
            }
            closeServer();
        }
    }

    private static final class ExternalServer extends Server {
        private static final Pattern URL = Pattern.compile("^(jdbc:postgresql://[^/?]*)(?:/([^?]*))?(\\?.*)?$");
        private final String prefix;
        private final String query;
        private final String adminDatabase;
        private final String user;
        private final String password;

        ExternalServer(String url, String user, String password) {
            Matcher m = URL.matcher(url);
            if (!m.matches()) {
                throw new IllegalStateException(
                        "TANDEM_TEST_DATABASE_URL must look like jdbc:postgresql://host:port/database[?...]");
            }
            this.prefix = m.group(1);
            this.adminDatabase = m.group(2) == null || m.group(2).isEmpty() ? "postgres" : m.group(2);
            this.query = m.group(3) == null ? "" : m.group(3);
            Properties parsed = Driver.parseURL(url, new Properties());
            this.user = user != null ? user : parsed == null ? null : parsed.getProperty("user");
            this.password = password != null ? password : parsed == null ? null : parsed.getProperty("password");
        }

        @Override
        String urlFor(String database) {
            return prefix + "/" + java.net.URLEncoder.encode(database, java.nio.charset.StandardCharsets.UTF_8) + query;
        }

        @Override
        String adminDatabase() {
            return adminDatabase;
        }

        @Override
        String user() {
            return user;
        }

        @Override
        String password() {
            return password;
        }

        @Override
        String kind() {
            return "external (TANDEM_TEST_DATABASE_URL)";
        }

        @Override
        boolean dropOnClose() {
            return true;
        }
    }

    private static final class ContainerServer extends Server {
        private final org.testcontainers.containers.PostgreSQLContainer<?> container;

        private ContainerServer(org.testcontainers.containers.PostgreSQLContainer<?> container) {
            this.container = container;
        }

        static ContainerServer start(String major) {
            org.testcontainers.containers.PostgreSQLContainer<?> c =
                    new org.testcontainers.containers.PostgreSQLContainer<>(
                            org.testcontainers.utility.DockerImageName.parse("postgres:" + major))
                            .withCommand("postgres", "-c", "fsync=off", "-c", "full_page_writes=off",
                                    "-c", "max_connections=200");
            c.start();
            return new ContainerServer(c);
        }

        @Override
        String urlFor(String database) {
            return "jdbc:postgresql://" + container.getHost() + ":"
                    + container.getMappedPort(org.testcontainers.containers.PostgreSQLContainer.POSTGRESQL_PORT)
                    + "/" + database;
        }

        @Override
        String adminDatabase() {
            return container.getDatabaseName();
        }

        @Override
        String user() {
            return container.getUsername();
        }

        @Override
        String password() {
            return container.getPassword();
        }

        @Override
        String kind() {
            return "container " + container.getDockerImageName();
        }

        @Override
        void closeServer() {
            container.stop();
        }
    }

    private static final class EmbeddedServerAdapter extends Server {
        private final EmbeddedServer embedded;

        EmbeddedServerAdapter(EmbeddedServer embedded) {
            this.embedded = embedded;
        }

        @Override
        String urlFor(String database) {
            return embedded.jdbcUrl(database);
        }

        @Override
        String adminDatabase() {
            return "postgres";
        }

        @Override
        String user() {
            return embedded.user();
        }

        @Override
        String password() {
            return null;
        }

        @Override
        String kind() {
            return "embedded";
        }

        @Override
        void closeServer() {
            embedded.close();
        }
    }
}
