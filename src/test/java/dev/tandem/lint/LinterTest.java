package dev.tandem.lint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.report.Finding;
import dev.tandem.report.Severity;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Every rule with a positive and a negative case; version-dependent rules both ways. */
class LinterTest {
    private static final String TIMEOUT = "SET lock_timeout = '2s';\n";

    static List<Finding> lint(int pg, String sql) {
        return new Linter(LintOptions.defaults().withPgVersion(pg)).lintFile("m.sql", sql);
    }

    /** Rule ids of the error findings, with lock_timeout set first. */
    static Set<String> errors(String sql) {
        return errors(14, sql);
    }

    static Set<String> errors(int pg, String sql) {
        return lint(pg, TIMEOUT + sql).stream().filter(Finding::isError).map(Finding::rule).collect(Collectors.toSet());
    }

    static Set<String> warnings(String sql) {
        return lint(14, TIMEOUT + sql).stream().filter(f -> !f.isError()).map(Finding::rule).collect(Collectors.toSet());
    }

    static void flags(String rule, String sql) {
        assertTrue(errors(sql).contains(rule), rule + " expected for: " + sql + " got " + errors(sql));
    }

    static void clean(String sql) {
        assertEquals(Set.of(), errors(sql), "no error expected for: " + sql);
    }

    @Test
    void createIndex() {
        flags("create-index-not-concurrent", "CREATE INDEX users_email_idx ON users (email);");
        flags("create-index-not-concurrent", "create unique index if not exists i on public.users using btree (lower(email));");
        clean("CREATE INDEX CONCURRENTLY users_email_idx ON users (email);");
        clean("CREATE TABLE t (id int); CREATE INDEX t_id ON t (id);"); // new table: nobody writes yet
    }

    @Test
    void dropIndex() {
        flags("drop-index-not-concurrent", "DROP INDEX users_email_idx;");
        clean("DROP INDEX CONCURRENTLY IF EXISTS users_email_idx;");
        clean("CREATE TABLE t (id int); CREATE INDEX t_id ON t (id); DROP INDEX t_id;");
    }

    @Test
    void reindex() {
        flags("reindex-not-concurrent", "REINDEX INDEX users_email_idx;");
        clean("REINDEX INDEX CONCURRENTLY users_email_idx;");
        clean("REINDEX (VERBOSE, CONCURRENTLY) TABLE users;");
    }

    @Test
    void concurrentlyInTransaction() {
        flags("concurrently-in-transaction", "BEGIN; CREATE INDEX CONCURRENTLY i ON users (email); COMMIT;");
        flags("concurrently-in-transaction", "START TRANSACTION; DROP INDEX CONCURRENTLY i; COMMIT;");
        clean("BEGIN; SELECT 1; COMMIT; CREATE INDEX CONCURRENTLY i ON users (email);");
        Set<String> single = new Linter(new LintOptions(14, true, false))
                .lintFile("m.sql", TIMEOUT + "CREATE INDEX CONCURRENTLY i ON users (email);").stream()
                .map(Finding::rule).collect(Collectors.toSet());
        assertTrue(single.contains("concurrently-in-transaction"), "--single-transaction wraps the file: " + single);
    }

    @Test
    void checkConstraint() {
        flags("check-without-not-valid", "ALTER TABLE tasks ADD CONSTRAINT p CHECK (priority BETWEEN 1 AND 5);");
        flags("check-without-not-valid", "ALTER TABLE tasks ADD CHECK (priority > 0);");
        flags("check-without-not-valid", "ALTER TABLE tasks ADD COLUMN p int CHECK (p > 0);");
        clean("ALTER TABLE tasks ADD CONSTRAINT p CHECK (priority BETWEEN 1 AND 5) NOT VALID;");
        clean("ALTER TABLE tasks VALIDATE CONSTRAINT p;");
    }

