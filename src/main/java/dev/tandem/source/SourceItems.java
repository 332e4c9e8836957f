package dev.tandem.source;

import dev.tandem.TandemException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The migrations of a foreign source (a Liquibase changelog, a Flyway folder): every unit with its
 * migration or the refusal Tandem would give it, in the source's order. A refused unit fails a
 * command only when that command needs it — not when the other tool has already run it.
 */
final class SourceItems {
    private SourceItems() {}

    /**
     * The migrations of every unit not in {@code done}, in order.
     *
     * @throws TandemException the refusal of the first unit not done that Tandem refuses
     */
    static List<dev.tandem.intent.Migration> resolve(List<LiquibaseSource.Item> items, Set<String> done) {
        List<dev.tandem.intent.Migration> out = new ArrayList<>();
        for (LiquibaseSource.Item i : items) {
            if (done.contains(i.id())) {
                continue;
            }
            if (i.refusal().isPresent()) {
                throw i.refusal().get();
            }
            out.add(i.migration().orElseThrow());
        }
        return out;
    }

    /**
     * The units the other tool has not run: {@code alreadyRun} (read from its history) less the ones
     * Tandem itself recorded there, which Tandem keeps tracking in its own state.
     */
    static List<dev.tandem.intent.Migration> pending(Connection c, String stateSchema, List<LiquibaseSource.Item> items,
            Set<String> alreadyRun) throws SQLException {
        Set<String> done = new HashSet<>(alreadyRun);
        done.removeAll(SourceHistory.tandemIds(c, stateSchema));
        return resolve(items, done);
    }
}
