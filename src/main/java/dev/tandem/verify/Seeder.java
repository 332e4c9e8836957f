package dev.tandem.verify;

import dev.tandem.sql.QualifiedName;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Fills empty tables with synthetic rows before a migration is exercised: each table a migration
 * touches, and (first) every empty table it references by a foreign key, transitively, so child
 * rows can point at parent rows. Tables that already hold rows are left alone. Values come from
 * {@link RowGenerator}; whatever it cannot satisfy (a CHECK no generated row passes, a NOT NULL
 * column of an unknown type) becomes a warning and fewer rows, never a failure.
 * <p>Not handled: foreign-key cycles between empty tables (the later table of the cycle gets no
 * rows when the reference is NOT NULL), partitioned tables' partitions individually.
 */
final class Seeder {
    private final Connection c;
    private final long rows;
    private final Consumer<String> warn;

    Seeder(Connection c, long rows, Consumer<String> warn) {
        this.c = c;
        this.rows = rows;
        this.warn = warn;
    }

    /** Seeds the empty ones of {@code tables} and of their parents; returns rows inserted per table. */
    Map<QualifiedName, Long> seed(Collection<QualifiedName> tables) throws SQLException {
        Map<QualifiedName, TableModel> models = new LinkedHashMap<>();
        Set<QualifiedName> order = new LinkedHashSet<>();
        for (QualifiedName t : tables) {
            visit(t, models, order, new LinkedHashSet<>());
        }
        Map<QualifiedName, Long> inserted = new LinkedHashMap<>();
        for (QualifiedName t : order) {
            TableModel m = models.get(t);
            if (m == null || m.view() || !isEmpty(t)) {
                continue;
            }
            RowGenerator.Insert insert = RowGenerator.insert(m, null, 1, rows, 0);
            if (insert.sql().isEmpty()) {
                warn.accept("could not seed " + t + ": " + insert.problem().orElse("?") + "; it stays empty");
                continue;
            }
            long n;
            try (Statement s = c.createStatement()) {
                n = s.executeUpdate(insert.sql().get());
            } catch (SQLException e) {
                warn.accept("could not seed " + t + ": " + e.getMessage().strip() + "; it stays empty");
                continue;
            }
            inserted.put(t, n);
            if (n < rows) {
                String checks = m.checks().isEmpty() ? "" : "; checks " + String.join(", ",
                        m.checks().stream().map(TableModel.Check::name).toList()) + " may have filtered rows";
                warn.accept("seeded " + n + " of " + rows + " rows into " + t
                        + " (rows conflicting with a unique key or a referenced table's size were skipped" + checks + ")");
            }
        }
        if (!inserted.isEmpty()) {
            try (Statement s = c.createStatement()) {
                for (QualifiedName t : inserted.keySet()) {
                    s.execute("ANALYZE " + t.sql());
                }
            }
        }
        return inserted;
    }

    /** Depth-first, parents before children; {@code path} breaks cycles. */
    private void visit(QualifiedName t, Map<QualifiedName, TableModel> models, Set<QualifiedName> order,
            Set<QualifiedName> path) throws SQLException {
        if (order.contains(t) || !path.add(t)) {
            return;
        }
        Optional<TableModel> m = models.containsKey(t) ? Optional.of(models.get(t)) : TableModel.read(c, t);
        if (m.isEmpty()) {
            return;
        }
        models.put(t, m.get());
        for (TableModel.ForeignKey fk : m.get().foreignKeys()) {
            if (!fk.parent().equals(t)) {
                visit(fk.parent(), models, order, path);
            }
        }
        order.add(t);
    }

    private boolean isEmpty(QualifiedName t) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT NOT EXISTS (SELECT FROM " + t.sql() + ")")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }
}
