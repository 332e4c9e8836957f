package dev.tandem.source.translate;

import dev.tandem.TandemException;
import dev.tandem.intent.Position;

/** Builds the BAD_INPUT error for a change Tandem refuses, at the changeSet's file:line. */
final class Untranslatable {
    private Untranslatable() {}

    static TandemException at(Position p, String changeSetId, String message) {
        return TandemException.badInput(p + ": changeSet '" + changeSetId + "': " + message);
    }
}
