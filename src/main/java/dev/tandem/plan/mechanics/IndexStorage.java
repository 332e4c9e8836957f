package dev.tandem.plan.mechanics;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code WITH (…)} storage parameters of an index built by Tandem: which parameters each
 * built-in access method accepts (PostgreSQL 12–18), and their rendering. A parameter the method
 * does not take is refused at planning (exit 2) rather than by a failed CONCURRENTLY build. Values
 * are checked by the changelog reader to be numbers or words; their range is PostgreSQL's to check
 * (an out-of-range value fails the build before any index exists). Parameters of extension access
 * methods are not known: they pass as written.
 */
public final class IndexStorage {
    private static final Map<String, List<String>> BY_METHOD = Map.of(
            "btree", List.of("fillfactor", "deduplicate_items"),
            "hash", List.of("fillfactor"),
            "gist", List.of("fillfactor", "buffering"),
            "spgist", List.of("fillfactor"),
            "gin", List.of("fastupdate", "gin_pending_list_limit"),
            "brin", List.of("pages_per_range", "autosummarize"));

    private IndexStorage() {}

    /** The first parameter the method does not accept, with the ones it does, as a message; empty when all are fine. */
    public static Optional<String> refusal(String method, Map<String, String> with) {
        List<String> allowed = BY_METHOD.get(method.toLowerCase(Locale.ROOT));
        if (allowed == null) {
            return Optional.empty();
        }
        return with.keySet().stream().filter(k -> !allowed.contains(k)).findFirst()
                .map(k -> "storage parameter '" + k + "' is not one of " + method + "'s (" + String.join(", ", allowed) + ")");
    }

    /** {@code " WITH (fillfactor = 70, …)"}, or "" when there are none. */
    public static String clause(Map<String, String> with) {
        if (with.isEmpty()) {
            return "";
        }
        return " WITH (" + String.join(", ", with.entrySet().stream().map(e -> e.getKey() + " = " + e.getValue()).toList()) + ")";
    }
}
