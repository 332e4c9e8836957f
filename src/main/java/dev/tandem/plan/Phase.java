package dev.tandem.plan;

import java.util.Arrays;
import java.util.Optional;

/**
 * The five phases of every migration, in the order they are applied. {@link #wireName()} is the
 * spelling used on the command line, in JSON and in Tandem's state tables.
 */
public enum Phase {
    EXPAND("expand"),
    DUAL_WRITE("dual-write"),
    BACKFILL("backfill"),
    SWITCH_READS("switch-reads"),
    CONTRACT("contract");

    private final String wireName;

    Phase(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public Optional<Phase> next() {
        int i = ordinal() + 1;
        return i < values().length ? Optional.of(values()[i]) : Optional.empty();
    }

    public Optional<Phase> previous() {
        int i = ordinal() - 1;
        return i >= 0 ? Optional.of(values()[i]) : Optional.empty();
    }

    public static Optional<Phase> fromWireName(String name) {
        return Arrays.stream(values()).filter(p -> p.wireName.equals(name)).findFirst();
    }

    @Override
    public String toString() {
        return wireName;
    }
}
