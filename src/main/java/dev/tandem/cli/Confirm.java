package dev.tandem.cli;

import dev.tandem.TandemException;
import java.io.Console;

/** Asks for confirmation of a deliberate step on a terminal; without one, requires --yes. */
final class Confirm {
    private Confirm() {}

    static void require(boolean yes, String question) {
        if (yes) {
            return;
        }
        Console console = System.console();
        if (console == null) {
            throw TandemException.badInput(question + " — not run from a terminal: pass --yes to confirm");
        }
        String answer = console.readLine("%s [y/N] ", question);
        if (answer == null || !(answer.equalsIgnoreCase("y") || answer.equalsIgnoreCase("yes"))) {
            throw TandemException.badInput("not confirmed; nothing changed");
        }
    }
}
