package dev.tandem.plan;

import dev.tandem.catalog.CatalogSnapshot;
import dev.tandem.intent.Position;
import dev.tandem.TandemException;
import java.util.Optional;

/**
 * What a recipe may know besides its intent: the migration id (generated names derive from it), the
 * options, and the catalog as it will be when this migration runs (absent offline).
 */
public record RecipeContext(String migrationId, PlanOptions options, Optional<CatalogSnapshot> catalog) {
    public boolean offline() {
        return catalog.isEmpty();
    }

    /** A bad-input error pointing at the intent's position in its file. */
    public static TandemException error(Position at, String kind, String message) {
        return TandemException.badInput(at + ": " + kind + ": " + message);
    }
}
