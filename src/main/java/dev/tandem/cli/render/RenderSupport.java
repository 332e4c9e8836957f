package dev.tandem.cli.render;

import dev.tandem.plan.BackfillSpec;
import dev.tandem.plan.LockLevel;
import dev.tandem.plan.Step;
import java.util.ArrayList;
import java.util.List;

/** Text helpers shared by the renderers. */
final class RenderSupport {
    private RenderSupport() {}

    static final String OFFLINE_NOTE = "offline: types are placeholders; pass --url for the real statements";

    /** Splits on \r\n, \r and \n; "" gives one empty line; a trailing line break gives no extra line. */
    static List<String> lines(String s) {
        List<String> out = new ArrayList<>();
        if (s == null) {
            return out;
        }
        int start = 0;
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c == '\n' || c == '\r') {
                out.add(s.substring(start, i));
                if (c == '\r' && i + 1 < n && s.charAt(i + 1) == '\n') {
                    i++;
                }
                start = i + 1;
            }
        }
        if (start < n || out.isEmpty()) {
            out.add(s.substring(start));
        }
        return out;
    }

    /** True for null, empty or whitespace-only text. */
    static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    /** Text with every line break replaced by one space (for one-line contexts). */
    static String oneLine(String s) {
        return s == null ? "" : String.join(" ", lines(s.strip()));
    }

    /**
     * Replaces characters that a terminal would interpret (ESC, other C0 and C1 controls, DEL) by
     * U+FFFD, keeping line breaks and tabs, so hostile names cannot move the cursor or recolour output.
     */
    static String terminalSafe(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean bad = (c < 0x20 && c != '\n' && c != '\r' && c != '\t') || (c >= 0x7f && c <= 0x9f);
            if (bad) {
                if (sb == null) {
                    sb = new StringBuilder(s.length()).append(s, 0, i);
                }
                sb.append('\uFFFD');
            } else if (sb != null) {
                sb.append(c);
            }
        }
        return sb == null ? s : sb.toString();
    }

    /** Each line of {@code text} prefixed by {@code prefix}, joined by \n (no final newline). */
    static String prefixLines(String text, String prefix) {
        StringBuilder sb = new StringBuilder();
        for (String line : lines(text)) {
            if (sb.length() > 0) {
                sb.append('\n');
            }
            sb.append((prefix + line).stripTrailing());
        }
        return sb.toString();
    }

    /** "lock ACCESS EXCLUSIVE on public.users", "lock SHARE", "no table lock". */
    static String lockPhrase(Step s) {
        if (s.lock() == LockLevel.NONE) {
            return s.table() == null ? "no table lock" : "no lock on " + s.table();
        }
        return "lock " + s.lock().sqlName() + (s.table() == null ? "" : " on " + s.table());
    }

    /** "batched backfill keyed on (id)" / "batched backfill by ctid ranges". */
    static String backfillPhrase(BackfillSpec b) {
        return "batched backfill " + batchPhrase(b);
    }

    /** "keyed on (id)" / "by ctid ranges". */
    static String batchPhrase(BackfillSpec b) {
        return b.keyColumns().isEmpty()
                ? "by ctid ranges"
                : "keyed on (" + String.join(", ", b.keyColumns()) + ")";
    }

    /** Code points, not UTF-16 units, for column alignment. */
    static int width(String s) {
        return s.codePointCount(0, s.length());
    }

    static String pad(String s, int width) {
        int w = width(s);
        return w >= width ? s : s + " ".repeat(width - w);
    }
}