    @Test
    void foreignKey() {
        flags("foreign-key-without-not-valid", "ALTER TABLE tasks ADD CONSTRAINT f FOREIGN KEY (owner) REFERENCES users (id);");
        flags("foreign-key-without-not-valid", "ALTER TABLE tasks ADD COLUMN owner uuid REFERENCES users (id);");
        clean("ALTER TABLE tasks ADD CONSTRAINT f FOREIGN KEY (owner) REFERENCES users (id) NOT VALID;");
        clean("CREATE TABLE c (id int, user_id uuid REFERENCES users (id));");
    }

    @Test
    void setNotNullDependsOnValidatedCheckAndVersion() {
        String viaCheck = "ALTER TABLE tasks ADD CONSTRAINT d_nn CHECK (due_date IS NOT NULL) NOT VALID;\n"
                + "ALTER TABLE tasks VALIDATE CONSTRAINT d_nn;\n"
                + "ALTER TABLE tasks ALTER COLUMN due_date SET NOT NULL;\n";
        flags("set-not-null-scan", "ALTER TABLE tasks ALTER COLUMN due_date SET NOT NULL;");
        assertFalse(errors(12, viaCheck).contains("set-not-null-scan"), "PG 12+ uses the validated check");
        assertTrue(errors(11, viaCheck).contains("set-not-null-scan"), "PG 11 scans anyway");
        String notValidated = "ALTER TABLE tasks ADD CONSTRAINT d_nn CHECK (due_date IS NOT NULL) NOT VALID;\n"
                + "ALTER TABLE tasks ALTER COLUMN due_date SET NOT NULL;\n";
        flags("set-not-null-scan", notValidated);
        String otherColumn = "ALTER TABLE tasks ADD CONSTRAINT d_nn CHECK (due_date IS NOT NULL) NOT VALID;\n"
                + "ALTER TABLE tasks VALIDATE CONSTRAINT d_nn;\nALTER TABLE tasks ALTER COLUMN title SET NOT NULL;\n";
        flags("set-not-null-scan", otherColumn);
        // PostgreSQL 18: NOT NULL constraints with NOT VALID
        flags("set-not-null-scan", "ALTER TABLE tasks ADD CONSTRAINT d_nn NOT NULL due_date;");
        clean("ALTER TABLE tasks ADD CONSTRAINT d_nn NOT NULL due_date NOT VALID;");
    }

    @Test
    void addColumnNotNullWithoutDefault() {
        flags("add-column-not-null-without-default", "ALTER TABLE users ADD COLUMN slug text NOT NULL;");
        clean("ALTER TABLE users ADD COLUMN slug text NOT NULL DEFAULT '';");
        clean("ALTER TABLE users ADD COLUMN slug text;");
        clean("CREATE TABLE t (id int); ALTER TABLE t ADD COLUMN slug text NOT NULL;");
    }

    @Test
    void volatileDefaults() {
        flags("add-column-volatile-default", "ALTER TABLE users ADD COLUMN token uuid DEFAULT gen_random_uuid();");
        flags("add-column-volatile-default", "ALTER TABLE users ADD COLUMN seen timestamptz DEFAULT clock_timestamp() NOT NULL;");
        clean("ALTER TABLE users ADD COLUMN seen timestamptz NOT NULL DEFAULT now();");
        clean("ALTER TABLE users ADD COLUMN meta jsonb DEFAULT '{}'::jsonb;");
        assertTrue(warnings("ALTER TABLE users ADD COLUMN x int DEFAULT my_func();").contains("add-column-volatile-default"),
                "an unknown function is a warning");
        clean("ALTER TABLE users ADD COLUMN x int DEFAULT my_func();");
    }

    @Test
    void constantDefaultsAreFastFromPostgres11() {
        String sql = "ALTER TABLE users ADD COLUMN active boolean NOT NULL DEFAULT true;";
        assertTrue(errors(10, sql).contains("add-column-default-rewrite"));
        assertFalse(errors(11, sql).contains("add-column-default-rewrite"));
        assertFalse(errors(10, "ALTER TABLE users ADD COLUMN note text DEFAULT NULL;").contains("add-column-default-rewrite"));
    }

