package dev.tandem.intent;

import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Parses the fields of one intent kind into its {@link Intent} record. Registered by kind name in
 * {@link ChangelogReader}'s parser map; adding an intent kind is one parse method and one map entry.
 * <p>The reader checks the entry against {@link #fields()} (unknown fields are errors) before
 * calling {@link #parse}; the parse method reads required/optional fields through
 * {@link IntentFields} and reports its own cross-field errors (e.g. column equals to).
 */
interface IntentParser {
    /** The field names this kind accepts, in the order they are listed in error messages. */
    List<String> fields();

    /** Builds the intent; throws {@link dev.tandem.TandemException} (BAD_INPUT) with a position. */
    Intent parse(IntentFields fields);

    static IntentParser of(List<String> fields, Function<IntentFields, Intent> parse) {
        List<String> allowed = List.copyOf(fields);
        Objects.requireNonNull(parse);
        return new IntentParser() {
            @Override
            public List<String> fields() {
                return allowed;
            }

            @Override
            public Intent parse(IntentFields f) {
                return parse.apply(f);
            }
        };
    }
}
