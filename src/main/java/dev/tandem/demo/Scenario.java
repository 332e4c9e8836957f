package dev.tandem.demo;

import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The changes {@code tandem demo --scenario} can make under traffic: the Tandem migration (a
 * changelog shipped in the jar), the application traffic that exercises it, and the naive DDL a
 * team would otherwise run.
 * <p>{@code bigint} and {@code not-null} need the {@code change_column_type} and {@code add_column}
 * intents; a build without them refuses the scenario with exit 2 (see {@link Demo}).
 */
public enum Scenario {
    RENAME("rename", "0001_rename_full_name", "changelogs/0001_rename_full_name.yaml", "rename_column",
            "users.full_name -> display_name", List.of("users"), Workloads.Users::new,
            List.of("ALTER TABLE users RENAME COLUMN full_name TO display_name")),
    BIGINT("bigint", "0001_widen_comment_ids", "dev/tandem/demo/scenarios/0001_widen_comment_ids.yaml", "change_column_type",
            "comments.id and comment_reactions.comment_id integer -> bigint", List.of("comments", "comment_reactions"),
            Workloads.Comments::new,
            List.of("ALTER TABLE comments ALTER COLUMN id TYPE bigint",
                    "ALTER TABLE comment_reactions ALTER COLUMN comment_id TYPE bigint")),
    NOT_NULL("not-null", "0001_add_task_public_id", "dev/tandem/demo/scenarios/0001_add_task_public_id.yaml", "add_column",
            "tasks.public_id uuid NOT NULL, computed for existing rows", List.of("tasks"), Workloads.Tasks::new,
            List.of("ALTER TABLE tasks ADD COLUMN public_id uuid NOT NULL DEFAULT gen_random_uuid()"));

    private final String wireName;
    private final String migrationId;
    private final String resource;
    private final String intent;
    private final String summary;
    private final List<String> backfilledTables;
    private final Supplier<Workload> workload;
    private final List<String> naiveDdl;

    Scenario(String wireName, String migrationId, String resource, String intent, String summary,
             List<String> backfilledTables, Supplier<Workload> workload, List<String> naiveDdl) {
        this.wireName = wireName;
        this.migrationId = migrationId;
        this.resource = resource;
        this.intent = intent;
        this.summary = summary;
        this.backfilledTables = backfilledTables;
        this.workload = workload;
        this.naiveDdl = naiveDdl;
    }

    /** The name on the command line: rename, bigint, not-null. */
    public String wireName() {
        return wireName;
    }

    public static Scenario of(String name) {
        for (Scenario s : values()) {
            if (s.wireName.equals(name.toLowerCase(Locale.ROOT))) {
                return s;
            }
        }
        throw dev.tandem.TandemException.badInput("unknown scenario '" + name + "' (known: rename, bigint, not-null)");
    }

    public String migrationId() {
        return migrationId;
    }

    /** The migration file's text. */
    public String changelog() {
        return SampleData.resource(resource);
    }

    /** The intent the scenario's migration uses. */
    public String intent() {
        return intent;
    }

    public String summary() {
        return summary;
    }

    /** Tables whose rows the backfill copies (their row count over the backfill's time is its rows/s). */
    public List<String> backfilledTables() {
        return backfilledTables;
    }

    Workload newWorkload() {
        return workload.get();
    }

    /** What a team would run instead (in one transaction, search_path = the demo schema). */
    public List<String> naiveDdl() {
        return naiveDdl;
    }
}