    @Test
    void serialIdentityGenerated() {
        flags("add-column-serial", "ALTER TABLE users ADD COLUMN n bigserial;");
        flags("add-column-identity", "ALTER TABLE users ADD COLUMN n bigint GENERATED ALWAYS AS IDENTITY;");
        flags("add-column-identity", "ALTER TABLE users ADD COLUMN n int GENERATED BY DEFAULT AS IDENTITY (START WITH 10);");
        flags("add-column-generated-stored", "ALTER TABLE users ADD COLUMN l text GENERATED ALWAYS AS (lower(email)) STORED;");
        clean("CREATE TABLE t (id bigserial PRIMARY KEY, n int GENERATED ALWAYS AS IDENTITY);");
        clean("ALTER TABLE users ADD COLUMN n bigint;");
        clean("ALTER TABLE users ALTER COLUMN n ADD GENERATED ALWAYS AS IDENTITY;");
        assertFalse(errors(18, "ALTER TABLE users ADD COLUMN l text GENERATED ALWAYS AS (lower(email)) VIRTUAL;")
                .contains("add-column-generated-stored"));
        assertTrue(errors(17, "ALTER TABLE users ADD COLUMN l text GENERATED ALWAYS AS (lower(email));")
                .contains("add-column-generated-stored"), "before 18 a generated column is stored");
        assertFalse(errors(18, "ALTER TABLE users ADD COLUMN l text GENERATED ALWAYS AS (lower(email));")
                .contains("add-column-generated-stored"), "18 defaults to VIRTUAL");
    }

    @Test
    void alterTypeKnowsBinaryCoercibleChanges() {
        String table = "CREATE TABLE t (id int, name varchar(50), price numeric(10,2), at timestamp(3), code text);\n";
        // the types come from an earlier file: the table is live by then
        Linter linter = new Linter(LintOptions.defaults());
        linter.lintFile("V1.sql", table);
        java.util.function.Function<String, Set<String>> second = sql -> linter.lintFile("V2.sql", TIMEOUT + sql).stream()
                .filter(Finding::isError).map(Finding::rule).collect(Collectors.toSet());
        for (String ok : List.of("ALTER TABLE t ALTER COLUMN name TYPE varchar(100);", "ALTER TABLE t ALTER COLUMN name TYPE text;",
                "ALTER TABLE t ALTER COLUMN price TYPE numeric(12,2);", "ALTER TABLE t ALTER COLUMN price TYPE numeric;",
                "ALTER TABLE t ALTER COLUMN at TYPE timestamp(6);", "ALTER TABLE t ALTER COLUMN code SET DATA TYPE varchar;",
                "ALTER TABLE t ALTER COLUMN name TYPE character varying(60);")) {
            linter.lintFile("V0.sql", table); // reset the declared types
            assertEquals(Set.of(), second.apply(ok), ok);
        }
        for (String bad : List.of("ALTER TABLE t ALTER COLUMN id TYPE bigint;", "ALTER TABLE t ALTER COLUMN name TYPE varchar(20);",
                "ALTER TABLE t ALTER COLUMN price TYPE numeric(12,3);", "ALTER TABLE t ALTER COLUMN at TYPE date;",
                "ALTER TABLE t ALTER COLUMN code TYPE varchar(10);", "ALTER TABLE t ALTER COLUMN name TYPE text USING upper(name);")) {
            linter.lintFile("V0.sql", table);
            assertEquals(Set.of("alter-column-type-rewrite"), second.apply(bad), bad);
        }
        // unknown current type: a plausible coercible target is a warning, an impossible one an error
        assertTrue(warnings("ALTER TABLE users ALTER COLUMN x TYPE text;").contains("alter-column-type-rewrite"));
        flags("alter-column-type-rewrite", "ALTER TABLE users ALTER COLUMN id TYPE bigint;");
        // an extension type (citext) cannot be judged: a warning, not an error
        assertTrue(warnings("ALTER TABLE users ALTER COLUMN email TYPE citext;").contains("alter-column-type-rewrite"));
        clean("ALTER TABLE users ALTER COLUMN email TYPE citext;");
    }

