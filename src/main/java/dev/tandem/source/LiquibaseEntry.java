package dev.tandem.source;

import java.util.Optional;

/**
 * What Liquibase would write into {@code databasechangelog} for one changeSet, taken from the
 * parsed changelog: ID, AUTHOR, FILENAME, MD5SUM (liquibase-core's own checksum, latest
 * checksum version), DESCRIPTION, COMMENTS, CONTEXTS and LABELS.
 */
public record LiquibaseEntry(String migrationId, String id, String author, String filename, String md5sum,
                             String description, Optional<String> comments, Optional<String> contexts,
                             Optional<String> labels) {}
