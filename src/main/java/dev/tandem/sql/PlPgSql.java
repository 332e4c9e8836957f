package dev.tandem.sql;

/**
 * Wraps PL/pgSQL in an anonymous {@code DO} block: one statement that runs several statements (and
 * checks) atomically, however the executor splits statements into transactions. The dollar-quote
 * tag is chosen so that it does not occur in the body, so quoted identifiers containing {@code $}
 * cannot end the block early.
 * <p>The body is trusted: identifiers in it must already be quoted with {@link Ident}, values with
 * {@link Ident#literal}.
 */
public final class PlPgSql {
    private PlPgSql() {}

    /** {@code DO $tag$ DECLARE … BEGIN body END $tag$}; {@code declare} may be empty. */
    public static String doBlock(String declare, String body) {
        String text = (declare.isEmpty() ? "" : "DECLARE\n" + trimmed(declare) + "\n") + "BEGIN\n" + trimmed(body) + "\nEND\n";
        String tag = dollarTag(text);
        return "DO " + tag + "\n" + text + tag;
    }

    /**
     * {@code $tandem$}, or {@code $tandem1$}, … — the first dollar-quote tag that the body neither
     * contains nor ends with a prefix of, so quoted names containing {@code $} cannot end the quote early.
     * The one place Tandem chooses a dollar-quote tag.
     */
    public static String dollarTag(String body) {
        String tag = "$tandem$";
        for (int i = 1; body.contains(tag) || body.endsWith(tag.substring(0, tag.length() - 1)); i++) {
            tag = "$tandem" + i + "$";
        }
        return tag;
    }

    /** Strips the ends only: indenting lines could change quoted names or literals that span lines. */
    private static String trimmed(String lines) {
        return lines.strip();
    }

    /** {@code RAISE EXCEPTION} with a message and hint given as plain text (quoted here). */
    public static String raise(String sqlState, String message, String hint) {
        return "RAISE EXCEPTION USING ERRCODE = " + Ident.literal(sqlState) + ", MESSAGE = " + Ident.literal(message)
                + ", HINT = " + Ident.literal(hint) + ";";
    }
}
