package dev.tandem.source;

import dev.tandem.TandemException;
import dev.tandem.intent.Intent;
import dev.tandem.intent.Migration;
import dev.tandem.intent.Position;
import dev.tandem.source.translate.ChangeTranslator;
import dev.tandem.source.translate.SqlChangeTranslator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import liquibase.ChecksumVersion;
import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.Scope;
import liquibase.change.Change;
import liquibase.change.core.RawSQLChange;
import liquibase.change.core.SQLFileChange;
import liquibase.changelog.ChangeLogParameters;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.changelog.filter.ChangeSetFilter;
import liquibase.changelog.filter.ContextChangeSetFilter;
import liquibase.changelog.filter.DbmsChangeSetFilter;
import liquibase.changelog.filter.LabelChangeSetFilter;
import liquibase.database.core.PostgresDatabase;
import liquibase.parser.ChangeLogParser;
import liquibase.parser.ChangeLogParserFactory;
import liquibase.resource.DirectoryResourceAccessor;
import liquibase.ui.LoggerUIService;

/**
 * A Liquibase root changelog (XML, YAML, JSON or formatted SQL, with {@code include} and
 * {@code includeAll}) parsed by liquibase-core's own parsers. Each changeSet that passes the
 * contexts, labels and dbms filters is one migration, in Liquibase's order; its id is
 * {@code FILENAME::ID::AUTHOR} (FILENAME as Liquibase stores it) and its checksum is
 * liquibase-core's. Structured changes go through {@link ChangeTranslator}, SQL through
 * {@link SqlChangeTranslator}; any other change type is refused at the changeSet's file:line.
 *
 * <p>File names: when the root changelog is given as a relative path inside the working
 * directory, the working directory is the search path and FILENAME is the path as given (as the
 * Liquibase command line does); otherwise the root's folder is the search path. Run Liquibase with
 * the same search path, or FILENAMEs differ and both tools think the other ran nothing.
 *
 * <p>It does not support {@code runAlways} changeSets, preconditions (ignored), change-log
 * parameters beyond Liquibase's defaults, or data changes.
 */
public final class LiquibaseSource implements ChangelogSource {
    static {
        System.setProperty("liquibase.analytics.enabled", "false");
        System.setProperty("liquibase.showBanner", "false");
        java.util.logging.Logger.getLogger("liquibase").setLevel(java.util.logging.Level.WARNING);
    }

    /** One changeSet: its migration, or why Tandem refuses it (raised only if it is still to run). */
    record Item(String id, Optional<Migration> migration, Optional<TandemException> refusal) {}

    private final List<Item> items;
    private final Map<String, LiquibaseEntry> entries;

    private LiquibaseSource(List<Item> items, Map<String, LiquibaseEntry> entries) {
        this.items = List.copyOf(items);
        this.entries = Map.copyOf(entries);
    }

    /** One changeSet that passed the filters, where it starts, and the search-path folder. */
    record Located(ChangeSet changeSet, Position at, Path root) {}

    /** Parses the root changelog at {@code path}; every problem is a BAD_INPUT naming the file. */
    public static LiquibaseSource read(Path path, SourceOptions options) {
        List<Item> out = new ArrayList<>();
        Map<String, LiquibaseEntry> entries = new LinkedHashMap<>();
        for (Located l : parse(path, options)) {
            ChangeSet cs = l.changeSet();
            Position at = l.at();
            String id = cs.getFilePath() + "::" + cs.getId() + "::" + cs.getAuthor();
            List<Intent> intents = new ArrayList<>();
            try {
                if (cs.isAlwaysRun()) {
                    throw TandemException.badInput(at + ": changeSet '" + cs.getId() + "': runAlways changeSets are not migrations Tandem can finish; keep them in Liquibase");
                }
                for (Change change : cs.getChanges()) {
                    intents.addAll(translate(change, cs, at, l.root()));
                }
                if (intents.isEmpty()) {
                    throw TandemException.badInput(at + ": changeSet '" + cs.getId() + "' has no changes");
                }
            } catch (TandemException e) {
                out.add(new Item(id, Optional.empty(), Optional.of(e)));
                continue;
            }
            String checksum = cs.generateCheckSum(ChecksumVersion.latest()).toString();
            String description = Optional.ofNullable(cs.getComments()).filter(s -> !s.isBlank()).orElse(cs.getDescription());
            out.add(new Item(id, Optional.of(new Migration(id, at.file(), description, checksum, intents)), Optional.empty()));
            entries.put(id, new LiquibaseEntry(id, cs.getId(), cs.getAuthor(), cs.getFilePath(), checksum,
                    cs.getDescription(), Optional.ofNullable(cs.getComments()),
                    Optional.ofNullable(cs.getContextFilter()).filter(c -> !c.isEmpty()).map(Object::toString),
                    Optional.ofNullable(cs.getLabels()).filter(l2 -> !l2.isEmpty()).map(Object::toString)));
        }
        return new LiquibaseSource(out, entries);
    }

