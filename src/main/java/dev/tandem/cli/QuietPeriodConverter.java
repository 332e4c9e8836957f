package dev.tandem.cli;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Parses durations such as {@code 15m}, {@code 90s}, {@code 2h}, {@code 1d} or {@code 1h30m}; anything else is a usage error (exit 2). */
final class QuietPeriodConverter implements ITypeConverter<Duration> {
    private static final Pattern PART = Pattern.compile("(\\d+)([smhd])");

    @Override
    public Duration convert(String value) {
        String v = value == null ? "" : value.trim().toLowerCase(java.util.Locale.ROOT);
        if (v.isEmpty() || !v.matches("(\\d+[smhd])+")) {
            throw new TypeConversionException("'" + value + "' is not a duration: use e.g. 15m, 90s, 2h, 1d or 1h30m");
        }
        Duration d = Duration.ZERO;
        Matcher m = PART.matcher(v);
        while (m.find()) {
            long n = Long.parseLong(m.group(1));
            d = d.plus(switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            });
        }
        return d;
    }
}
