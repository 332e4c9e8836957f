package dev.tandem.report;

import dev.tandem.TandemException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The result of a gate command, rendered by {@link ReportFormat}. Plain data: the cases examined
 * and, for commands that have more to say (verify's per-phase timings and lock traces), extra JSON
 * members under {@link #extra} that the JSON form includes at the top level.
 *
 * @param tool the command, e.g. {@code lint}, {@code check}, {@code verify}
 * @param cases every unit examined, including those that passed
 * @param extra more top-level JSON members (values as {@link dev.tandem.util.Json} writes them); never
 *     {@code tool}, {@code summary}, {@code findings} or {@code cases}
 */
public record Report(String tool, List<Case> cases, Map<String, Object> extra) {
    private static final List<String> RESERVED = List.of("tool", "summary", "findings", "cases");

    public Report {
        Objects.requireNonNull(tool, "tool");
        cases = List.copyOf(cases);
        extra = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(extra));
        for (String k : extra.keySet()) {
            if (RESERVED.contains(k)) {
                throw new IllegalArgumentException("extra member " + k + " is reserved");
            }
        }
    }

    public Report(String tool, List<Case> cases) {
        this(tool, cases, Map.of());
    }

    /** Every finding of every case, in case order. */
    public List<Finding> findings() {
        return cases.stream().flatMap(c -> c.findings().stream()).toList();
    }

    public long errors() {
        return findings().stream().filter(Finding::isError).count();
    }

    public long warnings() {
        return findings().size() - errors();
    }

    /** 0 when there is no error finding, otherwise {@link TandemException#CHECK_FAILED} (4). */
    public int exitCode() {
        return errors() == 0 ? 0 : TandemException.CHECK_FAILED;
    }
}
