package dev.tandem.plan;

import dev.tandem.catalog.CatalogSnapshot;
import dev.tandem.catalog.Column;
import dev.tandem.intent.ChangeColumnType;
import dev.tandem.intent.Intent;
import dev.tandem.plan.mechanics.TypeChange;
import dev.tandem.sql.QualifiedName;
import dev.tandem.sql.SqlTokens;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The static rule that says when {@code down(up(x)) = x} cannot hold for a {@code change_column_type}
 * (a rollback then cannot give every row back its exact old value: rows written through the new
 * column after switch-reads come back as {@code down(new)}). Pure: it reads the intent's text and,
 * when planned with a catalog, the column's current type; it never evaluates anything (the online
 * sample is {@code lifecycle.RoundTripProbe}).
 * <p>It warns when
 * <ul>
 *   <li>{@code up} calls a function that maps different values to one ({@code upper}, {@code lower},
 *       {@code trim}, {@code left}, {@code substr}, {@code round}, {@code date_trunc}, …), or casts to a
 *       type that holds less ({@code varchar(n)}, {@code char(n)}, {@code smallint}, {@code numeric(p,s)},
 *       {@code real}, {@code date});</li>
 *   <li>the type change narrows: a shorter length or scale, a smaller integer, a fraction to an
 *       integer, a timestamp to a date, {@code double precision} to {@code real}, or text to a
 *       non-text type (different spellings such as {@code '007'} and {@code '7'} become one value).
 *       Offline (old type unknown) only a new type that is bounded by itself counts.</li>
 * </ul>
 * It is a heuristic in both directions: a function it does not know is not flagged, and a flagged
 * function may happen to be exact on the values the table holds. It does not look at other intents
 * ({@code split_column}/{@code merge_columns} have their own exact-rollback design).
 */
public final class RoundTripRule {
    private RoundTripRule() {}

    /** Functions that map different inputs to one output. */
    static final Set<String> LOSSY_FUNCTIONS = Set.of("upper", "lower", "initcap", "trim", "btrim", "ltrim", "rtrim",
            "left", "right", "substr", "substring", "round", "trunc", "floor", "ceil", "ceiling", "date_trunc", "split_part",
            "md5", "abs", "replace", "regexp_replace", "translate", "greatest", "least", "coalesce", "nullif", "to_char",
            "date_part", "extract", "sign", "hashtext", "normalize", "unaccent");

    private static final Pattern CAST = Pattern.compile(
            "(?:::|\\bas)\\s*(smallint|int2|real|float4|date|character varying|varchar|character|char|numeric|decimal)\\b\\s*(\\(\\s*\\d+\\s*(?:,\\s*\\d+\\s*)?\\))?",
            Pattern.CASE_INSENSITIVE);

    private static final List<String> INTEGERS = List.of("smallint", "integer", "bigint");

    /** The warnings for one intent (empty for intents this rule does not cover or that round-trip). */
    public static List<String> warnings(Intent intent, String defaultSchema, Optional<CatalogSnapshot> catalog) {
        if (!(intent instanceof ChangeColumnType change)) {
            return List.of();
        }
        QualifiedName t = change.table().resolve(defaultSchema);
        Optional<String> oldType = catalog.flatMap(c -> c.table(t)).flatMap(tb -> tb.column(change.column())).map(Column::type);
        String newType = TypeChange.canonical(change.type());
        List<String> why = new ArrayList<>();
        change.up().ifPresent(up -> {
            Set<String> lossy = lossyCalls(up);
            if (!lossy.isEmpty()) {
                why.add("up calls " + String.join(", ", lossy) + ", which map different values to one");
            }
            lossyCast(up).ifPresent(c -> why.add("up casts to " + c + ", which holds less"));
        });
        narrowing(oldType, newType).ifPresent(why::add);
        if (why.isEmpty()) {
            return List.of();
        }
        return List.of(message(change, t, String.join("; ", why)));
    }

    /** The text every round-trip warning starts with, so callers (apply) can pick them out. */
    public static final String PREFIX = "rollback not exact: ";

    static String message(ChangeColumnType change, QualifiedName t, String why) {
        return PREFIX + change.kind() + " " + t + "." + change.column() + " at " + change.position()
                + ": down(up(x)) = x cannot hold (" + why + "); rows written through the new column come back from a rollback"
                + " as down(new), not as their earlier value (rows nobody wrote keep theirs)";
    }

