package dev.tandem.lint;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A column type as written in DDL, normalised: the base name PostgreSQL uses ({@code varchar},
 * {@code numeric}, {@code timestamptz}, {@code int8}, …), its numeric modifiers and whether it is an
 * array. Knows which type changes are binary-coercible, i.e. need no table rewrite.
 *
 * <p>Binary-coercible here (PostgreSQL 9.2+): the same type and modifiers; {@code varchar(n)} to
 * {@code varchar(m ≥ n)}, unbounded {@code varchar} or {@code text}; {@code text} to unbounded
 * {@code varchar}; {@code varbit} likewise; {@code numeric(p,s)} to {@code numeric(q ≥ p, s)} or
 * unconstrained {@code numeric}; {@code timestamp}, {@code timestamptz}, {@code time},
 * {@code interval} to a larger or no precision; {@code cidr} to {@code inet}. Everything else is
 * treated as a rewrite; {@code timestamp} ↔ {@code timestamptz} skips the rewrite only when the
 * session TimeZone is UTC (PostgreSQL 12+, see {@link #timeZoneChange}); domains are not known here.
 *
 * @param base normalised base type name
 * @param mods numeric type modifiers, e.g. [10, 2] for numeric(10,2); empty when none
 * @param array whether it is an array type
 */
public record SqlType(String base, List<Integer> mods, boolean array) {
    private static final Map<String, String> ALIASES = Map.ofEntries(
            Map.entry("character varying", "varchar"), Map.entry("varchar", "varchar"),
            Map.entry("character", "bpchar"), Map.entry("char", "bpchar"), Map.entry("bpchar", "bpchar"),
            Map.entry("int", "int4"), Map.entry("integer", "int4"), Map.entry("int4", "int4"),
            Map.entry("bigint", "int8"), Map.entry("int8", "int8"), Map.entry("smallint", "int2"), Map.entry("int2", "int2"),
            Map.entry("decimal", "numeric"), Map.entry("numeric", "numeric"),
            Map.entry("bool", "bool"), Map.entry("boolean", "bool"),
            Map.entry("real", "float4"), Map.entry("float4", "float4"), Map.entry("double precision", "float8"),
            Map.entry("float8", "float8"), Map.entry("float", "float8"),
            Map.entry("timestamp", "timestamp"), Map.entry("timestamp without time zone", "timestamp"),
            Map.entry("timestamptz", "timestamptz"), Map.entry("timestamp with time zone", "timestamptz"),
            Map.entry("time", "time"), Map.entry("time without time zone", "time"),
            Map.entry("timetz", "timetz"), Map.entry("time with time zone", "timetz"),
            Map.entry("bit varying", "varbit"), Map.entry("varbit", "varbit"),
            Map.entry("serial", "serial4"), Map.entry("serial4", "serial4"), Map.entry("bigserial", "serial8"),
            Map.entry("serial8", "serial8"), Map.entry("smallserial", "serial2"), Map.entry("serial2", "serial2"));

    /** Types whose precision can grow without a rewrite. */
    private static final List<String> PRECISION_TYPES = List.of("timestamp", "timestamptz", "time", "interval");

    /**
     * Parses a type from words and punctuation as the tokens spell it, e.g.
     * {@code ["timestamp", "(", "3", ")", "with", "time", "zone"]}. Returns empty when it cannot.
     */
    public static Optional<SqlType> parse(List<String> parts) {
        List<String> words = new ArrayList<>();
        List<Integer> mods = new ArrayList<>();
        boolean array = false;
        boolean inMods = false;
        for (String p : parts) {
            String s = p.toLowerCase(Locale.ROOT);
            if (s.equals("(")) {
                inMods = true;
            } else if (s.equals(")")) {
                inMods = false;
            } else if (s.equals("[") || s.equals("]") || s.equals("array")) {
                array = true;
            } else if (inMods) {
                if (!s.equals(",")) {
                    try {
                        mods.add(Integer.parseInt(s));
                    } catch (NumberFormatException e) {
                        return Optional.empty();
                    }
                }
            } else if (!s.equals(".") && !array) {
                words.add(s.startsWith("\"") ? s.substring(1, s.length() - 1) : s);
            } else if (array && !s.matches("\\d+")) {
                return Optional.empty();
            }
        }
        if (words.isEmpty()) {
            return Optional.empty();
        }
        if (words.size() >= 2 && words.get(0).equals("pg_catalog")) {
            words.remove(0);
        }
        String name = String.join(" ", words);
        return Optional.of(new SqlType(ALIASES.getOrDefault(name, name), List.copyOf(mods), array));
    }

    public boolean isSerial() {
        return base.startsWith("serial") && !array;
    }

    /** Whether changing a column from this type to {@code to} needs no table rewrite. */
    public boolean binaryCoercibleTo(SqlType to) {
        if (equals(to)) {
            return true;
        }
        if (array || to.array) {
            return false;
        }
        return switch (base) {
            case "varchar" -> (to.base.equals("varchar") && widens(mods, to.mods)) || to.base.equals("text") && to.mods.isEmpty();
            case "text" -> to.base.equals("varchar") && to.mods.isEmpty();
            case "varbit" -> to.base.equals("varbit") && widens(mods, to.mods);
            case "numeric" -> to.base.equals("numeric") && (to.mods.isEmpty()
                    || mods.size() >= 1 && to.mods.size() >= 1 && to.mods.get(0) >= mods.get(0) && scale(mods) == scale(to.mods));
            case "cidr" -> to.base.equals("inet");
            default -> PRECISION_TYPES.contains(base) && to.base.equals(base) && widens(mods, to.mods);
        };
    }

    /**
     * Whether this is {@code timestamp} → {@code timestamptz} or back with no loss of precision,
     * which PostgreSQL 12+ does without a rewrite when the session TimeZone is UTC.
     */
    public boolean timeZoneChange(SqlType to) {
        boolean pair = (base.equals("timestamp") && to.base.equals("timestamptz"))
                || (base.equals("timestamptz") && to.base.equals("timestamp"));
        return pair && !array && !to.array && widens(mods, to.mods);
    }

    /** Built-in types whose casts this class knows; for any other (extension types, domains) it cannot judge. */
    private static final java.util.Set<String> BUILTIN = java.util.Set.of("varchar", "bpchar", "text", "int2", "int4", "int8",
            "numeric", "bool", "float4", "float8", "timestamp", "timestamptz", "time", "timetz", "interval", "date", "uuid",
            "json", "jsonb", "bytea", "varbit", "bit", "inet", "cidr", "macaddr", "macaddr8", "money", "xml", "serial2", "serial4",
            "serial8");

    /** Built-ins that no other type converts to without a rewrite: a change to one of them always rewrites. */
    private static final java.util.Set<String> ONLY_FROM_ITSELF = java.util.Set.of("int2", "int4", "int8", "bool", "float4",
            "float8", "date", "uuid", "jsonb", "bytea", "timetz", "macaddr", "macaddr8", "money", "bpchar");

    /** Whether this class knows the type's casts (a built-in type). */
    public boolean isKnown() {
        return BUILTIN.contains(base);
    }

    /** Whether a change to this type from any other type rewrites the table (so not knowing the current type does not matter). */
    public boolean rewritesFromAnyOtherType() {
        return array || ONLY_FROM_ITSELF.contains(base);
    }

    private static boolean widens(List<Integer> from, List<Integer> to) {
        if (to.isEmpty()) {
            return true; // no limit
        }
        return !from.isEmpty() && to.get(0) >= from.get(0);
    }

    private static int scale(List<Integer> mods) {
        return mods.size() >= 2 ? mods.get(1) : 0;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(base);
        if (!mods.isEmpty()) {
            sb.append('(');
            for (int i = 0; i < mods.size(); i++) {
                sb.append(i == 0 ? "" : ",").append(mods.get(i));
            }
            sb.append(')');
        }
        return array ? sb.append("[]").toString() : sb.toString();
    }
}
