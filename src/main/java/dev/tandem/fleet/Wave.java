package dev.tandem.fleet;

import java.util.List;

/**
 * The targets a fleet command runs together; a wave starts only after the previous one (see
 * {@link FleetRunner}). The first wave of a file with several is usually the canary.
 *
 * @param number 1-based position of the wave
 * @param targets the targets of the wave, in file order
 */
public record Wave(int number, List<Target> targets) {
    public Wave {
        targets = List.copyOf(targets);
    }
}
