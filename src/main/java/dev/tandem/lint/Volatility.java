package dev.tandem.lint;

import java.util.Locale;
import java.util.Set;

/**
 * Tells whether a default expression is volatile (evaluated per row, so ADD COLUMN must rewrite the
 * table) from the functions it calls. Built-in functions are known by name; a function it does not
 * know may be volatile (user functions are VOLATILE unless declared otherwise), which the caller
 * reports as "cannot tell".
 * <p>It does not look up user functions' declared volatility, nor domains with constraints
 * (which also force a rewrite).
 */
final class Volatility {
    enum Verdict { STABLE_OR_IMMUTABLE, VOLATILE, UNKNOWN }

    private static final Set<String> VOLATILE = Set.of(
            "random", "random_normal", "gen_random_uuid", "uuid_generate_v1", "uuid_generate_v1mc", "uuid_generate_v4",
            "uuidv4", "uuidv7", "clock_timestamp", "timeofday", "nextval", "setval", "setseed", "txid_current", "pg_current_xact_id");

    /** Built-ins (and syntax that looks like a call) that are immutable or stable. */
    private static final Set<String> NON_VOLATILE = Set.of(
            "now", "statement_timestamp", "transaction_timestamp", "current_setting", "current_user", "current_date",
            "lower", "upper", "coalesce", "nullif", "greatest", "least", "length", "char_length", "concat", "concat_ws",
            "substr", "substring", "trim", "btrim", "ltrim", "rtrim", "replace", "md5", "abs", "round", "floor", "ceil",
            "to_char", "to_date", "to_timestamp", "to_number", "make_date", "make_timestamp", "make_timestamptz",
            "make_interval", "date_trunc", "extract", "date_part", "cast", "row", "array", "jsonb_build_object",
            "json_build_object", "jsonb_build_array", "json_build_array", "to_jsonb", "to_json", "array_fill",
            "format", "left", "right", "lpad", "rpad", "split_part", "timezone", "localtimestamp", "localtime",
            "current_timestamp", "current_time", "interval", "point", "int4range", "int8range", "tstzrange", "daterange",
            "numrange", "tsrange", "inet", "uuid", "jsonb", "json", "text", "varchar", "numeric", "bool", "boolean");

    private Volatility() {}

    /** The verdict for the expression tokens [from, to) of {@code s}; {@code unknown} receives the unknown function's name. */
    static Verdict of(SqlStatement s, int from, int to, StringBuilder unknown) {
        Verdict v = Verdict.STABLE_OR_IMMUTABLE;
        for (int i = from; i < to; i++) {
            SqlStatement.Tok t = s.get(i);
            String name = t.identifier();
            if (name == null || i + 1 >= to || !s.get(i + 1).isSymbol("(")) {
                continue;
            }
            boolean isCastType = i >= 1 && s.get(i - 1).isSymbol(":");
            boolean qualified = i >= 1 && s.get(i - 1).isSymbol(".");
            if (isCastType) {
                continue;
            }
            String fn = name.toLowerCase(Locale.ROOT);
            if (VOLATILE.contains(fn)) {
                unknown.setLength(0);
                unknown.append(fn);
                return Verdict.VOLATILE;
            }
            if (qualified || !NON_VOLATILE.contains(fn)) {
                if (v != Verdict.UNKNOWN) {
                    unknown.setLength(0);
                    unknown.append(fn);
                }
                v = Verdict.UNKNOWN;
            }
        }
        return v;
    }
}
