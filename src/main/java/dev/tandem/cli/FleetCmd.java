package dev.tandem.cli;

import dev.tandem.TandemException;
import dev.tandem.fleet.FleetActions;
import dev.tandem.fleet.FleetFile;
import dev.tandem.fleet.FleetRenderer;
import dev.tandem.fleet.FleetResult;
import dev.tandem.fleet.FleetRunner;
import dev.tandem.plan.Phase;
import dev.tandem.source.ChangelogSource;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tandem fleet plan|apply|switch-reads|contract|rollback|status … --fleet FILE}: one
 * single-database command on every target of a fleet file, wave by wave, {@code --parallel N}
 * targets at a time ({@link FleetRunner}). Credentials come from the usual sources, never from the
 * fleet file; {@code --url} is refused (the targets are the URLs). The exit code is the worst
 * target's ({@link dev.tandem.fleet.FleetExit}). See docs/fleet.md.
 */
@Command(name = "fleet", description = "Run a command on every database (or tenant schema) of a fleet file, in waves.",
        subcommands = {FleetCmd.Plan.class, FleetCmd.Apply.class, FleetCmd.SwitchReads.class, FleetCmd.Contract.class,
                FleetCmd.Rollback.class, FleetCmd.Status.class})
final class FleetCmd implements Runnable {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a fleet command is required: plan, apply, switch-reads, contract, rollback or status");
    }

    /** --fleet, --parallel, --continue-on-error, --max-failures. */
    static final class FleetFlags {
        @Option(names = "--fleet", required = true, paramLabel = "FILE", description = "The fleet file: targets and waves (see docs/fleet.md).")
        Path fleet;

        @Option(names = "--parallel", defaultValue = "1", paramLabel = "N", description = "Targets of a wave run at a time (default: ${DEFAULT-VALUE}).")
        int parallel;

        @Option(names = "--continue-on-error", description = "Start the next wave even when a target of this one failed.")
        boolean continueOnError;

        @Option(names = "--max-failures", defaultValue = "-1", paramLabel = "N",
                description = "With --continue-on-error: start no further wave once more than N targets failed (default: no limit).")
        int maxFailures;
    }

    /** What every fleet subcommand shares: parse the fleet file, build per-target settings, run, print. */
    abstract static class Base implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        FleetFlags flags;

        @Mixin
        TextOrJson output;

        @Mixin
        DatabaseOptions db;

        BackfillFlags backfillFlags() {
            return new BackfillFlags();
        }

        /** The migration the command is about, for the targets' history; null when none. */
        String migrationId() {
            return null;
        }

        boolean writes() {
            return true;
        }

        abstract FleetRunner.TargetAction action();

        String text(FleetRenderer renderer, FleetResult result) {
            return renderer.text(result);
        }

        @Override
        public Integer call() {
            boolean json = output.json();
            Map<String, String> env = Main.environment;
            if (db.url != null) {
                throw TandemException.badInput("fleet commands take their databases from --fleet; --url is not allowed here");
            }
            FleetFile fleet = FleetFile.load(flags.fleet);
            String schema = db.schema(env);
            String state = db.stateSchema(env);
            fleet.refuseSharedState(state);
            FleetRunner.Options options = new FleetRunner.Options(flags.parallel, flags.continueOnError, flags.maxFailures);
            BackfillFlags backfill = backfillFlags();
            PrintWriter err = spec.commandLine().getErr();
            FleetRunner.TargetAction action = action();
            FleetRunner runner = new FleetRunner(fleet, (t, log) -> {
                synchronized (this) { // the backfill flags take their config defaults once, not concurrently
                    return db.settingsFor(t.url(), t.schemaOr(schema), t.stateSchemaOr(state), env, log, backfill);
                }
            }, options, line -> {
                synchronized (err) {
                    err.println(line);
                    err.flush();
                }
            });
            FleetResult result = runner.run(spec.name(), migrationId(), action, writes());
            FleetRenderer renderer = new FleetRenderer(schema, state);
            PrintWriter out = spec.commandLine().getOut();
            out.print(json ? renderer.json(result) + "\n" : text(renderer, result));
            out.flush();
            return result.exitCode();
        }
    }

    static ChangelogSource open(SourceFlags source, Path path) {
        return source.open(path);
    }

    @Command(name = "plan", description = "Read-only: per target, the migrations `fleet apply` would start or resume, wave by wave.")
    static final class Plan extends Base {
        @Parameters(index = "0", arity = "0..1", defaultValue = "changelogs", description = SourceFlags.PATH_DESCRIPTION)
        Path path;

        @Mixin
        SourceFlags source;

        @Override
        boolean writes() {
            return false;
        }

        @Override
        FleetRunner.TargetAction action() {
            return FleetActions.status(Optional.of(open(source, path)));
        }

        @Override
        String text(FleetRenderer renderer, FleetResult result) {
            return renderer.planText(result);
        }
    }

    @Command(name = "apply", description = "tandem apply on every target: expand, dual-write and backfill of each pending migration.")
    static final class Apply extends Base {
        @Parameters(index = "0", arity = "0..1", defaultValue = "changelogs", description = SourceFlags.PATH_DESCRIPTION)
        Path path;

        @Option(names = "--to", defaultValue = "backfill", converter = PhaseConverter.class,
                description = "Stop after this phase: expand, dual-write or backfill (default: ${DEFAULT-VALUE}).")
        Phase to;

        @Mixin
        SourceFlags source;

        @Mixin
        BackfillFlags backfill;

        @Override
        BackfillFlags backfillFlags() {
            return backfill;
        }

        @Override
        FleetRunner.TargetAction action() {
            if (to.ordinal() > Phase.BACKFILL.ordinal()) {
                throw TandemException.badInput("fleet apply runs expand, dual-write and backfill only; use `tandem fleet switch-reads` and `fleet contract`");
            }
            return FleetActions.apply(open(source, path), to);
        }
    }

    @Command(name = "switch-reads", description = "tandem switch-reads ID on every target.")
    static final class SwitchReads extends Base {
        @Parameters(index = "0", description = "Migration id.")
        String id;

        @Override
        String migrationId() {
            return id;
        }

        @Override
        FleetRunner.TargetAction action() {
            return FleetActions.switchReads(id);
        }
    }

    @Command(name = "contract", description = "tandem contract ID on every target; each target's readiness gate must pass (exit 4 for that target otherwise).")
    static final class Contract extends Base {
        @Parameters(index = "0", description = "Migration id.")
        String id;

        @Option(names = "--yes", description = "Confirm without a prompt (required when not on a terminal).")
        boolean yes;

        @Option(names = "--quiet-period", defaultValue = "15m", converter = QuietPeriodConverter.class,
                description = "How long the old shape must have been unused on a target (default: ${DEFAULT-VALUE}).")
        Duration quietPeriod;

        @Option(names = "--force", description = "Contract targets that are not ready too (recorded in each one's history).")
        boolean force;

        @Override
        String migrationId() {
            return id;
        }

        @Override
        FleetRunner.TargetAction action() {
            Confirm.require(yes, "Contract " + id + " on every target of " + flags.fleet + "? Every application instance must already use the new shape"
                    + (force ? " (--force: also where NOT READY)" : ""));
            return FleetActions.contract(id, quietPeriod, force);
        }
    }

    @Command(name = "rollback", description = "tandem rollback ID --to PHASE | --all on every target (a target already there is ok).")
    static final class Rollback extends Base {
        @Parameters(index = "0", description = "Migration id.")
        String id;

        static final class Range {
            @Option(names = "--to", converter = PhaseConverter.class, description = "Keep this phase as the last applied one.")
            Phase to;

            @Option(names = "--all", description = "Undo every phase.")
            boolean all;
        }

        @ArgGroup(exclusive = true, multiplicity = "1")
        Range range;

        @Mixin
        BackfillFlags backfill;

        @Override
        BackfillFlags backfillFlags() {
            return backfill;
        }

        @Override
        String migrationId() {
            return id;
        }

        @Override
        FleetRunner.TargetAction action() {
            return FleetActions.rollback(id, Optional.ofNullable(range.to), range.all);
        }
    }

    @Command(name = "status", description = "Read-only: per target and migration the phase, status, backfill and last error; per migration, targets at each phase.")
    static final class Status extends Base {
        @Parameters(index = "0", arity = "0..1", defaultValue = "changelogs", description = SourceFlags.PATH_DESCRIPTION)
        Path path;

        @Mixin
        SourceFlags source;

        @Override
        boolean writes() {
            return false;
        }

        @Override
        FleetRunner.TargetAction action() {
            return FleetActions.status(Files.exists(path) ? Optional.of(open(source, path)) : Optional.empty());
        }

        @Override
        String text(FleetRenderer renderer, FleetResult result) {
            return renderer.statusText(result);
        }
    }
}
