package dev.tandem.cli.render;

import java.util.Objects;

/**
 * The factory for {@link PlanRenderer}s. Each format has one stateless, thread-safe instance:
 * <ul>
 *   <li>{@link Format#TEXT}: for a terminal; per migration and phase, numbered steps with lock,
 *       table, scan/rewrite/transaction flags, SQL and rollback SQL, deploy notes, purge and
 *       warnings. Plain text, no ANSI colours.</li>
 *   <li>{@link Format#JSON}: {@code {"migrations":[...]}}, each element
 *       {@link dev.tandem.plan.PlanCodec#toMap(dev.tandem.plan.MigrationPlan)}, pretty printed.</li>
 *   <li>{@link Format#SQL}: a script per migration with phase comments, each statement terminated by
 *       {@code ;}; backfills, purge and rollbacks are present but commented out, so that feeding the
 *       script to psql can never run a backfill in one huge statement, destroy data or undo what it
 *       just did.</li>
 *   <li>{@link Format#MARKDOWN}: a pull-request comment, one table of steps and one {@code sql} code
 *       block per phase.</li>
 * </ul>
 */
public final class PlanRenderers {
    private static final PlanRenderer TEXT = new TextPlanRenderer();
    private static final PlanRenderer JSON = new JsonPlanRenderer();
    private static final PlanRenderer SQL = new SqlPlanRenderer();
    private static final PlanRenderer MARKDOWN = new MarkdownPlanRenderer();

    private PlanRenderers() {}

    /** The renderer for {@code format}. */
    public static PlanRenderer forFormat(Format format) {
        Objects.requireNonNull(format, "format");
        return switch (format) {
            case TEXT -> TEXT;
            case JSON -> JSON;
            case SQL -> SQL;
            case MARKDOWN -> MARKDOWN;
        };
    }
}
