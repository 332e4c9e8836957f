package dev.tandem.plan.mechanics;

import dev.tandem.catalog.CatalogSnapshot;
import dev.tandem.catalog.Table;
import dev.tandem.sql.Names;
import dev.tandem.sql.QualifiedName;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Picks names for the constraints and indexes Tandem copies or creates: derived from the original
 * name where possible ({@code users_full_name_key} → {@code users_display_name_key}), always within
 * 63 bytes, and never equal to a name already taken in the schema (relations) or on the table
 * (constraints) as far as the snapshot knows.
 */
public final class ObjectNames {
    private final Set<String> taken = new HashSet<>();

    public ObjectNames(Optional<CatalogSnapshot> catalog, QualifiedName table) {
        catalog.ifPresent(c -> {
            for (Table t : c.allTables()) {
                if (!t.name().schema().equals(table.schema())) continue;
                taken.add(t.name().name());
                t.indexes().forEach(i -> taken.add(i.name()));
                if (t.name().equals(table)) t.constraints().forEach(k -> taken.add(k.name()));
            }
        });
    }

    /** A name derived from {@code original} with {@code from} replaced by {@code to}, unique and bounded. */
    public String derive(String original, String from, String to) {
        String base = original.contains(from) ? original.replace(from, to) : original + "_" + to;
        return claim(base);
    }

    /** {@code base} itself when free, else base_2, base_3 …; always within 63 bytes. */
    public String claim(String base) {
        String candidate = Names.bounded(base);
        for (int i = 2; taken.contains(candidate); i++) {
            candidate = Names.bounded(base, Integer.toString(i));
        }
        taken.add(candidate);
        return candidate;
    }
}
