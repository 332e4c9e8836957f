package dev.tandem.lifecycle;

import dev.tandem.catalog.CatalogSnapshot;
import dev.tandem.catalog.Column;
import dev.tandem.catalog.Table;
import dev.tandem.intent.ChangeColumnType;
import dev.tandem.intent.Intent;
import dev.tandem.intent.Migration;
import dev.tandem.plan.MigrationPlan;
import dev.tandem.plan.RoundTripRule;
import dev.tandem.sql.Ident;
import dev.tandem.sql.QualifiedName;
import dev.tandem.sql.SqlTokens;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Tests {@code down(up(x)) = x} of each {@code change_column_type} on a bounded sample of the live
 * rows: one read-only statement per intent, in a transaction that is rolled back, with a short
 * {@code statement_timeout}, over at most {@link #SAMPLE_ROWS} rows (the first ones a sequential
 * scan returns, {@code LIMIT}), counting rows where {@code down(up(col)) IS DISTINCT FROM col} and
 * naming one example key. Used by {@code plan --url} and {@code apply}; the result is a warning,
 * never a refusal.
 * <p>It does not prove the round trip for rows outside the sample nor for values written later
 * ({@link RoundTripRule} is the static half); a sample that cannot be evaluated (an expression fails
 * on a row, the timeout) becomes a warning saying so. Other intents are not probed.
 */
public final class RoundTripProbe {
    /** The most rows one probe reads. */
    public static final int SAMPLE_ROWS = 2000;
    private static final String TIMEOUT = "2s";

    private RoundTripProbe() {}

    /** Warnings for the migration's intents, planned against {@code catalog} (the live one). */
    public static List<String> warnings(Connection c, Migration m, CatalogSnapshot catalog, String defaultSchema) throws SQLException {
        List<String> out = new ArrayList<>();
        for (Intent intent : m.changes()) {
            if (intent instanceof ChangeColumnType change) {
                QualifiedName t = change.table().resolve(defaultSchema);
                Optional<Table> table = catalog.table(t);
                Optional<Column> col = table.flatMap(tb -> tb.column(change.column()));
                if (col.isPresent()) {
                    probe(c, change, t, table.get(), col.get()).ifPresent(out::add);
                }
            }
        }
        return out;
    }

    /** Whether a plan warning is about rollback exactness (from {@link RoundTripRule} or this probe). */
    public static boolean isRoundTripWarning(String warning) {
        return warning.startsWith(RoundTripRule.PREFIX) || warning.startsWith("rollback not tested: ");
    }

    /** The plan with {@code extra} warnings appended (those it already carries are not repeated). */
    public static MigrationPlan withWarnings(MigrationPlan p, List<String> extra) {
        if (extra.isEmpty()) {
            return p;
        }
        List<String> w = new ArrayList<>(p.warnings());
        extra.stream().filter(e -> !w.contains(e)).forEach(w::add);
        return new MigrationPlan(p.id(), p.description(), p.checksum(), p.offline(), p.phases(), p.purge(), p.touches(), w);
    }

    /** The sampling statement (public for tests and docs). */
    public static String sql(ChangeColumnType change, QualifiedName t, Table table, Column col) {
        String c = change.column();
        String newType = change.type();
        String up = change.up().orElse("CAST(" + Ident.quote(c) + " AS " + newType + ")");
        String down = change.down().orElse("CAST(" + Ident.quote(c) + " AS " + col.type() + ")");
        String back = SqlTokens.replaceColumn(down, c, "tandem_rt_new");
        String key = table.primaryKey().filter(pk -> !pk.columns().isEmpty())
                .map(pk -> pk.columns().size() == 1
                        ? Ident.quote(pk.columns().get(0)) + "::text"
                        : "ROW(" + pk.columns().stream().map(Ident::quote).collect(Collectors.joining(", ")) + ")::text")
                .orElse("tandem_ctid::text");
        String keyName = table.primaryKey().filter(pk -> !pk.columns().isEmpty())
                .map(pk -> String.join(",", pk.columns())).orElse("ctid");
        return "SELECT count(*), count(*) FILTER (WHERE tandem_lossy), (array_agg(tandem_key) FILTER (WHERE tandem_lossy))[1], "
                + quoteLiteral(keyName)
                + " FROM (SELECT " + key + " AS tandem_key, " + Ident.quote(c) + " IS DISTINCT FROM CAST((" + back + ") AS " + col.type()
                + ") AS tandem_lossy FROM (SELECT *, CAST((" + up + ") AS " + newType + ") AS tandem_rt_new FROM (SELECT ctid AS tandem_ctid, * FROM "
                + t.sql() + " LIMIT " + SAMPLE_ROWS + ") tandem_sample) tandem_row) tandem_probe";
    }

    private static String quoteLiteral(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    private static Optional<String> probe(Connection c, ChangeColumnType change, QualifiedName t, Table table, Column col) throws SQLException {
        String where = change.kind() + " " + t + "." + change.column() + " at " + change.position();
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            s.execute("SET TRANSACTION READ ONLY");
            s.execute("SET LOCAL statement_timeout = '" + TIMEOUT + "'");
            try (ResultSet rs = s.executeQuery(sql(change, t, table, col))) {
                rs.next();
                long sampled = rs.getLong(1);
                long lossy = rs.getLong(2);
                if (lossy == 0) {
                    return Optional.empty();
                }
                return Optional.of(RoundTripRule.PREFIX + where + ": down(up(" + change.column() + ")) differs from "
                        + change.column() + " on " + lossy + " of " + sampled + " sampled rows of " + t + " (e.g. " + rs.getString(4)
                        + " = " + rs.getString(3) + "); rows written through the new column come back from a rollback as down(new)");
            } catch (SQLException e) {
                String msg = e.getMessage() == null ? e.toString() : e.getMessage().strip();
                int cut = msg.indexOf('\n');
                return Optional.of("rollback not tested: " + where + ": sampling down(up("
                        + change.column() + ")) on " + t + " failed: " + (cut > 0 ? msg.substring(0, cut) : msg).replaceFirst("^ERROR: ", ""));
            }
        } finally {
            c.rollback();
            c.setAutoCommit(auto);
        }
    }
}