    @Test
    void renames() {
        flags("rename-column", "ALTER TABLE users RENAME COLUMN full_name TO display_name;");
        flags("rename-column", "ALTER TABLE users RENAME full_name TO display_name;");
        flags("rename-table", "ALTER TABLE projects RENAME TO workspaces;");
        clean("ALTER TABLE users RENAME CONSTRAINT a TO b;");
        clean("CREATE TABLE t (a int); ALTER TABLE t RENAME COLUMN a TO b;");
    }

    @Test
    void drops() {
        flags("drop-column", "ALTER TABLE users DROP COLUMN legacy;");
        flags("drop-column", "ALTER TABLE users DROP IF EXISTS legacy;");
        flags("drop-table", "DROP TABLE IF EXISTS legacy_imports;");
        clean("ALTER TABLE users DROP CONSTRAINT users_x_check;");
        clean("CREATE TABLE tmp (a int); DROP TABLE tmp;");
    }

    @Test
    void uniqueAndPrimaryKey() {
        flags("add-unique-without-index", "ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);");
        flags("add-unique-without-index", "ALTER TABLE c ADD PRIMARY KEY (id);");
        flags("add-unique-without-index", "ALTER TABLE users ADD COLUMN slug text UNIQUE;");
        clean("ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_idx;");
        clean("ALTER TABLE c ADD CONSTRAINT c_pkey PRIMARY KEY USING INDEX c_id_idx;");
    }

    @Test
    void exclusion() {
        flags("add-exclusion-constraint", "ALTER TABLE bookings ADD CONSTRAINT no_overlap EXCLUDE USING gist (room WITH =, during WITH &&);");
        clean("CREATE TABLE bookings (room int, during tstzrange, EXCLUDE USING gist (room WITH =, during WITH &&));");
    }

    @Test
    void rewrites() {
        flags("vacuum-full", "VACUUM FULL users;");
        flags("vacuum-full", "VACUUM (FULL, ANALYZE) users;");
        clean("VACUUM (ANALYZE) users;");
        clean("VACUUM (FULL false) users;");
        flags("cluster", "CLUSTER users USING users_pkey;");
        clean("CREATE TABLE t (id int); CLUSTER t USING t_pkey;");
        flags("set-tablespace", "ALTER TABLE users SET TABLESPACE fast;");
        flags("set-tablespace", "ALTER INDEX users_pkey SET TABLESPACE fast;");
        clean("ALTER TABLE users SET (fillfactor = 90);");
        flags("set-logged-unlogged", "ALTER TABLE users SET UNLOGGED;");
        flags("set-logged-unlogged", "ALTER TABLE users SET LOGGED;");
        flags("set-access-method", "ALTER TABLE users SET ACCESS METHOD heap2;");
        clean("CREATE TABLE t (id int); ALTER TABLE t SET ACCESS METHOD heap2;");
        clean("ALTER TABLE users ALTER COLUMN email SET STATISTICS 100;");
        clean("CREATE TABLE t (id int); ALTER TABLE t SET LOGGED;");
    }

    @Test
    void lockTimeout() {
        Set<String> without = lint(14, "ALTER TABLE users ADD COLUMN x int;").stream().map(Finding::rule).collect(Collectors.toSet());
        assertEquals(Set.of("missing-lock-timeout"), without);
        assertEquals(List.of(), lint(14, "SET lock_timeout TO '1s';\nALTER TABLE users ADD COLUMN x int;"));
        assertEquals(List.of(), lint(14, "BEGIN;\nSET LOCAL lock_timeout = 1000;\nALTER TABLE users ADD COLUMN x int;\nCOMMIT;"));
        // SET LOCAL ends with the transaction; 0 disables; RESET disables
        assertTrue(rules("BEGIN; SET LOCAL lock_timeout = '1s'; COMMIT; ALTER TABLE users ADD COLUMN x int;").contains("missing-lock-timeout"));
        assertTrue(rules("SET lock_timeout = 0; ALTER TABLE users ADD COLUMN x int;").contains("missing-lock-timeout"));
        assertTrue(rules("SET lock_timeout = '2s'; RESET lock_timeout; ALTER TABLE users ADD COLUMN x int;").contains("missing-lock-timeout"));
        // statements that take no strong lock need none
        assertEquals(List.of(), lint(14, "CREATE INDEX CONCURRENTLY i ON users (email);\nALTER TABLE t2 VALIDATE CONSTRAINT c;\n"
                + "CREATE TABLE t (id int);\nALTER TABLE t ADD COLUMN x int;"));
        // the runner may provide it (Tandem's executor)
        assertEquals(List.of(), new Linter(new LintOptions(14, false, true)).lintFile("m.sql", "ALTER TABLE users ADD COLUMN x int;"));
    }

