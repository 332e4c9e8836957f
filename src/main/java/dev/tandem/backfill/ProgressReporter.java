package dev.tandem.backfill;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Shows a backfill's progress: on a terminal, one self-rewriting bar on stderr (percent, rows,
 * rows/s, ETA, and why it waits when it does); otherwise a plain line through the log every few
 * seconds and whenever the throttle reason changes. Every update also goes to the
 * {@link BackfillListener} of the options.
 * <p>The terminal check is {@code System.console() != null} (stdin and stdout on a terminal) and
 * {@code TERM} not {@code dumb}; the bar is written to {@link System#err} directly.
 */
final class ProgressReporter {
    private static final int BAR = 24;

    private final Consumer<String> log;
    private final BackfillListener listener;
    private final long intervalNs;
    private final PrintStream terminal;
    private long lastLine;
    private Optional<String> lastThrottle = Optional.empty();
    private boolean barShown;

    ProgressReporter(Consumer<String> log, BackfillOptions options) {
        this.log = log;
        this.listener = options.listener();
        this.intervalNs = options.progressIntervalMs() * 1_000_000;
        boolean tty = System.console() != null && !"dumb".equals(System.getenv("TERM"))
                && !Boolean.getBoolean("tandem.progress.plain");
        this.terminal = tty ? System.err : null;
        this.lastLine = System.nanoTime();
    }

    /** A line that is not progress (messages between passes); clears the bar first. */
    void line(String text) {
        clearBar();
        log.accept(text);
    }

    void update(BackfillProgress p) {
        try {
            listener.progress(p);
        } catch (RuntimeException e) {
            // a listener must not stop the backfill
        }
        long now = System.nanoTime();
        boolean throttleChanged = !Objects.equals(p.throttle(), lastThrottle);
        lastThrottle = p.throttle();
        if (terminal != null) {
            terminal.print("\r" + bar(p) + "\u001b[K");
            terminal.flush();
            barShown = true;
            if (p.finished()) {
                clearBar();
            }
            return;
        }
        if (throttleChanged || now - lastLine >= intervalNs || p.finished()) {
            log.accept("  " + describe(p));
            lastLine = now;
        }
    }

    private void clearBar() {
        if (terminal != null && barShown) {
            terminal.print("\r\u001b[K");
            terminal.flush();
            barShown = false;
        }
    }

    private static String bar(BackfillProgress p) {
        int filled = (int) Math.round(p.fraction() * BAR);
        return "[" + "#".repeat(filled) + "-".repeat(BAR - filled) + "] " + describe(p);
    }

    /** "backfill public.users: copy 45% (450,000/~1,000,000 rows), 52,000 rows/s, batch 10,000, ETA 11 s[, waiting: …]" */
    static String describe(BackfillProgress p) {
        StringBuilder sb = new StringBuilder("backfill ").append(p.table()).append(": ");
        if (p.finished()) {
            sb.append(String.format(Locale.ROOT, "done, %,d rows copied, %,d repaired, %,d batches", p.rowsCopied(),
                    p.rowsRepaired(), p.batches()));
            return sb.toString();
        }
        if (p.rowsEstimate() > 0) {
            sb.append(p.pass()).append(' ').append(Math.round(p.fraction() * 100)).append('%');
            sb.append(String.format(Locale.ROOT, " (%,d/~%,d rows)", p.rowsDone(), Math.max(p.rowsEstimate(), p.rowsDone())));
        } else { // never analyzed: no estimate
            sb.append(p.pass()).append(String.format(Locale.ROOT, " %,d rows", p.rowsDone()));
        }
        sb.append(String.format(Locale.ROOT, ", %,.0f rows/s, batch %,d", p.rowsPerSecond(), p.batchSize()));
        if (p.pass().equals(BackfillCheckpoint.VERIFY)) {
            sb.append(String.format(Locale.ROOT, ", %,d repaired", p.rowsRepaired()));
        }
        p.etaSeconds().ifPresent(s -> sb.append(", ETA ").append(duration(s)));
        p.throttle().ifPresent(t -> sb.append(", waiting: ").append(t));
        return sb.toString();
    }

    static String duration(long s) {
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%d h %02d min", s / 3600, (s % 3600) / 60);
    }
}
