package dev.tandem.plan.mechanics;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Knows which column type changes PostgreSQL makes without rewriting the table or its indexes
 * (binary-coercible types whose modifier only relaxes), so a recipe can plan a single brief
 * {@code ALTER COLUMN … TYPE} instead of a new column, a trigger and a backfill.
 * <p>Types are compared in their canonical {@code format_type()} spelling (what the catalog
 * reader returns); {@link #canonical} turns the spellings a migration author writes
 * ({@code varchar(100)}, {@code int8}, {@code timestamptz(3)}, {@code decimal(12,2)}) into it.
 * <p>Covered, each checked on a real server by comparing {@code pg_class.relfilenode} (table and
 * indexes) before and after: {@code varchar(n)} → {@code varchar(m ≥ n)}, unlimited
 * {@code varchar} or {@code text}; {@code text} ↔ unlimited {@code varchar};
 * {@code numeric(p,s)} → {@code numeric(p2 ≥ p, s)} or unconstrained {@code numeric};
 * {@code timestamp}, {@code timestamptz}, {@code time}, {@code timetz} with a precision that does
 * not decrease (or is dropped); {@code varbit(n)} → {@code varbit(m ≥ n)} or unlimited;
 * {@code cidr} → {@code inet}.
 * <p>Not covered (the answer is "rewrite", which is always safe, only slower): domains, arrays,
 * {@code char(n)} (blank-padded, needs a rewrite), {@code timestamp ↔ timestamptz} (metadata-only
 * only when the session time zone is UTC), {@code interval} modifiers, and any type written with
 * double quotes or a schema.
 */
public final class TypeChange {
    private TypeChange() {}

    private static final Pattern MOD = Pattern.compile("^([a-z][a-z0-9 ]*?)\\s*(?:\\(\\s*(\\d+)\\s*(?:,\\s*(\\d+)\\s*)?\\))?\\s*(with time zone|without time zone)?$");

    /** A type split into its base name and modifiers (-1 when absent). */
    record Parsed(String base, int p, int s) {}

    /**
     * The {@code format_type()} spelling of a type an author wrote, when this class knows the type;
     * otherwise the text as written (trimmed).
     */
    public static String canonical(String type) {
        return parse(type).map(TypeChange::render).orElse(type.strip());
    }

    /** Whether the type is one whose values carry a collation (the text types). */
    public static boolean collatable(String type) {
        return parse(type).map(p -> p.base().equals("character varying") || p.base().equals("text")
                || p.base().equals("character")).orElse(false);
    }

    /**
     * Why changing {@code from} to {@code to} needs no rewrite ("varchar(50) → varchar(100):
     * binary-coercible, the limit only grows"), or empty when it does (or this class cannot tell).
     */
    public static Optional<String> metadataOnly(String from, String to) {
        Optional<Parsed> a = parse(from);
        Optional<Parsed> b = parse(to);
        if (a.isEmpty() || b.isEmpty()) {
            return Optional.empty();
        }
        Parsed o = a.get();
        Parsed n = b.get();
        String change = render(o) + " → " + render(n) + ": ";
        boolean oText = o.base().equals("text");
        boolean nText = n.base().equals("text");
        boolean oVarchar = o.base().equals("character varying");
        boolean nVarchar = n.base().equals("character varying");
        if ((oVarchar || oText) && (nVarchar || nText)) {
            if (nText) {
                return Optional.of(change + "binary-coercible to text");
            }
            if (n.p() < 0) {
                return Optional.of(change + "binary-coercible, no length limit");
            }
            if (oVarchar && o.p() >= 0 && n.p() >= o.p()) {
                return Optional.of(change + "binary-coercible, the length limit only grows");
            }
            return Optional.empty();
        }
        if (o.base().equals("numeric") && n.base().equals("numeric")) {
            if (n.p() < 0) {
                return Optional.of(change + "unconstrained numeric accepts every value");
            }
            if (o.p() >= 0 && n.s() == o.s() && n.p() >= o.p()) {
                return Optional.of(change + "same scale, the precision only grows");
            }
            return Optional.empty();
        }
        if (o.base().equals(n.base()) && (o.base().startsWith("timestamp") || o.base().startsWith("time "))) {
            if (n.p() < 0 && o.p() >= 0 || o.p() >= 0 && n.p() >= o.p()) {
                return Optional.of(change + "the fractional-second precision only grows");
            }
            return Optional.empty();
        }
        if (o.base().equals("bit varying") && n.base().equals("bit varying")) {
            if (n.p() < 0 || o.p() >= 0 && n.p() >= o.p()) {
                return Optional.of(change + "binary-coercible, the length limit only grows");
            }
            return Optional.empty();
        }
        if (o.base().equals("cidr") && n.base().equals("inet")) {
            return Optional.of(change + "cidr is binary-coercible to inet");
        }
        return Optional.empty();
    }

    static Optional<Parsed> parse(String type) {
        String t = type.strip().toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
        if (t.contains("\"") || t.contains(".") || t.contains("[")) {
            return Optional.empty();
        }
        // the short spellings with the zone suffix glued on: timestamptz(3), timetz
        boolean tz = false;
        Matcher glued = Pattern.compile("^(timestamptz|timetz)(.*)$").matcher(t);
        if (glued.matches()) {
            t = (glued.group(1).equals("timestamptz") ? "timestamp" : "time") + glued.group(2);
            tz = true;
        }
        Matcher m = MOD.matcher(t);
        if (!m.matches()) {
            return Optional.empty();
        }
        String base = m.group(1).strip();
        int p = m.group(2) == null ? -1 : Integer.parseInt(m.group(2));
        int s = m.group(3) == null ? -1 : Integer.parseInt(m.group(3));
        String zone = m.group(4);
        if (zone != null) {
            if (tz) {
                return Optional.empty();
            }
            tz = zone.equals("with time zone");
        }
        String canonicalBase = switch (base) {
            case "varchar", "character varying" -> "character varying";
            case "text" -> "text";
            case "char", "character", "bpchar" -> "character";
            case "numeric", "decimal" -> "numeric";
            case "timestamp" -> tz ? "timestamp with time zone" : "timestamp without time zone";
            case "time" -> tz ? "time with time zone" : "time without time zone";
            case "varbit", "bit varying" -> "bit varying";
            case "int", "int4", "integer" -> "integer";
            case "int8", "bigint" -> "bigint";
            case "int2", "smallint" -> "smallint";
            case "float8", "double precision" -> "double precision";
            case "float4", "real" -> "real";
            case "bool", "boolean" -> "boolean";
            case "cidr", "inet", "uuid", "date", "jsonb", "json", "bytea" -> base;
            default -> null;
        };
        if (canonicalBase == null || zone != null && !(base.equals("timestamp") || base.equals("time"))) {
            return Optional.empty();
        }
        boolean takesModifier = switch (canonicalBase) {
            case "character varying", "character", "bit varying", "numeric" -> true;
            default -> canonicalBase.startsWith("time");
        };
        if (!takesModifier && p >= 0 || s >= 0 && !canonicalBase.equals("numeric")) {
            return Optional.empty();
        }
        if (canonicalBase.equals("numeric") && p >= 0 && s < 0) {
            s = 0;
        }
        return Optional.of(new Parsed(canonicalBase, p, s));
    }

    private static String render(Parsed p) {
        String mod = p.p() < 0 ? "" : "(" + p.p() + (p.s() >= 0 ? "," + p.s() : "") + ")";
        if (p.base().startsWith("timestamp ") || p.base().startsWith("time ")) {
            int space = p.base().indexOf(' ');
            return p.base().substring(0, space) + mod + p.base().substring(space);
        }
        return p.base() + mod;
    }
}
