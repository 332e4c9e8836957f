package dev.tandem.intent;

import java.util.List;
import java.util.Optional;

/**
 * Parsers of the metadata intents ({@code set_comment}, {@code rename_constraint}, {@code set_replica_identity}), each registered by one line in
 * {@link ChangelogReader}. Field errors point at the field's value. Checks against the database are
 * the recipes' job.
 */
final class MetadataIntents {
    private MetadataIntents() {}

    /** {@code comment} is required, and may be null (clears the comment). */
    static final IntentParser SET_COMMENT = IntentParser.of(List.of("table", "column", "comment"), f -> {
        if (f.node("comment").isEmpty()) {
            throw f.error("missing required field 'comment' (null clears the comment)");
        }
        Optional<String> column = f.has("column") ? Optional.of(f.requiredIdentifier("column")) : Optional.empty();
        return new SetComment(f.position(), f.requiredTable("table"), column, f.optionalString("comment"));
    });

    static final IntentParser RENAME_CONSTRAINT = IntentParser.of(List.of("table", "name", "to"), f -> {
        String name = f.requiredIdentifier("name");
        String to = f.requiredIdentifier("to");
        if (name.equals(to)) {
            throw f.error("to", "the constraint is already called " + to);
        }
        return new RenameConstraint(f.position(), f.requiredTable("table"), name, to);
    });

    static final IntentParser SET_REPLICA_IDENTITY = IntentParser.of(List.of("table", "identity", "index"), f -> {
        String identity = f.requiredString("identity").toLowerCase(java.util.Locale.ROOT);
        if (!SetReplicaIdentity.IDENTITIES.contains(identity)) {
            throw f.error("identity", "unknown replica identity '" + identity + "' (allowed: " + String.join(", ", SetReplicaIdentity.IDENTITIES) + ")");
        }
        if (identity.equals("index") && !f.has("index")) {
            throw f.error("identity: index needs 'index' (the name of a unique index of the table)");
        }
        if (!identity.equals("index") && f.has("index")) {
            throw f.error("index", "only identity: index takes an index");
        }
        Optional<String> index = f.has("index") ? Optional.of(f.requiredIdentifier("index")) : Optional.empty();
        return new SetReplicaIdentity(f.position(), f.requiredTable("table"), identity, index);
    });
}
