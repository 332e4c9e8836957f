package dev.tandem.demo;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.SplittableRandom;
import java.util.UUID;

/** The three scenario workloads. Each keeps its SQL in plain sight: this is what the application runs. */
final class Workloads {
    private Workloads() {}

    /** users.full_name → display_name: old clients use full_name, new clients display_name. */
    static final class Users implements Workload {
        private Keys ids;

        @Override
        public void prepare(Connection c) throws SQLException {
            ids = Keys.sample(c, "users", "id", 5000);
        }

        @Override
        public void execute(Connection c, Op op, Version v, SplittableRandom rnd) throws SQLException {
            String name = v == Version.OLD ? "full_name" : "display_name";
            switch (op) {
                case READ -> {
                    try (PreparedStatement ps = c.prepareStatement("SELECT id, email, " + name + " FROM users WHERE id = ?")) {
                        ps.setObject(1, ids.any(rnd));
                        drain(ps);
                    }
                }
                case INSERT -> {
                    try (PreparedStatement ps = c.prepareStatement("INSERT INTO users (email, " + name + ", password_hash) VALUES (?, ?, ?)")) {
                        ps.setString(1, "app-" + new UUID(rnd.nextLong(), rnd.nextLong()) + "@demo.test");
                        ps.setString(2, "App User " + rnd.nextInt(1_000_000));
                        ps.setString(3, "sha256:demo");
                        ps.executeUpdate();
                    }
                }
                case UPDATE -> {
                    try (PreparedStatement ps = c.prepareStatement("UPDATE users SET " + name + " = ? WHERE id = ?")) {
                        ps.setString(1, "Renamed " + rnd.nextInt(1_000_000));
                        ps.setObject(2, ids.any(rnd));
                        ps.executeUpdate();
                    }
                }
            }
        }
    }

    /**
     * comments.id int → bigint (and comment_reactions.comment_id): both versions send the same SQL;
     * the old one binds and reads the key as int, the new one as bigint.
     */
    static final class Comments implements Workload {
        private Keys ids;
        private Keys tasks;
        private Keys users;

        @Override
        public void prepare(Connection c) throws SQLException {
            ids = Keys.sample(c, "comments", "id", 5000);
            tasks = Keys.sample(c, "tasks", "id", 1000);
            users = Keys.sample(c, "users", "id", 1000);
        }

        @Override
        public void execute(Connection c, Op op, Version v, SplittableRandom rnd) throws SQLException {
            switch (op) {
                case READ -> {
                    try (PreparedStatement ps = c.prepareStatement("SELECT c.id, c.body, count(r.id) FROM comments c"
                            + " LEFT JOIN comment_reactions r ON r.comment_id = c.id WHERE c.id = ? GROUP BY c.id, c.body")) {
                        bindKey(ps, 1, v, ids.any(rnd));
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                long id = v == Version.OLD ? rs.getInt(1) : rs.getLong(1);
                                rs.getString(2);
                                if (id <= 0) {
                                    throw new SQLException("unexpected comment id " + id);
                                }
                            }
                        }
                    }
                }
                case INSERT -> {
                    try (PreparedStatement ps = c.prepareStatement("WITH c AS (INSERT INTO comments (task_id, author_id, body)"
                            + " VALUES (?, ?, ?) RETURNING id) INSERT INTO comment_reactions (comment_id, user_id, emoji)"
                            + " SELECT id, ?, '👍' FROM c")) {
                        ps.setObject(1, tasks.any(rnd));
                        Object author = users.any(rnd);
                        ps.setObject(2, author);
                        ps.setString(3, "App comment " + rnd.nextInt(1_000_000));
                        ps.setObject(4, author);
                        ps.executeUpdate();
                    }
                }
                case UPDATE -> {
                    try (PreparedStatement ps = c.prepareStatement("UPDATE comments SET body = ? WHERE id = ?")) {
                        ps.setString(1, "Edited " + rnd.nextInt(1_000_000));
                        bindKey(ps, 2, v, ids.any(rnd));
                        ps.executeUpdate();
                    }
                }
            }
        }

        private static void bindKey(PreparedStatement ps, int index, Version v, Object key) throws SQLException {
            long k = ((Number) key).longValue();
            if (v == Version.OLD) {
                ps.setInt(index, (int) k);
            } else {
                ps.setLong(index, k);
            }
        }
    }

    /** tasks.public_id (new, NOT NULL, computed for existing rows): old clients never mention it, new ones write and read it. */
    static final class Tasks implements Workload {
        private Keys ids;
        private Keys projects;

        @Override
        public void prepare(Connection c) throws SQLException {
            ids = Keys.sample(c, "tasks", "id", 5000);
            projects = Keys.sample(c, "projects", "id", 1000);
        }

        @Override
        public void execute(Connection c, Op op, Version v, SplittableRandom rnd) throws SQLException {
            switch (op) {
                case READ -> {
                    String cols = v == Version.OLD ? "id, title, status" : "id, title, status, public_id";
                    try (PreparedStatement ps = c.prepareStatement("SELECT " + cols + " FROM tasks WHERE id = ?")) {
                        ps.setObject(1, ids.any(rnd));
                        drain(ps);
                    }
                }
                case INSERT -> {
                    String sql = v == Version.OLD
                            ? "INSERT INTO tasks (project_id, title) VALUES (?, ?)"
                            : "INSERT INTO tasks (project_id, title, public_id) VALUES (?, ?, gen_random_uuid())";
                    try (PreparedStatement ps = c.prepareStatement(sql)) {
                        ps.setObject(1, projects.any(rnd));
                        ps.setString(2, "App task " + rnd.nextInt(1_000_000));
                        ps.executeUpdate();
                    }
                }
                case UPDATE -> {
                    try (PreparedStatement ps = c.prepareStatement("UPDATE tasks SET title = ? WHERE id = ?")) {
                        ps.setString(1, "Retitled " + rnd.nextInt(1_000_000));
                        ps.setObject(2, ids.any(rnd));
                        ps.executeUpdate();
                    }
                }
            }
        }
    }

    private static void drain(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                for (int i = 1; i <= n; i++) {
                    rs.getObject(i);
                }
            }
        }
    }
}
