package dev.tandem.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.plan.Phase;
import dev.tandem.sql.Names;
import dev.tandem.sql.QualifiedName;
import dev.tandem.testing.Db;
import dev.tandem.testing.LifecycleDriver;
import dev.tandem.testing.PhaseWalk;
import dev.tandem.testing.SampleDatabaseTest;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code change_column_type} through every phase on a real PostgreSQL, with {@link PhaseWalk}:
 * {@code tasks.priority} integer → bigint (with its CHECK and default), and {@code comments.id}
 * integer → bigint (identity primary key) together with {@code comment_reactions.comment_id} that
 * references it. Both application versions write the same column names; after every phase each
 * writes, the constraints still hold, the foreign key is still enforced and keys keep coming from
 * the sequence.
 */
class ChangeTypeLifecycleTest extends SampleDatabaseTest {
    static final int USERS = 60;

    ChangeTypeLifecycleTest() {
        super("retype_", USERS);
    }

    @TempDir
    Path changelog;


    // ------------------------------------------------------------------ tasks.priority

    static final String PRIORITY_ID = "0001_priority_bigint";

    @Test
    @DisplayName("tasks.priority integer -> bigint: every phase rolls back exactly; CHECK and default hold in every phase")
    void priorityToBigint() throws SQLException {
        LifecycleDriver tandem = LifecycleDriver.forMigration(db, changelog, PRIORITY_ID, """
                description: tasks.priority becomes bigint
                changes:
                  - change_column_type: {table: tasks, column: priority, type: bigint}
                """);
        String shadow = Names.bounded("tandem_new", PRIORITY_ID, "priority");
        String old = Names.bounded("tandem_old", PRIORITY_ID, "priority");
        List<String> columnsBefore = columns("tasks");
        PhaseWalk.run(tandem, c, List.of("public"), new PhaseWalk.Checks() {
            @Override
            public void afterPhase(Phase p) throws SQLException {
                boolean swapped = p.ordinal() >= Phase.SWITCH_READS.ordinal();
                boolean synced = p.ordinal() >= Phase.DUAL_WRITE.ordinal() && p.ordinal() <= Phase.SWITCH_READS.ordinal();
                assertEquals(swapped ? "bigint" : "integer", type("tasks", "priority"), "type of priority after " + p);
                String other = swapped ? old : shadow;
                List<Object> mine = new ArrayList<>();
                try {
                    Object a = scalar("INSERT INTO tasks (project_id, title, priority) SELECT id, 'explicit', 4 FROM projects LIMIT 1 RETURNING id");
                    Object b = scalar("INSERT INTO tasks (project_id, title) SELECT id, 'default' FROM projects LIMIT 1 RETURNING id");
                    mine.add(a);
                    mine.add(b);
                    assertEquals(4L, num("SELECT priority FROM tasks WHERE id = '" + a + "'"));
                    assertEquals(1L, num("SELECT priority FROM tasks WHERE id = '" + b + "'"), "the default after " + p);
                    exec("UPDATE tasks SET priority = 5 WHERE id = '" + b + "'");
                    if (synced) {
                        assertEquals(4L, num("SELECT " + q(other) + " FROM tasks WHERE id = '" + a + "'"), "synced insert after " + p);
                        assertEquals(5L, num("SELECT " + q(other) + " FROM tasks WHERE id = '" + b + "'"), "synced update after " + p);
                    }
                    assertThrows(SQLException.class, () -> exec("UPDATE tasks SET priority = 9 WHERE id = '" + a + "'"),
                            "the priority CHECK still holds after " + p);
                    assertThrows(SQLException.class, () -> exec("UPDATE tasks SET priority = NULL WHERE id = '" + a + "'"),
                            "NOT NULL still holds after " + p);
                    if (p.ordinal() >= Phase.BACKFILL.ordinal() && p.ordinal() <= Phase.SWITCH_READS.ordinal()) {
                        assertEquals(0L, num("SELECT count(*) FROM tasks WHERE " + q(other) + " IS DISTINCT FROM priority"),
                                "every row synced after " + p);
                    }
                } finally {
                    for (Object id : mine) {
                        exec("DELETE FROM tasks WHERE id = '" + id + "'");
                    }
                }
            }

            @Override
            public Map<QualifiedName, Set<String>> excludedData(Phase phase) {
                return phase == Phase.BACKFILL ? Map.of(new QualifiedName("public", "tasks"), Set.of(shadow)) : Map.of();
            }

            @Override
            public void afterPurge() throws SQLException {
                List<String> expected = new ArrayList<>(columnsBefore);
                expected.remove("priority");
                expected.add("priority");
                assertEquals(expected, columns("tasks"), "priority is the last column after purge");
                assertEquals("bigint", type("tasks", "priority"));
                assertEquals("(1)::bigint", scalar("SELECT pg_get_expr(adbin, adrelid) FROM pg_attrdef WHERE adrelid = 'tasks'::regclass"
                        + " AND adnum = (SELECT attnum FROM pg_attribute WHERE attrelid = 'tasks'::regclass AND attname = 'priority')"));
                assertEquals("CHECK (((priority >= 1) AND (priority <= 5)))", scalar(
                        "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'tasks'::regclass AND conname = 'tasks_priority_check'"));
                assertEquals(0L, num("SELECT count(*) FROM pg_constraint WHERE conrelid = 'tasks'::regclass AND conname LIKE 'tandem%'"));
                assertEquals(Boolean.TRUE, scalar("SELECT attnotnull FROM pg_attribute WHERE attrelid = 'tasks'::regclass AND attname = 'priority'"));
                assertEquals(0L, num("SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'tandem%'"));
            }
        });
    }

