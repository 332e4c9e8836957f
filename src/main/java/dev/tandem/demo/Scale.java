package dev.tandem.demo;

/**
 * How much sample data {@code tandem demo} loads ({@code --scale}). The users table carries the
 * rename scenario, tasks the not-null one, comments (2 per user) the bigint one.
 * <p>Load times on a 2-core machine: small a few seconds, medium under a minute, large several
 * minutes (10M tasks).
 */
public enum Scale {
    SMALL(2_000, 5),
    MEDIUM(100_000, 10),
    LARGE(1_000_000, 10);

    private final int users;
    private final int tasksPerUser;

    Scale(int users, int tasksPerUser) {
        this.users = users;
        this.tasksPerUser = tasksPerUser;
    }

    public int users() {
        return users;
    }

    public int tasksPerUser() {
        return tasksPerUser;
    }

    public long tasks() {
        return (long) users * tasksPerUser;
    }

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
