package dev.tandem.execute;

import dev.tandem.sql.Ident;
import dev.tandem.sql.SqlTokens;
import dev.tandem.sql.SqlTokens.Kind;
import dev.tandem.sql.SqlTokens.Token;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * Makes a {@code CREATE [UNIQUE] INDEX CONCURRENTLY "name" ON "schema"."table" …} that Tandem
 * generated safe to run again: an INVALID leftover of a failed or interrupted build is dropped
 * first, and a valid index of that name means the build already finished. Only understands
 * statements in the form Tandem generates (quoted name, schema-qualified table).
 */
final class ConcurrentIndex {
    enum State { ABSENT, VALID, INVALID }

    private ConcurrentIndex() {}

    /** Schema and name of the index a generated CREATE INDEX CONCURRENTLY statement builds, if it is one. */
    static Optional<String[]> target(String sql) {
        String s = sql.stripLeading();
        if (!s.startsWith("CREATE INDEX CONCURRENTLY ") && !s.startsWith("CREATE UNIQUE INDEX CONCURRENTLY ")) {
            return Optional.empty();
        }
        List<Token> tokens = SqlTokens.tokenize(s);
        String name = null;
        String schema = null;
        boolean afterOn = false;
        for (Token t : tokens) {
            if (t.kind() == Kind.QUOTED_IDENT && name == null) {
                name = t.identifier();
            } else if (t.kind() == Kind.WORD && "on".equals(t.identifier()) && name != null) {
                afterOn = true;
            } else if (afterOn && t.kind() == Kind.QUOTED_IDENT) {
                schema = t.identifier();
                break;
            }
        }
        return name == null || schema == null ? Optional.empty() : Optional.of(new String[] {schema, name});
    }

    static State state(Connection c, String schema, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT i.indisvalid FROM pg_index i WHERE i.indexrelid = to_regclass(?)")) {
            ps.setString(1, Ident.quote(schema) + "." + Ident.quote(name));
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return State.ABSENT;
                }
                return rs.getBoolean(1) ? State.VALID : State.INVALID;
            }
        }
    }
}