    static Set<String> rules(String sql) {
        return lint(14, sql).stream().map(Finding::rule).collect(Collectors.toSet());
    }

    @Test
    void longWorkAfterLock() {
        flags("long-work-after-lock", "BEGIN;\nALTER TABLE users ADD COLUMN x int;\nUPDATE users SET x = 1;\nCOMMIT;");
        flags("long-work-after-lock", "BEGIN;\nALTER TABLE users ADD COLUMN x int;\nINSERT INTO audit SELECT * FROM users;\nCOMMIT;");
        flags("long-work-after-lock", "BEGIN;\nALTER TABLE t ADD CONSTRAINT c CHECK (a > 0) NOT VALID;\nALTER TABLE t VALIDATE CONSTRAINT c;\nCOMMIT;");
        flags("long-work-after-lock", "BEGIN;\nLOCK TABLE users;\nDELETE FROM users WHERE x;\nCOMMIT;");
        clean("BEGIN;\nALTER TABLE users ADD COLUMN x int;\nCOMMIT;\nUPDATE users SET x = 1;");
        clean("BEGIN;\nALTER TABLE users ADD COLUMN x int;\nINSERT INTO audit VALUES (1);\nCOMMIT;");
        clean("BEGIN;\nLOCK TABLE users IN ROW EXCLUSIVE MODE;\nUPDATE users SET x = 1;\nCOMMIT;");
        clean("UPDATE users SET x = 1;"); // no lock held: no finding
        Finding f = lint(14, TIMEOUT + "BEGIN;\nALTER TABLE users ADD COLUMN x int;\nUPDATE users SET x = 1;\nCOMMIT;").stream()
                .filter(x -> x.rule().equals("long-work-after-lock")).findFirst().orElseThrow();
        assertEquals(4, f.line());
        assertTrue(f.message().contains("ACCESS EXCLUSIVE on users since line 3"), f.message());
    }

    @Test
    void ignoreComments() {
        clean("-- tandem:ignore create-index-not-concurrent\nCREATE INDEX i ON users (email);");
        clean("CREATE INDEX i ON users (email); -- tandem:ignore create-index-not-concurrent");
        clean("CREATE INDEX /* tandem:ignore create-index-not-concurrent */ i ON users (email);");
        clean("-- tandem:ignore rename-column, drop-column\nALTER TABLE users RENAME COLUMN a TO b, DROP COLUMN c;");
        // only the next statement, only that rule
        flags("create-index-not-concurrent", "-- tandem:ignore create-index-not-concurrent\nCREATE INDEX i ON users (email);\n"
                + "CREATE INDEX j ON users (email);");
        flags("create-index-not-concurrent", "-- tandem:ignore drop-column\nCREATE INDEX i ON users (email);");
        assertTrue(warnings("-- tandem:ignore no-such-rule\nSELECT 1;").contains("unknown-rule"));
        assertEquals(Set.of(), warnings("-- tandem:ignore drop-table\nSELECT 1;"), "a known id is no warning");
    }

