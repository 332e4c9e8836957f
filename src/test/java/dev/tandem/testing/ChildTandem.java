package dev.tandem.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code dev.tandem.cli.Main} in a separate JVM (same java, same class path as the tests),
 * with stdout and stderr going to files, so a test can kill it with SIGKILL or look at exactly
 * what the real process printed.
 */
public final class ChildTandem implements AutoCloseable {
    private final Process process;
    private final Path out;
    private final Path err;

    private ChildTandem(Process process, Path out, Path err) {
        this.process = process;
        this.out = out;
        this.err = err;
    }

    /** Starts {@code java -cp <test class path> dev.tandem.cli.Main args…}; output files go to {@code dir}. */
    public static ChildTandem start(Path dir, List<String> args) throws IOException {
        return start(dir, args, Map.of());
    }

    public static ChildTandem start(Path dir, List<String> args, Map<String, String> env) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
        cmd.add("dev.tandem.cli.Main");
        cmd.addAll(args);
        Path out = Files.createTempFile(dir, "child", ".out");
        Path err = Files.createTempFile(dir, "child", ".err");
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().keySet().removeIf(k -> k.startsWith("TANDEM_"));
        pb.environment().putAll(env);
        return new ChildTandem(pb.start(), out, err);
    }

    public Process process() {
        return process;
    }

    public long pid() {
        return process.pid();
    }

    /** Waits for the exit code; fails (and kills the child) after the timeout. */
    public int waitFor(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("child tandem did not finish in " + seconds + " s\n" + describe());
        }
        return process.exitValue();
    }

    /** SIGKILL (destroyForcibly) and wait until it is gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            throw new AssertionError("child tandem did not die after destroyForcibly");
        }
    }

    public String stdout() {
        return read(out);
    }

    public String stderr() {
        return read(err);
    }

    public String describe() {
        return "--- child stdout ---\n" + stdout() + "\n--- child stderr ---\n" + stderr();
    }

    private static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "<cannot read " + p + ": " + e + ">";
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