    /** The changeSets of the changelog that pass the contexts, labels and dbms filters, in Liquibase's order. */
    static List<Located> parse(Path path, SourceOptions options) {
        if (!Files.isRegularFile(path)) {
            throw TandemException.badInput(path + ": no such file");
        }
        Path cwd = Path.of("").toAbsolutePath().normalize();
        Path abs = path.toAbsolutePath().normalize();
        Path root = !path.isAbsolute() && abs.startsWith(cwd) ? cwd : abs.getParent();
        String logical = root.relativize(abs).toString().replace('\\', '/');
        DatabaseChangeLog changeLog;
        try {
            DirectoryResourceAccessor accessor = new DirectoryResourceAccessor(root);
            changeLog = Scope.child(scope(), () -> {
                ChangeLogParser parser = ChangeLogParserFactory.getInstance().getParser(logical, accessor);
                return parser.parse(logical, new ChangeLogParameters(new PostgresDatabase()), accessor);
            });
        } catch (Exception e) {
            throw new TandemException(TandemException.BAD_INPUT, path + ": not a valid Liquibase changelog: " + rootMessage(e), e);
        }
        List<ChangeSetFilter> filters = List.of(
                new ContextChangeSetFilter(new Contexts(options.contexts().orElse(null))),
                new LabelChangeSetFilter(new LabelExpression(options.labels().orElse(null))),
                new DbmsChangeSetFilter(new PostgresDatabase()));
        List<Located> out = new ArrayList<>();
        for (ChangeSet cs : changeLog.getChangeSets()) {
            if (filters.stream().anyMatch(f -> !f.accepts(cs).isAccepted()) || cs.isIgnore()) {
                continue;
            }
            Path file = root.resolve(cs.getFilePath());
            out.add(new Located(cs, new Position(display(path, root, file), ChangeSetLocator.line(file, cs.getId(), cs.getAuthor()), 1), root));
        }
        return out;
    }

    private static List<Intent> translate(Change change, ChangeSet cs, Position at, Path root) {
        Optional<List<Intent>> structured = ChangeTranslator.translate(change, at, cs.getId());
        if (structured.isPresent()) {
            return structured.get();
        }
        if (change instanceof SQLFileChange f) {
            Path sqlFile = root.resolve(f.getPath());
            Position p = new Position(sqlFile.toString(), 1, 1);
            return SqlChangeTranslator.translateAll(f.getSql(), rollbackSql(cs), p, "changeSet '" + cs.getId() + "'");
        }
        if (change instanceof RawSQLChange r) {
            Position p = r.getSqlStartLine() != null ? new Position(at.file(), r.getSqlStartLine(), 1) : at;
            return SqlChangeTranslator.translateAll(r.getSql(), rollbackSql(cs), p, "changeSet '" + cs.getId() + "'");
        }
        throw TandemException.badInput(at + ": changeSet '" + cs.getId() + "': change type '"
                + change.getSerializedObjectName() + "' has no Tandem recipe; write it as a sql change (it is linted)"
                + " or as a Tandem intent");
    }

    /** The rollback as SQL when every rollback change is plain SQL; empty otherwise. */
    private static Optional<String> rollbackSql(ChangeSet cs) {
        List<Change> changes = cs.getRollback() == null ? List.of() : cs.getRollback().getChanges();
        if (changes.isEmpty() || !changes.stream().allMatch(c -> c instanceof RawSQLChange)) {
            return Optional.empty();
        }
        StringBuilder sb = new StringBuilder();
        for (Change c : changes) {
            String s = ((RawSQLChange) c).getSql().strip();
            sb.append(s.endsWith(";") ? s : s + ";").append('\n');
        }
        return Optional.of(sb.toString().strip());
    }

    private static String display(Path given, Path root, Path file) {
        return given.isAbsolute() ? file.toString() : Path.of("").toAbsolutePath().relativize(file.toAbsolutePath()).toString();
    }

    static Map<String, Object> scope() {
        return Map.of(Scope.Attr.ui.name(), new LoggerUIService(), "liquibase.analytics.enabled", false);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() != null ? t.getMessage() : t.toString();
    }

    /**
     * Every changeSet as a migration.
     *
     * @throws TandemException BAD_INPUT for the first changeSet Tandem refuses
     */
    @Override
    public List<Migration> migrations() {
        return SourceItems.resolve(items, Set.of());
    }

    /** The changeSets not yet in databasechangelog; a refused changeSet fails only when it is among them. */
    @Override
    public List<Migration> pending(Connection c, String stateSchema) throws SQLException {
        return SourceItems.pending(c, stateSchema, items, alreadyRun(c));
    }

    /** Every changeSet with its migration or refusal, in Liquibase's order. */
    List<Item> items() {
        return items;
    }

    /** What Liquibase would record for each migration. */
    public Map<String, LiquibaseEntry> entries() {
        return entries;
    }

    @Override
    public Set<String> alreadyRun(Connection c) throws SQLException {
        Set<String> out = new HashSet<>();
        if (!LiquibaseHistory.exists(c)) {
            return out;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT id, author, filename FROM databasechangelog");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(3) + "::" + rs.getString(1) + "::" + rs.getString(2));
            }
        }
        return out;
    }

    @Override
    public void remember(Connection c, String stateSchema, List<Migration> ms) throws SQLException {
        for (Migration m : ms) {
            LiquibaseEntry e = entries.get(m.id());
            if (e != null) {
                SourceHistory.remember(c, stateSchema, e);
            }
        }
    }
}