    // ------------------------------------------------------------------ comments.id and comment_reactions.comment_id

    static final String COMMENTS_ID = "0001_comments_id_bigint";
    static final String COMMENTS_YAML = """
            description: comments.id and the key that references it become bigint
            changes:
              - change_column_type: {table: comments, column: id, type: bigint}
              - change_column_type: {table: comment_reactions, column: comment_id, type: bigint}
            """;

    @Test
    @DisplayName("comments.id int -> bigint identity key with its referencing comment_reactions.comment_id: every phase rolls back exactly")
    void commentsKeyToBigint() throws SQLException {
        LifecycleDriver tandem = LifecycleDriver.forMigration(db, changelog, COMMENTS_ID, COMMENTS_YAML);
        String shadowId = Names.bounded("tandem_new", COMMENTS_ID, "id");
        String shadowRef = Names.bounded("tandem_new", COMMENTS_ID, "comment_id");
        long[] lastKey = {num("SELECT max(id) FROM comments")};
        PhaseWalk.run(tandem, c, List.of("public"), new PhaseWalk.Checks() {
            @Override
            public void afterPhase(Phase p) throws SQLException {
                boolean swapped = p.ordinal() >= Phase.SWITCH_READS.ordinal();
                assertEquals(swapped ? "bigint" : "integer", type("comments", "id"), "comments.id after " + p);
                assertEquals(swapped ? "bigint" : "integer", type("comment_reactions", "comment_id"), "comment_id after " + p);
                long key = num("INSERT INTO comments (task_id, author_id, body) SELECT t.id, u.id, 'old app, phase " + p + "'"
                        + " FROM tasks t, users u LIMIT 1 RETURNING id");
                // the new application version, which says so on its session (a same-name type change ignores it)
                exec("SET tandem.version = 'new'");
                long newKey;
                try {
                    newKey = num("INSERT INTO comments (task_id, author_id, body) SELECT t.id, u.id, 'new app, phase " + p + "'"
                            + " FROM tasks t, users u LIMIT 1 RETURNING id");
                } finally {
                    exec("RESET tandem.version");
                }
                try {
                    assertTrue(key > lastKey[0], "the sequence continues after " + p + ": " + key + " > " + lastKey[0]);
                    assertTrue(newKey > key, "the new app's insert gets the next key after " + p);
                    lastKey[0] = newKey;
                    exec("UPDATE comments SET body = 'edited' WHERE id = " + newKey);
                    if (p == Phase.DUAL_WRITE || p == Phase.BACKFILL) {
                        assertEquals(newKey, num("SELECT " + q(shadowId) + " FROM comments WHERE id = " + newKey), "synced new-app key after " + p);
                    }
                    long reaction = num("INSERT INTO comment_reactions (comment_id, user_id, emoji) SELECT " + key + ", id, 'ok' FROM users LIMIT 1 RETURNING id");
                    assertEquals(key, num("SELECT comment_id FROM comment_reactions WHERE id = " + reaction));
                    SQLException fk = assertThrows(SQLException.class, () -> exec(
                            "INSERT INTO comment_reactions (comment_id, user_id, emoji) SELECT -1, id, 'x' FROM users LIMIT 1"),
                            "the foreign key is still enforced after " + p);
                    assertEquals("23503", fk.getSQLState());
                    assertThrows(SQLException.class, () -> exec("INSERT INTO comments (id, task_id, author_id, body) SELECT "
                            + key + ", t.id, u.id, 'dup' FROM tasks t, users u LIMIT 1"), "the primary key still holds after " + p);
                    if (p == Phase.DUAL_WRITE || p == Phase.BACKFILL) {
                        assertEquals(key, num("SELECT " + q(shadowId) + " FROM comments WHERE id = " + key), "synced key after " + p);
                        assertEquals(key, num("SELECT " + q(shadowRef) + " FROM comment_reactions WHERE id = " + reaction));
                    }
                    if (p == Phase.CONTRACT) {
                        // only now can the new application use keys beyond integer
                        long big = 3_000_000_000L;
                        exec("INSERT INTO comments (id, task_id, author_id, body) SELECT " + big + ", t.id, u.id, 'big' FROM tasks t, users u LIMIT 1");
                        exec("INSERT INTO comment_reactions (comment_id, user_id, emoji) SELECT " + big + ", id, 'big' FROM users LIMIT 1");
                        exec("DELETE FROM comments WHERE id = " + big);
                        assertEquals(0L, num("SELECT count(*) FROM comment_reactions WHERE comment_id = " + big), "ON DELETE CASCADE after " + p);
                    }
                } finally {
                    exec("DELETE FROM comments WHERE id IN (" + key + ", " + newKey + ")"); // cascades to the reaction
                }
                assertEquals(0L, num("SELECT count(*) FROM comment_reactions WHERE comment_id = " + key), "ON DELETE CASCADE after " + p);
            }

            @Override
            public Map<QualifiedName, Set<String>> excludedData(Phase phase) {
                return phase == Phase.BACKFILL
                        ? Map.of(new QualifiedName("public", "comments"), Set.of(shadowId),
                                new QualifiedName("public", "comment_reactions"), Set.of(shadowRef))
                        : Map.of();
            }

            @Override
            public void afterPurge() throws SQLException {
                assertEquals("bigint", type("comments", "id"));
                assertEquals("bigint", type("comment_reactions", "comment_id"));
                assertEquals("d", scalar("SELECT attidentity::text FROM pg_attribute WHERE attrelid = 'comments'::regclass AND attname = 'id'"));
                assertEquals("bigint", scalar("SELECT format_type(seqtypid, NULL) FROM pg_sequence WHERE seqrelid = pg_get_serial_sequence('comments', 'id')::regclass"));
                assertEquals("public.comments_id_seq", scalar("SELECT pg_get_serial_sequence('comments', 'id')"));
                assertEquals("PRIMARY KEY (id)", scalar("SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = 'comments_pkey'"));
                assertEquals(Boolean.TRUE, scalar("SELECT convalidated FROM pg_constraint WHERE conname = 'comment_reactions_comment_id_fkey'"));
                long key = num("INSERT INTO comments (task_id, author_id, body) SELECT t.id, u.id, 'after purge' FROM tasks t, users u LIMIT 1 RETURNING id");
                assertTrue(key > lastKey[0], "the sequence continues after purge");
                exec("SELECT setval('comments_id_seq', 5000000000)");
                assertEquals(5000000001L, num("INSERT INTO comments (task_id, author_id, body) SELECT t.id, u.id, 'beyond int' FROM tasks t, users u LIMIT 1 RETURNING id"));
                assertEquals(List.of("comment_reactions_comment_id_idx", "comment_reactions_pkey"), indexes("comment_reactions"));
                assertEquals(List.of("comments_pkey", "comments_task_id_idx"), indexes("comments"));
            }
        });
    }

