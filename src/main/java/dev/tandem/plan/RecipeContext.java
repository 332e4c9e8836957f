package dev.tandem.plan;

import dev.tandem.catalog.CatalogSnapshot;
import dev.tandem.intent.Position;
import dev.tandem.TandemException;
import java.util.Optional;
import java.util.Set;

/**
 * What a recipe may know besides its intent: the migration id (generated names derive from it), the
 * options, the catalog as it will be when this migration runs (absent offline), and the views that
 * the migration's own {@code sql} steps drop or replace ({@link ViewGuard#handledBySql}).
 */
public record RecipeContext(String migrationId, PlanOptions options, Optional<CatalogSnapshot> catalog,
                            Set<dev.tandem.sql.QualifiedName> viewsHandledBySql) {
    public RecipeContext {
        viewsHandledBySql = Set.copyOf(viewsHandledBySql);
    }

    /** A context whose migration handles no views itself. */
    public RecipeContext(String migrationId, PlanOptions options, Optional<CatalogSnapshot> catalog) {
        this(migrationId, options, catalog, Set.of());
    }

    public boolean offline() {
        return catalog.isEmpty();
    }

    /** A bad-input error pointing at the intent's position in its file. */
    public static TandemException error(Position at, String kind, String message) {
        return TandemException.badInput(at + ": " + kind + ": " + message);
    }
}
