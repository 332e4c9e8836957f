package dev.tandem.cli;

import dev.tandem.TandemException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code tandem} command line. stdout carries results only (a plan, a status table, JSON);
 * progress and logs go to stderr. Exit codes: see {@link ExitCodes}.
 */
@Command(name = "tandem", mixinStandardHelpOptions = true, version = "tandem 0.1.0",
        description = "Zero-downtime schema migrations for PostgreSQL: expand, dual-write, backfill, switch-reads, contract.",
        subcommands = {PlanCmd.class, ApplyCmd.class, SwitchReadsCmd.class, ContractCmd.class, PurgeCmd.class,
                RollbackCmd.class, StatusCmd.class, DemoCmd.class, BackfillCmd.class, BenchCmd.class,
                LintCmd.class,
                ImportCmd.class,
                SnapshotCmd.class,
                CheckCmd.class,
                VerifyCmd.class,
                HistoryCmd.class, WaitCmd.class,
                FleetCmd.class,
                BaselineCmd.class,
                RepairCmd.class, picocli.AutoComplete.GenerateCompletion.class,
                CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:ok", "1:failed at run time", "2:bad input (usage, changelog, unknown table or column, checksum drift)",
                "3:could not get a lock (another Tandem holds the advisory lock, or lock_timeout retries exhausted)",
                "4:a check failed"})
public final class Main implements Runnable {
    @picocli.CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    static Map<String, String> environment = System.getenv();

    /** Printed on stderr when the process is interrupted (Ctrl-C, SIGTERM) before it finished. */
    static final String INTERRUPTED_HINT = "tandem: interrupted. Every step is journaled: run `tandem status` to see where it stopped, "
            + "then run the same command again to resume (apply and backfill continue where they stopped), or `tandem rollback ID` to undo.";

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(new java.io.OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new java.io.OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (!done.get()) { // Ctrl-C or a kill: System.exit below was not reached
                err.println(INTERRUPTED_HINT);
                err.flush();
            }
        }, "tandem-interrupt-hint"));
        int code = run(args, out, err, System.getenv());
        done.set(true);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /** Runs the command line with the given streams and environment; returns the exit code. */
    public static int run(String[] args, PrintWriter out, PrintWriter err, Map<String, String> env) {
        environment = env;
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(out);
        cl.setErr(err);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        withHelpOptions(cl);
        boolean json = ErrorRenderer.wantsJson(args);
        cl.setParameterExceptionHandler((ex, a) -> {
            ErrorRenderer.report(ExitCodes.BAD_INPUT, ex.getMessage(), json, out, err);
            err.println("Run `tandem " + (ex.getCommandLine().getCommandName().equals("tandem") ? "" : ex.getCommandLine().getCommandName() + " ")
                    + "--help` for usage.");
            return ExitCodes.BAD_INPUT;
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ex instanceof TandemException te) {
                return ErrorRenderer.report(te.exitCode(), te.getMessage(), json, out, err);
            }
            ErrorRenderer.report(ExitCodes.RUNTIME, "unexpected error: " + ex, json, out, err);
            if (env.containsKey("TANDEM_DEBUG")) {
                ex.printStackTrace(err);
            }
            return ExitCodes.RUNTIME;
        });
        return cl.execute(args);
    }

    /** {@code --help} (and {@code --version}) on every command and subcommand, as the usage errors suggest. */
    private static void withHelpOptions(CommandLine cl) {
        cl.getCommandSpec().mixinStandardHelpOptions(true);
        cl.getSubcommands().values().forEach(Main::withHelpOptions);
    }
}