    @Test
    @DisplayName("the swap rewrites nothing and builds no index: every relfilenode survives, the key index is the backfilled copy")
    void swapRewritesNothing() throws SQLException {
        LifecycleDriver tandem = LifecycleDriver.forMigration(db, changelog, COMMENTS_ID, COMMENTS_YAML);
        tandem.apply(Phase.BACKFILL);
        String copy = Names.bounded("tandem_new", COMMENTS_ID, "comments_pkey");
        java.util.Map<String, Long> before = fileNodes();
        long copyNode = before.get(copy);
        String refCopy = Names.bounded("tandem_new", COMMENTS_ID, "comment_reactions_comment_id_idx");
        assertTrue(before.containsKey(refCopy) && before.containsKey("comments") && before.containsKey("comment_reactions"), before.toString());
        tandem.advance(Phase.SWITCH_READS);
        java.util.Map<String, Long> after = fileNodes();
        assertEquals(before.get("comments"), after.get("comments"), "comments was not rewritten");
        assertEquals(before.get("comment_reactions"), after.get("comment_reactions"), "comment_reactions was not rewritten");
        assertEquals(copyNode, after.get("comments_pkey"), "the primary key is the index built CONCURRENTLY during backfill");
        assertEquals(before.get("comments_task_id_idx"), after.get("comments_task_id_idx"));
        assertEquals(before.get(refCopy), after.get("comment_reactions_comment_id_idx"),
                "the copied index took the original name, not rebuilt");
    }

