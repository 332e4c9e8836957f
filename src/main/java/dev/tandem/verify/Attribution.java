package dev.tandem.verify;

import dev.tandem.plan.Step;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Guesses which steps of a phase left the differences a rollback did not undo: the names in the
 * fingerprint's diff lines are looked up in each step's forward and rollback SQL; per line, the
 * steps that mention its most specific name (the one the fewest steps mention) are suspects. A heuristic: it names nothing when no step mentions any of the names.
 */
final class Attribution {
    private static final Pattern WORD = Pattern.compile("[\\p{L}_][\\p{L}\\p{N}_$]*");

    /** SQL words that say nothing about which object differs. */
    private static final Set<String> STOP = Set.of("select", "from", "where", "alter", "table", "create", "drop", "add",
            "column", "constraint", "trigger", "function", "index", "on", "for", "each", "row", "execute", "before",
            "after", "insert", "update", "delete", "or", "and", "not", "null", "public", "returns", "language", "begin",
            "end", "new", "old", "set", "as", "is", "valid", "check", "true", "false", "if", "exists", "then", "else",
            "return", "type", "default", "using", "text", "plpgsql", "replace", "comment", "concurrently", "unique",
            "key", "primary", "foreign", "references", "rename", "to", "of", "enabled", "data", "rows", "tandem");

    private Attribution() {
    }

    /**
     * Indexes (0-based) of the suspect steps, in order: for each diff line, the steps that mention
     * its most specific name; the union over all lines.
     */
    static List<Integer> suspects(List<Step> steps, List<String> diff) {
        List<Set<String>> stepWords = new ArrayList<>();
        for (Step s : steps) {
            Set<String> w = new HashSet<>(words(s.sql()));
            s.rollbackStatements().forEach(r -> w.addAll(words(r)));
            stepWords.add(w);
        }
        Set<Integer> chosen = new TreeSet<>();
        for (String line : diff) {
            chosen.addAll(suspectsOf(words(line), stepWords));
        }
        return List.copyOf(chosen);
    }

    private static Set<Integer> suspectsOf(Set<String> names, List<Set<String>> stepWords) {
        int best = Integer.MAX_VALUE;
        Set<Integer> chosen = new HashSet<>();
        for (String name : names) {
            if (name.length() < 3 || STOP.contains(name)) {
                continue;
            }
            List<Integer> hits = new ArrayList<>();
            for (int i = 0; i < stepWords.size(); i++) {
                if (stepWords.get(i).contains(name)) {
                    hits.add(i);
                }
            }
            if (hits.isEmpty()) {
                continue;
            }
            if (hits.size() < best) {
                best = hits.size();
                chosen.clear();
            }
            if (hits.size() == best) {
                chosen.addAll(hits);
            }
        }
        return chosen;
    }

    private static Set<String> words(String s) {
        Set<String> out = new HashSet<>();
        Matcher m = WORD.matcher(s);
        while (m.find()) {
            out.add(m.group().toLowerCase(Locale.ROOT));
        }
        return out;
    }
}
