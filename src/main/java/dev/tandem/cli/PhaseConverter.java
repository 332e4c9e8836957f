package dev.tandem.cli;

import dev.tandem.plan.Phase;
import java.util.Arrays;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Parses phase names as users type them: expand, dual-write, backfill, switch-reads, contract. */
final class PhaseConverter implements ITypeConverter<Phase> {
    @Override
    public Phase convert(String value) {
        return Phase.fromWireName(value).orElseThrow(() -> new TypeConversionException("unknown phase '" + value
                + "' (expected one of " + String.join(", ", Arrays.stream(Phase.values()).map(Phase::wireName).toList()) + ")"));
    }
}
