package dev.tandem.plan.recipe;

import dev.tandem.catalog.CatalogSnapshot;
import dev.tandem.catalog.Column;
import dev.tandem.catalog.Constraint;
import dev.tandem.catalog.Index;
import dev.tandem.catalog.Table;
import dev.tandem.sql.QualifiedName;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Small edits of a {@link CatalogSnapshot} for {@code Recipe.project}: change one column, add or
 * remove a constraint or an index. Each returns the snapshot unchanged when the table is unknown.
 */
final class Projections {
    private Projections() {}

    static CatalogSnapshot column(CatalogSnapshot before, QualifiedName t, String column, UnaryOperator<Column> change) {
        Optional<Table> table = before.table(t);
        if (table.isEmpty() || table.get().column(column).isEmpty()) {
            return before;
        }
        Table tb = table.get();
        List<Column> columns = tb.columns().stream().map(c -> c.name().equals(column) ? change.apply(c) : c).toList();
        return before.with(tb.withColumns(columns));
    }

    static CatalogSnapshot constraints(CatalogSnapshot before, QualifiedName t, UnaryOperator<List<Constraint>> change,
                                       UnaryOperator<List<Index>> indexChange) {
        Optional<Table> table = before.table(t);
        if (table.isEmpty()) {
            return before;
        }
        Table tb = table.get();
        List<Constraint> constraints = new ArrayList<>(change.apply(new ArrayList<>(tb.constraints())));
        constraints.sort((a, b) -> a.name().compareTo(b.name()));
        List<Index> indexes = new ArrayList<>(indexChange.apply(new ArrayList<>(tb.indexes())));
        indexes.sort((a, b) -> a.name().compareTo(b.name()));
        return before.with(tb.withConstraints(constraints).withIndexes(indexes));
    }

    static <T> List<T> plus(List<T> list, T item) {
        List<T> out = new ArrayList<>(list);
        out.add(item);
        return out;
    }
}