    @Test
    void keywordsInStringsCommentsAndDollarQuotesDoNotTrigger() {
        clean("-- CREATE INDEX i ON users (email);\nSELECT 'ALTER TABLE users DROP COLUMN x';");
        clean("/* outer /* nested DROP TABLE users; */ still comment; VACUUM FULL users; */ SELECT 1;");
        clean("DO $do$ BEGIN EXECUTE 'ALTER TABLE users DROP COLUMN x'; ALTER TABLE users RENAME TO x; END $do$;");
        clean("CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1; $$;");
        clean("SELECT E'it\\'s; DROP TABLE users;' AS s;");
        clean("SELECT \"DROP TABLE users;\" FROM t;");
        clean("ALTER TABLE users ADD CONSTRAINT c CHECK (note <> 'NOT VALID') NOT VALID;");
        flags("check-without-not-valid", "ALTER TABLE users ADD CONSTRAINT c CHECK (note <> ' NOT VALID');");
        // a statement after a dollar-quoted body is still seen, at the right line
        List<Finding> fs = lint(14, TIMEOUT + "CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n  RETURN NEW;\nEND $$;\n"
                + "CREATE INDEX i ON users (email);");
        assertEquals(1, fs.size(), fs.toString());
        assertEquals(6, fs.get(0).line());
        assertEquals(1, fs.get(0).column());
        // psql meta-commands are skipped, the statement after them is judged
        List<Finding> psql = lint(14, TIMEOUT + "\\set ON_ERROR_STOP on\nCREATE INDEX i ON users (email);");
        assertEquals(List.of("create-index-not-concurrent"), psql.stream().map(Finding::rule).toList());
        assertEquals(3, psql.get(0).line());
        // BEGIN ATOMIC bodies contain semicolons
        clean("CREATE FUNCTION g() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT CASE WHEN true THEN 1 END; SELECT 2; END;\nSELECT 1;");
    }

    @Test
    void unterminatedLiteralIsASyntaxError() {
        List<Finding> fs = lint(14, "SELECT 1;\nSELECT 'oops;\n");
        assertEquals("syntax", fs.get(0).rule());
        assertEquals(2, fs.get(0).line());
        assertEquals(8, fs.get(0).column());
        assertEquals(Severity.ERROR, fs.get(0).severity());
        assertTrue(rules("SELECT $a$ x $b$;").contains("syntax"));
        assertTrue(rules("/* a /* b */ SELECT 1;").contains("syntax"));
        assertFalse(rules("SELECT 'a''b', \"x\"\"y\", E'\\\\' ;").contains("syntax"));
    }

    @Test
    void positionsPointAtTheOffendingToken() {
        List<Finding> fs = lint(14, TIMEOUT + "ALTER TABLE users\n  ADD COLUMN a int,\n  ADD COLUMN t uuid DEFAULT gen_random_uuid();");
        assertEquals(1, fs.size(), fs.toString());
        assertEquals(4, fs.get(0).line());
        assertEquals(21, fs.get(0).column());
        assertTrue(fs.get(0).message().contains("users.t"), fs.get(0).message());
        // a snippet reports positions in its file
        List<Finding> snippet = new Linter(new LintOptions(14, false, true)).lintSnippet("c.yaml", "SELECT 1;\nDROP TABLE x;", 7, 12);
        assertEquals(8, snippet.get(0).line());
        assertEquals(12, snippet.get(0).column(), "the dropped table's name, on the snippet's second line");
    }

    @Test
    void safeMigrationHasNoFindings() {
        String safe = """
                SET lock_timeout = '2s';
                ALTER TABLE users ADD COLUMN slug text;
                CREATE INDEX CONCURRENTLY users_slug_idx ON users (slug);
                ALTER TABLE users ADD CONSTRAINT users_slug_nn CHECK (slug IS NOT NULL) NOT VALID;
                ALTER TABLE users VALIDATE CONSTRAINT users_slug_nn;
                ALTER TABLE users ALTER COLUMN slug SET NOT NULL;
                CREATE UNIQUE INDEX CONCURRENTLY users_slug_key_idx ON users (slug);
                ALTER TABLE users ADD CONSTRAINT users_slug_key UNIQUE USING INDEX users_slug_key_idx;
                ALTER TABLE tasks ADD CONSTRAINT tasks_owner_fkey FOREIGN KEY (owner) REFERENCES users (id) NOT VALID;
                ALTER TABLE tasks VALIDATE CONSTRAINT tasks_owner_fkey;
                """;
        assertEquals(List.of(), lint(14, safe));
    }
}
