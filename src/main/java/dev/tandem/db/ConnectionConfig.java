package dev.tandem.db;

import dev.tandem.TandemException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;

/**
 * Where the database is and how to log in. Accepts {@code jdbc:postgresql://host:port/db?…} and
 * {@code postgresql://user:password@host:port/db?…} (also {@code postgres://}); user and password
 * may come from the URL, from options, or from {@code TANDEM_USER}/{@code TANDEM_PASSWORD}.
 * <p>The password is never part of {@link #toString()} or {@link #display()}: messages and logs show
 * the URL with the password removed.
 */
public final class ConnectionConfig {
    private final String jdbcUrl;
    private final String user;
    private final String password;

    private ConnectionConfig(String jdbcUrl, String user, String password) {
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.password = password;
    }

    /**
     * @param url the URL given with --url or TANDEM_URL (required)
     * @param user user given with --user (may be null)
     * @param password password given with --password (may be null)
     * @param env environment, for TANDEM_USER / TANDEM_PASSWORD
     */
    public static ConnectionConfig of(String url, String user, String password, Map<String, String> env) {
        if (url == null || url.isBlank()) {
            throw TandemException.badInput("no database given: pass --url or set TANDEM_URL");
        }
        String u = user != null ? user : env.get("TANDEM_USER");
        String p = password != null ? password : env.get("TANDEM_PASSWORD");
        String trimmed = url.strip();
        if (trimmed.startsWith("jdbc:postgresql:")) {
            return new ConnectionConfig(trimmed, u, p);
        }
        if (trimmed.startsWith("postgresql://") || trimmed.startsWith("postgres://")) {
            try {
                URI uri = new URI(trimmed);
                String authority = trimmed.substring(trimmed.indexOf("//") + 2).split("[/?#]", 2)[0];
                if (uri.getHost() == null && !authority.isEmpty()) {
                    throw TandemException.badInput("cannot read the host of the database URL " + redact(trimmed)
                            + ": percent-encode special characters (/ ? # @ :) in the user and password");
                }
                String userInfo = uri.getRawUserInfo();
                if (userInfo != null) {
                    int colon = userInfo.indexOf(':');
                    String urlUser = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
                    String urlPassword = colon < 0 ? null : decode(userInfo.substring(colon + 1));
                    if (u == null) {
                        u = urlUser;
                    }
                    if (p == null) {
                        p = urlPassword;
                    }
                }
                String host = uri.getHost() == null ? "localhost" : uri.getHost();
                String port = uri.getPort() < 0 ? "" : ":" + uri.getPort();
                String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
                String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
                return new ConnectionConfig("jdbc:postgresql://" + host + port + path + query, u, p);
            } catch (URISyntaxException e) {
                throw TandemException.badInput("cannot read the database URL " + redact(trimmed) + ": " + e.getReason());
            }
        }
        throw TandemException.badInput("unsupported database URL " + redact(trimmed)
                + ": expected jdbc:postgresql://… or postgresql://…");
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    public String user() {
        return user;
    }

    /** True when a password is set (from any source); the password itself is never exposed for display. */
    public boolean hasPassword() {
        return password != null;
    }

    /** This config with {@code user} / {@code password} filled in where none was given (null: keep as is). */
    public ConnectionConfig withFallbacks(String fallbackUser, String fallbackPassword) {
        return new ConnectionConfig(jdbcUrl, user != null ? user : fallbackUser, password != null ? password : fallbackPassword);
    }

    /** This config with the JDBC parameter {@code name=value} added unless the URL already sets it (e.g. sslmode). */
    public ConnectionConfig withParameterIfAbsent(String name, String value) {
        if (value == null || jdbcUrl.matches("(?i).*[?&]" + java.util.regex.Pattern.quote(name) + "=.*")) {
            return this;
        }
        String sep = jdbcUrl.contains("?") ? "&" : "?";
        return new ConnectionConfig(jdbcUrl + sep + name + "=" + java.net.URLEncoder.encode(value, StandardCharsets.UTF_8), user, password);
    }

    /** Host, port (default 5432) and database of the URL, for a password-file lookup; the database is "" when the URL names none. */
    public String[] hostPortDatabase() {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^jdbc:postgresql://([^/:?]*)(?::(\\d+))?/?([^?]*)").matcher(jdbcUrl);
        if (!m.find()) {
            return new String[] {"localhost", "5432", ""};
        }
        String host = m.group(1).isEmpty() ? "localhost" : m.group(1);
        return new String[] {host, m.group(2) == null ? "5432" : m.group(2), decode(m.group(3))};
    }

    /** Opens a connection (auto-commit on, application_name=tandem). Errors never include the password. */
    public Connection open() {
        Properties props = new Properties();
        if (user != null) {
            props.setProperty("user", user);
        }
        if (password != null) {
            props.setProperty("password", password);
        }
        props.setProperty("ApplicationName", "tandem");
        props.setProperty("connectTimeout", "10");
        try {
            return DriverManager.getConnection(jdbcUrl, props);
        } catch (SQLException e) {
            String msg = e.getMessage() == null ? e.toString() : e.getMessage();
            if (password != null && !password.isEmpty()) {
                msg = msg.replace(password, "***");
            }
            throw new TandemException(TandemException.RUNTIME, "cannot connect to " + display() + ": " + msg, e);
        }
    }

    /** The URL with any password removed, and the user. */
    public String display() {
        return redact(jdbcUrl) + (user == null ? "" : " as " + user);
    }

    /** Removes passwords from a URL: user:secret@ and password=… parameters. */
    public static String redact(String url) {
        return url.replaceAll("(//[^/@:]*):.*@", "$1:***@")
                .replaceAll("(?i)(password=)[^&]*", "$1***");
    }

    @Override
    public String toString() {
        return display();
    }
}
