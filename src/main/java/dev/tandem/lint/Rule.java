package dev.tandem.lint;

import java.util.Optional;

/**
 * The lint rules: a stable id (used in reports and in {@code -- tandem:ignore}), what the rule
 * catches and the safe alternative. docs/lint.md explains each one; a test keeps the two in step.
 */
public enum Rule {
    CREATE_INDEX_NOT_CONCURRENT("create-index-not-concurrent",
            "CREATE INDEX without CONCURRENTLY takes a SHARE lock that blocks writes for the whole build",
            "CREATE INDEX CONCURRENTLY (outside a transaction); drop an INVALID leftover before retrying"),
    DROP_INDEX_NOT_CONCURRENT("drop-index-not-concurrent",
            "DROP INDEX without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on the table",
            "DROP INDEX CONCURRENTLY (outside a transaction)"),
    REINDEX_NOT_CONCURRENT("reindex-not-concurrent",
            "REINDEX without CONCURRENTLY blocks writes to the table while it rebuilds",
            "REINDEX … CONCURRENTLY (PostgreSQL 12+), or build a new index CONCURRENTLY and drop the old one"),
    CONCURRENTLY_IN_TRANSACTION("concurrently-in-transaction",
            "a CONCURRENTLY statement inside a transaction block fails (it cannot run in a transaction)",
            "run it on its own, outside BEGIN … COMMIT (and outside a migration tool's implicit transaction)"),
    CHECK_WITHOUT_NOT_VALID("check-without-not-valid",
            "adding a CHECK constraint without NOT VALID scans the whole table under ACCESS EXCLUSIVE",
            "ADD CONSTRAINT … CHECK (…) NOT VALID, then in a later transaction VALIDATE CONSTRAINT (SHARE UPDATE EXCLUSIVE)"),
    FOREIGN_KEY_WITHOUT_NOT_VALID("foreign-key-without-not-valid",
            "adding a foreign key without NOT VALID scans the table under SHARE ROW EXCLUSIVE on both tables, blocking writes",
            "ADD CONSTRAINT … FOREIGN KEY … NOT VALID, then in a later transaction VALIDATE CONSTRAINT"),
    SET_NOT_NULL_SCAN("set-not-null-scan",
            "SET NOT NULL scans the whole table under ACCESS EXCLUSIVE",
            "PostgreSQL 12+: ADD CONSTRAINT c CHECK (col IS NOT NULL) NOT VALID; VALIDATE CONSTRAINT c; then SET NOT NULL"
                    + " (no scan) and drop c. PostgreSQL 18: ADD CONSTRAINT c NOT NULL col NOT VALID, then VALIDATE CONSTRAINT c"),
    ADD_COLUMN_NOT_NULL_WITHOUT_DEFAULT("add-column-not-null-without-default",
            "adding a NOT NULL column without a default fails as soon as the table has a row",
            "add the column nullable (or with a constant default), backfill it in batches, then SET NOT NULL via a validated CHECK"),
    ADD_COLUMN_VOLATILE_DEFAULT("add-column-volatile-default",
            "a volatile default (random(), gen_random_uuid(), clock_timestamp(), nextval(), …) rewrites the whole table under ACCESS EXCLUSIVE",
            "add the column without a default, SET DEFAULT for new rows, backfill existing rows in batches"),
    ADD_COLUMN_DEFAULT_REWRITE("add-column-default-rewrite",
            "before PostgreSQL 11 any non-NULL default on ADD COLUMN rewrites the whole table",
            "add the column without a default, SET DEFAULT, then backfill in batches (or upgrade to 11+)"),
    ADD_COLUMN_SERIAL("add-column-serial",
            "adding a serial column fills every existing row from a sequence: a rewrite under ACCESS EXCLUSIVE",
            "add a nullable bigint column, attach a sequence default, backfill in batches, then add NOT NULL via a validated CHECK"),
    ADD_COLUMN_IDENTITY("add-column-identity",
            "adding an identity column fills every existing row: a rewrite under ACCESS EXCLUSIVE",
            "add a nullable bigint column, backfill in batches, SET NOT NULL via a validated CHECK, then ADD GENERATED … AS IDENTITY"),
    ADD_COLUMN_GENERATED_STORED("add-column-generated-stored",
            "adding a STORED generated column computes it for every row: a rewrite under ACCESS EXCLUSIVE",
            "add a plain column kept up to date by a trigger and backfill it in batches (or, on PostgreSQL 18, a VIRTUAL column)"),
    ALTER_COLUMN_TYPE_REWRITE("alter-column-type-rewrite",
            "this type change is not binary-coercible: it rewrites the table and its indexes under ACCESS EXCLUSIVE",
            "add a new column of the new type, dual-write it with a trigger, backfill in batches, switch reads, drop the old"
                    + " one (tandem change_column_type)"),
    RENAME_COLUMN("rename-column",
            "renaming a column breaks every running client that still uses the old name",
            "add the new column and keep both in sync until every client reads the new one (tandem rename_column)"),
    RENAME_TABLE("rename-table",
            "renaming a table breaks every running client that still uses the old name",
            "rename, then create a view with the old name for the old clients until they are gone (tandem rename_table)"),
    DROP_COLUMN("drop-column",
            "dropping a column breaks every running client that still reads or writes it",
            "first deploy code that no longer uses the column, then drop it (tandem drop_column keeps it restorable until purge)"),
    DROP_TABLE("drop-table",
            "dropping a table breaks every running client that still uses it, and loses its data",
            "first deploy code that no longer uses the table; rename it aside and drop it later (tandem drop_table)"),
    ADD_UNIQUE_WITHOUT_INDEX("add-unique-without-index",
            "adding a UNIQUE or PRIMARY KEY constraint builds its index under ACCESS EXCLUSIVE",
            "CREATE UNIQUE INDEX CONCURRENTLY first, then ADD CONSTRAINT … UNIQUE / PRIMARY KEY USING INDEX"),
    ADD_EXCLUSION_CONSTRAINT("add-exclusion-constraint",
            "adding an EXCLUDE constraint builds its index and checks every row under ACCESS EXCLUSIVE; there is no NOT VALID form",
            "create the constraint with the table, or enforce the rule with a trigger plus a CONCURRENTLY built index"),
    VACUUM_FULL("vacuum-full",
            "VACUUM FULL rewrites the table under ACCESS EXCLUSIVE",
            "plain VACUUM, or an online repack tool (pg_repack, pg_squeeze)"),
    CLUSTER("cluster",
            "CLUSTER rewrites the table under ACCESS EXCLUSIVE",
            "an online repack tool (pg_repack --order-by), or accept a maintenance window"),
    SET_TABLESPACE("set-tablespace",
            "SET TABLESPACE copies the whole relation under ACCESS EXCLUSIVE",
            "an online repack tool (pg_repack --tablespace), or a new table filled in batches"),
    SET_LOGGED("set-logged-unlogged",
            "SET LOGGED / SET UNLOGGED rewrites the table under ACCESS EXCLUSIVE",
            "create the table with the right persistence from the start, or copy into a new table in batches"),
    SET_ACCESS_METHOD("set-access-method",
            "SET ACCESS METHOD rewrites the table under ACCESS EXCLUSIVE",
            "copy into a new table in batches and swap"),
    MISSING_LOCK_TIMEOUT("missing-lock-timeout",
            "DDL that takes a strong lock runs without a lock_timeout: queued behind a long transaction it blocks every"
                    + " later query on the table",
            "SET lock_timeout = '2s' (or SET LOCAL inside the transaction) before the first DDL, and retry on timeout"),
    LONG_WORK_AFTER_LOCK("long-work-after-lock",
            "long work (a scan, a rewrite, an UPDATE/DELETE/INSERT … SELECT) runs in a transaction that already holds a lock"
                    + " blocking writes; the lock is held until COMMIT",
            "commit right after the statement that takes the lock; do the long work in its own transaction, in batches"),
    SYNTAX("syntax",
            "the SQL could not be read (an unterminated string, quoted identifier or comment)",
            "close the literal or comment"),
    UNKNOWN_RULE("unknown-rule",
            "a tandem:ignore comment names a rule that does not exist",
            "use one of the ids in docs/lint.md");

    private final String id;
    private final String summary;
    private final String hint;

    Rule(String id, String summary, String hint) {
        this.id = id;
        this.summary = summary;
        this.hint = hint;
    }

    /** The stable id, e.g. {@code create-index-not-concurrent}. */
    public String id() {
        return id;
    }

    /** What the rule catches and why, one sentence. */
    public String summary() {
        return summary;
    }

    /** The safe alternative. */
    public String hint() {
        return hint;
    }

    public static Optional<Rule> byId(String id) {
        for (Rule r : values()) {
            if (r.id.equals(id)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }
}