    /** The known lossy functions the expression calls, in order of appearance. */
    static Set<String> lossyCalls(String expression) {
        Set<String> out = new LinkedHashSet<>();
        List<SqlTokens.Token> tokens = SqlTokens.tokenize(expression);
        for (int i = 0; i < tokens.size(); i++) {
            String id = tokens.get(i).identifier();
            if (id != null && tokens.get(i).kind() == SqlTokens.Kind.WORD && LOSSY_FUNCTIONS.contains(id.toLowerCase(Locale.ROOT))
                    && nextIsOpenParen(tokens, i)) {
                out.add(id.toLowerCase(Locale.ROOT));
            }
        }
        return out;
    }

    private static boolean nextIsOpenParen(List<SqlTokens.Token> tokens, int i) {
        for (int j = i + 1; j < tokens.size(); j++) {
            SqlTokens.Token t = tokens.get(j);
            if (t.kind() == SqlTokens.Kind.SPACE || t.kind() == SqlTokens.Kind.COMMENT) {
                continue;
            }
            return t.text().equals("(");
        }
        return false;
    }

    /** A cast in the expression to a type that holds less than most sources (varchar(n), smallint, …). */
    static Optional<String> lossyCast(String expression) {
        Matcher m = CAST.matcher(expression);
        while (m.find()) {
            String base = m.group(1).toLowerCase(Locale.ROOT);
            String mod = m.group(2);
            boolean bounded = switch (base) {
                case "varchar", "character varying", "numeric", "decimal" -> mod != null;
                default -> true; // char without a length is char(1)
            };
            if (bounded) {
                return Optional.of(base + (mod == null ? "" : mod.replaceAll("\\s", "")));
            }
        }
        return Optional.empty();
    }

    /** Why {@code from → to} loses information, or empty when it widens or this rule cannot tell. */
    static Optional<String> narrowing(Optional<String> from, String to) {
        Type n = Type.of(to);
        if (from.isEmpty()) {
            return n.boundedByItself() ? Optional.of("the new type " + to + " may hold less than the old one") : Optional.empty();
        }
        Type o = Type.of(from.get());
        String what = "the type narrows from " + from.get() + " to " + to;
        if (o.text() && !n.text()) {
            return Optional.of(what + ": different spellings of one value become one");
        }
        if (o.text() && n.text()) {
            return n.length() >= 0 && (o.length() < 0 || n.length() < o.length()) ? Optional.of(what) : Optional.empty();
        }
        int oi = INTEGERS.indexOf(o.base());
        int ni = INTEGERS.indexOf(n.base());
        if (oi >= 0 && ni >= 0) {
            return ni < oi ? Optional.of(what) : Optional.empty();
        }
        boolean fraction = o.base().equals("numeric") || o.base().equals("real") || o.base().equals("double precision");
        if (fraction && ni >= 0) {
            return Optional.of(what + ": fractions are lost");
        }
        if (o.base().equals("numeric") && n.base().equals("numeric")) {
            boolean shorter = (n.length() >= 0 && (o.length() < 0 || n.length() < o.length()))
                    || (n.scale() >= 0 && (o.scale() < 0 || n.scale() < o.scale()));
            return shorter ? Optional.of(what) : Optional.empty();
        }
        if (o.base().equals("double precision") && n.base().equals("real")) {
            return Optional.of(what);
        }
        if (o.base().startsWith("timestamp") && n.base().equals("date")) {
            return Optional.of(what + ": the time of day is lost");
        }
        return Optional.empty();
    }

    /** A type as far as this rule needs it: base name, length or precision, scale (-1 when absent). */
    record Type(String base, int length, int scale) {
        private static final Pattern P = Pattern.compile("^([a-z][a-z ]*?)\\s*(?:\\(\\s*(\\d+)\\s*(?:,\\s*(\\d+)\\s*)?\\))?(\\s+with(?:out)? time zone)?$");

        static Type of(String type) {
            String canon = TypeChange.canonical(type).toLowerCase(Locale.ROOT).strip();
            Matcher m = P.matcher(canon);
            if (!m.matches()) {
                return new Type(canon, -1, -1);
            }
            String base = m.group(1).strip() + (m.group(4) == null ? "" : m.group(4));
            return new Type(base, m.group(2) == null ? -1 : Integer.parseInt(m.group(2)), m.group(3) == null ? -1 : Integer.parseInt(m.group(3)));
        }

        boolean text() {
            return base.equals("text") || base.equals("character varying") || base.equals("character");
        }

        boolean boundedByItself() {
            return switch (base) {
                case "character" -> true;
                case "character varying", "numeric" -> length >= 0;
                case "smallint", "real", "date" -> true;
                default -> false;
            };
        }
    }
}
