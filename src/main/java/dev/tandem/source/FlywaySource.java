package dev.tandem.source;

import dev.tandem.TandemException;
import dev.tandem.intent.Intent;
import dev.tandem.intent.Migration;
import dev.tandem.intent.Position;
import dev.tandem.source.translate.SqlChangeTranslator;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A folder of Flyway SQL migrations ({@code V<version>__<description>.sql}, searched recursively as
 * Flyway searches a filesystem location). Each versioned file is one migration, in Flyway's
 * version order ({@link FlywayVersion}); its id is the file name without {@code .sql}
 * ({@code V1_1__add_users}), its checksum Flyway's ({@link FlywayChecksum}), its statements
 * translated by {@link SqlChangeTranslator}. An undo file {@code U<version>__….sql} of the same
 * version is the rollback of its versioned file's raw SQL.
 *
 * <p>Already run: the versions {@code flyway_schema_history} (in the session's current schema)
 * records with {@code success = true}, and every version at or below a {@code BASELINE} row.
 * When Tandem finishes a migration (contract) it writes the row Flyway would have written
 * ({@link FlywayHistory}).
 *
 * <p>It does not run repeatable migrations ({@code R__….sql}): they are listed by
 * {@link #repeatables()} and left to Flyway, which runs them after the versioned ones as usual
 * (they have no history row yet). It does not support Java migrations, placeholders
 * ({@code ${…}} is refused), other prefixes, separators or suffixes than Flyway's defaults,
 * {@code flyway.conf} settings, or a history table in another schema or under another name.
 */
public final class FlywaySource implements ChangelogSource {
    static final Pattern VERSIONED = Pattern.compile("V([0-9][0-9._]*)__(.*)\\.sql");
    static final Pattern UNDO = Pattern.compile("U([0-9][0-9._]*)__(.*)\\.sql");
    static final Pattern REPEATABLE = Pattern.compile("R__(.*)\\.sql");

    /** One versioned file as Flyway sees it. */
    record Script(FlywayVersion version, String description, String script, Path file, int checksum) {}

    private final List<LiquibaseSource.Item> items;
    private final Map<String, Script> scripts;
    private final List<Path> repeatables;

    private FlywaySource(List<LiquibaseSource.Item> items, Map<String, Script> scripts, List<Path> repeatables) {
        this.items = List.copyOf(items);
        this.scripts = Map.copyOf(scripts);
        this.repeatables = List.copyOf(repeatables);
    }

    /** Whether {@code path} is a folder holding at least one {@code V…__….sql} file and no Tandem YAML. */
    public static boolean isFlywayFolder(Path path) {
        if (!Files.isDirectory(path)) {
            return false;
        }
        try (Stream<Path> s = Files.list(path)) {
            if (s.anyMatch(p -> p.getFileName().toString().matches("(?i).*\\.ya?ml"))) {
                return false;
            }
        } catch (IOException e) {
            return false;
        }
        try (Stream<Path> s = Files.walk(path)) {
            return s.filter(Files::isRegularFile).anyMatch(p -> VERSIONED.matcher(p.getFileName().toString()).matches());
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Reads the folder; a misnamed file, a duplicate version or unreadable text is BAD_INPUT naming the file. */
    public static FlywaySource read(Path folder) {
        List<Path> files;
        try (Stream<Path> s = Files.walk(folder)) {
            files = s.filter(Files::isRegularFile).filter(p -> p.getFileName().toString().endsWith(".sql")).sorted().toList();
        } catch (IOException e) {
            throw new TandemException(TandemException.BAD_INPUT, folder + ": cannot list: " + e.getMessage(), e);
        }
        TreeMap<FlywayVersion, Path> versioned = new TreeMap<>();
        Map<String, Path> undo = new HashMap<>();
        List<Path> repeatables = new ArrayList<>();
        for (Path f : files) {
            String name = f.getFileName().toString();
            Matcher v = VERSIONED.matcher(name);
            Matcher u = UNDO.matcher(name);
            if (REPEATABLE.matcher(name).matches()) {
                repeatables.add(f);
            } else if (v.matches()) {
                FlywayVersion version = FlywayVersion.parse(v.group(1)).orElseThrow(() -> TandemException.badInput(
                        display(f) + ": '" + v.group(1) + "' is not a Flyway version (digits separated by dots or underscores)"));
                Path previous = versioned.putIfAbsent(version, f);
                if (previous != null) {
                    throw TandemException.badInput(display(f) + ": version " + version + " is also " + display(previous)
                            + " (Flyway refuses duplicate versions); renumber one of them");
                }
            } else if (u.matches() && FlywayVersion.parse(u.group(1)).isPresent()) {
                undo.put(FlywayVersion.parse(u.group(1)).get().text(), f);
            } else if (name.matches("[VU][0-9].*") || name.startsWith("R_")) {
                throw TandemException.badInput(display(f) + ": not a Flyway migration name (V<version>__<description>.sql,"
                        + " two underscores); Flyway would skip it silently: rename it or move it out of the folder");
            }
        }
        List<LiquibaseSource.Item> items = new ArrayList<>();
        Map<String, Script> scripts = new HashMap<>();
        for (Map.Entry<FlywayVersion, Path> e : versioned.entrySet()) {
            Path f = e.getValue();
            String name = f.getFileName().toString();
            Matcher m = VERSIONED.matcher(name);
            m.matches();
            String id = name.substring(0, name.length() - ".sql".length());
            String text = text(f);
            Script script = new Script(e.getKey(), m.group(2).replace('_', ' '), folder.relativize(f).toString().replace('\\', '/'),
                    f, FlywayChecksum.of(text));
            scripts.put(id, script);
            try {
                if (text.contains("${")) {
                    int line = lineOf(text, "${");
                    throw TandemException.badInput(display(f) + ":" + line + ":1: migration " + name
                            + ": Flyway placeholders (${…}) are not supported; write the value out");
                }
                Optional<String> rollback = Optional.ofNullable(undo.get(e.getKey().text())).map(FlywaySource::text)
                        .map(String::strip).filter(s -> !s.isEmpty());
                List<Intent> intents = SqlChangeTranslator.translateAll(text, rollback, new Position(display(f), 1, 1), "migration " + name);
                if (intents.isEmpty()) {
                    throw TandemException.badInput(display(f) + ":1:1: migration " + name + " has no statements");
                }
                items.add(new LiquibaseSource.Item(id, Optional.of(new Migration(id, display(f), script.description(),
                        String.valueOf(script.checksum()), intents)), Optional.empty()));
            } catch (TandemException ex) {
                items.add(new LiquibaseSource.Item(id, Optional.empty(), Optional.of(ex)));
            }
        }
        return new FlywaySource(items, scripts, repeatables);
    }

    /** The file as UTF-8 text without a leading byte-order mark (which Flyway also drops, and PostgreSQL refuses). */
    private static String text(Path f) {
        try {
            String t = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(f))).toString();
            return t.startsWith("\uFEFF") ? t.substring(1) : t;
        } catch (CharacterCodingException e) {
            throw TandemException.badInput(display(f) + ": is not UTF-8 text");
        } catch (IOException e) {
            throw new TandemException(TandemException.BAD_INPUT, display(f) + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static int lineOf(String text, String needle) {
        int at = text.indexOf(needle);
        return at < 0 ? 1 : (int) text.substring(0, at).chars().filter(ch -> ch == '\n').count() + 1;
    }

    private static String display(Path file) {
        return file.isAbsolute() ? file.toString() : file.toString().replace('\\', '/');
    }

    /** Every versioned file with its migration or refusal, in version order. */
    List<LiquibaseSource.Item> items() {
        return items;
    }

    /** The repeatable migrations of the folder, which Tandem leaves to Flyway. */
    public List<Path> repeatables() {
        return repeatables;
    }

    /**
     * Every versioned file as a migration.
     *
     * @throws TandemException BAD_INPUT for the first file Tandem refuses
     */
    @Override
    public List<Migration> migrations() {
        return SourceItems.resolve(items, Set.of());
    }

    /** The files Flyway has not run; a refused file fails only when it is among them. */
    @Override
    public List<Migration> pending(Connection c, String stateSchema) throws SQLException {
        return SourceItems.pending(c, stateSchema, items, alreadyRun(c));
    }

    @Override
    public Set<String> alreadyRun(Connection c) throws SQLException {
        Set<String> out = new HashSet<>();
        if (!FlywayHistory.exists(c)) {
            return out;
        }
        List<FlywayVersion> done = new ArrayList<>();
        Optional<FlywayVersion> baseline = Optional.empty();
        try (PreparedStatement ps = c.prepareStatement("SELECT version, type FROM flyway_schema_history"
                + " WHERE success AND version IS NOT NULL ORDER BY installed_rank");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Optional<FlywayVersion> v = FlywayVersion.parse(rs.getString(1));
                if (v.isEmpty()) {
                    continue;
                }
                if ("BASELINE".equals(rs.getString(2))) {
                    baseline = baseline.filter(b -> b.compareTo(v.get()) >= 0).or(() -> v);
                } else {
                    done.add(v.get());
                }
            }
        }
        for (Map.Entry<String, Script> e : scripts.entrySet()) {
            FlywayVersion v = e.getValue().version();
            boolean ran = done.stream().anyMatch(d -> d.compareTo(v) == 0) || baseline.map(b -> v.compareTo(b) <= 0).orElse(false);
            if (ran) {
                out.add(e.getKey());
            }
        }
        return out;
    }

    @Override
    public void remember(Connection c, String stateSchema, List<Migration> ms) throws SQLException {
        for (Migration m : ms) {
            Script s = scripts.get(m.id());
            if (s != null) {
                SourceHistory.remember(c, stateSchema, "flyway", new LiquibaseEntry(m.id(), s.version().text(), "", s.script(),
                        String.valueOf(s.checksum()), s.description(), Optional.empty(), Optional.empty(), Optional.empty()));
            }
        }
    }

    /** Versions in order, for tests and messages. */
    List<String> versions() {
        return scripts.values().stream().sorted(Comparator.comparing(Script::version)).map(s -> s.version().text()).toList();
    }
}