    private java.util.Map<String, Long> fileNodes() throws SQLException {
        java.util.Map<String, Long> m = new java.util.TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT relname::text, relfilenode::bigint FROM pg_class"
                + " WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'i')"); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                m.put(rs.getString(1), rs.getLong(2));
            }
        }
        return m;
    }

    // ------------------------------------------------------------------ serial key and a referenced unique column

    @Test
    @DisplayName("a serial key and a unique column referenced by another table's foreign key, on one table in one migration")
    void serialKeyAndReferencedUniqueColumn() throws SQLException {
        exec("CREATE TABLE tags (id serial PRIMARY KEY, code varchar(10) NOT NULL UNIQUE, weight integer CHECK (weight > 0))");
        exec("CREATE TABLE tag_links (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
                + " tag_code varchar(10) NOT NULL REFERENCES tags (code) ON UPDATE CASCADE)");
        exec("INSERT INTO tags (code, weight) SELECT 't' || g, g FROM generate_series(1, 50) g");
        exec("INSERT INTO tag_links (tag_code) SELECT 't' || (g % 50 + 1) FROM generate_series(1, 80) g");
        String id = "0001_tags";
        LifecycleDriver tandem = LifecycleDriver.forMigration(db, changelog, id, """
                changes:
                  - change_column_type: {table: tags, column: id, type: bigint}
                  - change_column_type: {table: tags, column: code, type: text}
                """);
        long[] lastKey = {num("SELECT max(id) FROM tags")};
        PhaseWalk.run(tandem, c, List.of("public"), new PhaseWalk.Checks() {
            @Override
            public void afterPhase(Phase p) throws SQLException {
                boolean swapped = p.ordinal() >= Phase.SWITCH_READS.ordinal();
                assertEquals(swapped ? "bigint" : "integer", type("tags", "id"));
                assertEquals(swapped ? "text" : "character varying(10)", type("tags", "code"));
                long key = num("INSERT INTO tags (code, weight) VALUES ('x-" + p.ordinal() + "', 3) RETURNING id");
                try {
                    assertTrue(key > lastKey[0], "the serial sequence continues after " + p);
                    lastKey[0] = key;
                    exec("INSERT INTO tag_links (tag_code) VALUES ('x-" + p.ordinal() + "')");
                    assertThrows(SQLException.class, () -> exec("INSERT INTO tags (code, weight) VALUES ('x-" + p.ordinal() + "', 1)"),
                            "code is still unique after " + p);
                    assertThrows(SQLException.class, () -> exec("INSERT INTO tag_links (tag_code) VALUES ('nope')"),
                            "the foreign key to tags.code is still enforced after " + p);
                    assertThrows(SQLException.class, () -> exec("UPDATE tags SET weight = 0 WHERE id = " + key), "the check holds after " + p);
                    exec("UPDATE tags SET code = 'y-" + p.ordinal() + "' WHERE id = " + key);
                    assertEquals(1L, num("SELECT count(*) FROM tag_links WHERE tag_code = 'y-" + p.ordinal() + "'"), "ON UPDATE CASCADE after " + p);
                } finally {
                    exec("DELETE FROM tag_links WHERE tag_code IN ('x-" + p.ordinal() + "', 'y-" + p.ordinal() + "')");
                    exec("DELETE FROM tags WHERE id = " + key);
                }
            }

            @Override
            public Map<QualifiedName, Set<String>> excludedData(Phase phase) {
                return phase == Phase.BACKFILL ? Map.of(new QualifiedName("public", "tags"),
                        Set.of(Names.bounded("tandem_new", id, "id"), Names.bounded("tandem_new", id, "code"))) : Map.of();
            }

            @Override
            public void afterPurge() throws SQLException {
                assertEquals(List.of("weight", "id", "code"), columns("tags"));
                assertEquals("public.tags_id_seq", scalar("SELECT pg_get_serial_sequence('tags', 'id')"));
                assertEquals("bigint", scalar("SELECT format_type(seqtypid, NULL) FROM pg_sequence WHERE seqrelid = 'tags_id_seq'::regclass"));
                assertEquals(List.of("tags_code_key", "tags_pkey"), indexes("tags"));
                assertEquals(Boolean.TRUE, scalar("SELECT convalidated FROM pg_constraint WHERE conname = 'tag_links_tag_code_fkey'"));
                assertTrue(num("INSERT INTO tags (code, weight) VALUES ('after', 1) RETURNING id") > lastKey[0]);
            }
        });
    }

    // ------------------------------------------------------------------ helpers

    private static String q(String ident) {
        return dev.tandem.sql.Ident.quote(ident);
    }

    private void exec(String sql) throws SQLException {
        Db.exec(c, sql);
    }

    private Object scalar(String sql) throws SQLException {
        return Db.scalar(c, sql);
    }

    private long num(String sql) throws SQLException {
        Object v = Db.scalar(c, sql);
        assertFalse(v == null, "no value from " + sql);
        return ((Number) v).longValue();
    }

    private String type(String table, String column) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT format_type(atttypid, atttypmod) FROM pg_attribute"
                + " WHERE attrelid = ?::regclass AND attname = ? AND NOT attisdropped")) {
            ps.setString(1, table);
            ps.setString(2, column);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private List<String> columns(String table) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT attname FROM pg_attribute WHERE attrelid = ?::regclass"
                + " AND attnum > 0 AND NOT attisdropped ORDER BY attnum")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    private List<String> indexes(String table) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT indexrelid::regclass::text FROM pg_index WHERE indrelid = ?::regclass ORDER BY 1")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

}
