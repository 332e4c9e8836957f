package dev.tandem.plan.mechanics;

import java.util.List;

/**
 * Several statements that must take effect together, as one statement: a {@code DO} block, which
 * PostgreSQL runs in the step's single transaction (e.g. renaming a column and re-pointing the
 * trigger function that names it, so no write ever sees one without the other). The dollar tag is
 * chosen so the statements (which may hold dollar-quoted function bodies) cannot end it early.
 * <p>Only for short DDL: the block holds every lock its statements take until it ends. Statements
 * that PostgreSQL refuses inside a transaction block (CONCURRENTLY) cannot go here.
 */
public final class Atomic {
    private Atomic() {}

    public static String of(List<String> statements) {
        String body = " BEGIN " + String.join("; ", statements) + "; END ";
        String tag = SyncTrigger.dollarTag(body);
        return "DO " + tag + body + tag;
    }
}
