package dev.tandem.testing;

import dev.tandem.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Runs the {@code tandem} command line in-process ({@link Main#run}) with captured stdout and
 * stderr, for tests. The environment is explicit (empty unless given), so TANDEM_* variables of
 * the machine running the tests never leak in.
 */
public final class Cli {
    private Cli() {}

    /** Exit code and what the command wrote to stdout and stderr. */
    public record Result(int code, String out, String err) {
        /** stdout and stderr together, for "never anywhere in the output" checks. */
        public String all() {
            return out + "\n" + err;
        }

        /** A description for assertion messages. */
        public String describe() {
            return "exit " + code + "\n--- stdout ---\n" + out + "\n--- stderr ---\n" + err;
        }
    }

    public static Result run(String... args) {
        return run(Map.of(), args);
    }

    public static Result run(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code;
        try (PrintWriter o = new PrintWriter(out, true); PrintWriter e = new PrintWriter(err, true)) {
            code = Main.run(args, o, e, env);
            o.flush();
            e.flush();
        }
        return new Result(code, out.toString(), err.toString());
    }

    /** {@code --url <jdbc> --user <u> [--password <p>]} for the test database. */
    public static List<String> dbArgs(TestDatabase db) {
        List<String> a = new ArrayList<>(List.of("--url", db.jdbcUrl(), "--user", db.user()));
        if (db.password() != null) {
            a.add("--password");
            a.add(db.password());
        }
        return a;
    }

    /** The command words followed by the database options. */
    public static String[] withDb(TestDatabase db, String... args) {
        List<String> a = new ArrayList<>(Arrays.asList(args));
        a.addAll(dbArgs(db));
        return a.toArray(String[]::new);
    }
}
