package dev.tandem.intent;

import dev.tandem.TandemException;
import dev.tandem.sql.Names;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads migrations from the changelog: one YAML file, or a folder of them.
 *
 * <p>What it does:
 * <ul>
 *   <li>A folder yields every regular {@code *.yaml}/{@code *.yml} file directly in it, in lexical
 *       order of file name; other files and sub-folders are ignored. An empty folder is an empty
 *       list.</li>
 *   <li>File names must match {@code ^\d+_[A-Za-z0-9_.-]+\.ya?ml$}; the migration id is the name
 *       without extension and must be unique within a folder.</li>
 *   <li>The checksum is the SHA-256 hex of the file decoded as UTF-8 with {@code \r\n} and
 *       {@code \r} normalised to {@code \n}, so it does not change with the line-ending style.</li>
 *   <li>YAML is composed (never constructed into objects) with snakeyaml's safe loader, a small
 *       alias limit (alias bombs fail cleanly) and no merge keys; duplicate keys are errors.</li>
 *   <li>Top level: {@code description} (optional string) and {@code changes} (non-empty list of
 *       one-key mappings {@code kind: {fields}}). Unknown keys, kinds and fields are errors.</li>
 *   <li>Every error is a {@link TandemException#BAD_INPUT} whose message starts with
 *       {@code file:line:column: } (1-based; file = the path as given) and names the field.</li>
 * </ul>
 *
 * <p>What it does not do: check tables or columns against the database, resolve the default
 * schema (see {@link TableRef#resolve}), compare checksums with applied migrations, order or
 * de-duplicate migrations by their numeric prefix, or read sub-folders. Names are taken verbatim
 * (no case folding); only {@code table} understands the double-quoted form for dotted names.
 * Known intent kinds: {@code rename_column}; the constraint, default and index kinds of
 * {@link ConstraintIntents}; the metadata kinds of {@link MetadataIntents}; see {@link #kinds()}.
 */
public final class ChangelogReader {
    private static final Pattern FILE_NAME = Pattern.compile("^\\d+_[A-Za-z0-9_.-]+\\.ya?ml$");

    /** Non-scalar aliases allowed per file; real migrations need few, bombs need many. */
    static final int MAX_ALIASES = 20;

    private static final List<String> TOP_LEVEL_KEYS = List.of("description", "changes");

    /** Intent kind → parser. Adding an intent kind: one parse method, one entry here. */
    private static final Map<String, IntentParser> PARSERS;

    static {
        Map<String, IntentParser> m = new TreeMap<>();
        m.put("rename_column", IntentParser.of(List.of("table", "column", "to"), ChangelogReader::renameColumn));
        m.put("create_table", IntentParser.of(TableIntentParsers.CREATE_TABLE_FIELDS, TableIntentParsers::createTable));
        m.put("drop_table", IntentParser.of(TableIntentParsers.DROP_TABLE_FIELDS, TableIntentParsers::dropTable));
        m.put("rename_table", IntentParser.of(TableIntentParsers.RENAME_TABLE_FIELDS, TableIntentParsers::renameTable));
        m.put("sql", IntentParser.of(TableIntentParsers.SQL_FIELDS, TableIntentParsers::sql));
        m.put("set_not_null", ConstraintIntents.SET_NOT_NULL);
        m.put("drop_not_null", ConstraintIntents.DROP_NOT_NULL);
        m.put("set_default", ConstraintIntents.SET_DEFAULT);
        m.put("drop_default", ConstraintIntents.DROP_DEFAULT);
        m.put("add_check", ConstraintIntents.ADD_CHECK);
        m.put("add_foreign_key", ConstraintIntents.ADD_FOREIGN_KEY);
        m.put("add_unique", ConstraintIntents.ADD_UNIQUE);
        m.put("drop_constraint", ConstraintIntents.DROP_CONSTRAINT);
        m.put("create_index", ConstraintIntents.CREATE_INDEX);
        m.put("drop_index", ConstraintIntents.DROP_INDEX);
        m.put("add_column", IntentParser.of(ColumnIntentParsers.ADD_COLUMN, ColumnIntentParsers::addColumn));
        m.put("drop_column", IntentParser.of(ColumnIntentParsers.DROP_COLUMN, ColumnIntentParsers::dropColumn));
        m.put("split_column", IntentParser.of(ColumnIntentParsers.SPLIT_COLUMN, ColumnIntentParsers::splitColumn));
        m.put("merge_columns", IntentParser.of(ColumnIntentParsers.MERGE_COLUMNS, ColumnIntentParsers::mergeColumns));
        m.put("change_column_type", IntentParser.of(List.of("table", "column", "type", "up", "down"), ChangelogReader::changeColumnType));
        m.put("set_comment", MetadataIntents.SET_COMMENT);
        m.put("rename_constraint", MetadataIntents.RENAME_CONSTRAINT);
        m.put("set_replica_identity", MetadataIntents.SET_REPLICA_IDENTITY);
        m.put("create_enum", EnumIntents.CREATE_ENUM);
        m.put("add_enum_value", EnumIntents.ADD_ENUM_VALUE);
        m.put("rename_enum_value", EnumIntents.RENAME_ENUM_VALUE);
        m.put("add_exclusion", ExclusionIntents.ADD_EXCLUSION);
        PARSERS = Collections.unmodifiableMap(m);
    }

    private ChangelogReader() {}

    /** Every intent kind the reader knows, sorted. */
    public static java.util.Set<String> kinds() {
        return PARSERS.keySet();
    }

    // ---------------------------------------------------------------- intent kinds

    private static Intent renameColumn(IntentFields f) {
        TableRef table = f.requiredTable("table");
        String column = f.requiredIdentifier("column");
        String to = f.requiredIdentifier("to");
        if (column.equals(to)) {
            throw f.error("to", "is the same as 'column' ('" + column + "'); nothing to rename");
        }
        return new RenameColumn(f.position(), table, column, to);
    }

    private static Intent changeColumnType(IntentFields f) {
        TableRef table = f.requiredTable("table");
        String column = f.requiredIdentifier("column");
        String type = f.requiredString("type").strip();
        if (type.isEmpty() || statementBreak(type)) {
            throw f.error("type", "is not a type name: '" + type + "'");
        }
        Optional<String> up = f.optionalString("up").map(String::strip);
        Optional<String> down = f.optionalString("down").map(String::strip);
        for (String field : List.of("up", "down")) {
            Optional<String> e = field.equals("up") ? up : down;
            if (e.isPresent() && (e.get().isEmpty() || statementBreak(e.get()))) {
                throw f.error(field, "must be one SQL expression");
            }
        }
        return new ChangeColumnType(f.position(), table, column, type, up, down);
    }

    /** True when the SQL text has a {@code ;} outside strings, quoted names and comments. */
    private static boolean statementBreak(String sql) {
        return dev.tandem.sql.SqlTokens.tokenize(sql).stream()
                .anyMatch(t -> t.kind() == dev.tandem.sql.SqlTokens.Kind.OTHER && t.text().equals(";"));
    }

    // ---------------------------------------------------------------- files and folders

    /**
     * Reads a migration file, or every migration file directly in a changelog folder (lexical order
     * by file name).
     *
     * @throws TandemException BAD_INPUT if the path does not exist or any file is invalid
     */
    public static List<Migration> readPath(Path path) {
        if (!Files.exists(path)) {
            throw TandemException.badInput(path + ": no such file or folder");
        }
        if (!Files.isDirectory(path)) {
            return List.of(readFile(path));
        }
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(path)) {
            s.filter(ChangelogReader::looksLikeYaml).filter(Files::isRegularFile).forEach(files::add);
        } catch (IOException e) {
            throw new TandemException(TandemException.BAD_INPUT, path + ": cannot list folder: " + e.getMessage(), e);
        }
        files.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
        Map<String, Path> byId = new HashMap<>();
        for (Path f : files) {
            String id = idOf(f);
            Path previous = byId.putIfAbsent(id, f);
            if (previous != null) {
                throw YamlNodes.error(new Position(f.toString(), 1, 1),
                        "migration id '" + id + "' is also used by " + previous);
            }
        }
        List<Migration> out = new ArrayList<>(files.size());
        for (Path f : files) {
            out.add(readFile(f));
        }
        return List.copyOf(out);
    }

    /**
     * Reads one migration file.
     *
     * @throws TandemException BAD_INPUT if the file is missing, badly named or invalid
     */
    public static Migration readFile(Path file) {
        String fileText = file.toString();
        String id = idOf(file);
        byte[] bytes;
        try {
            if (Files.isDirectory(file)) {
                throw TandemException.badInput(fileText + ": is a folder, not a migration file");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw TandemException.badInput(fileText + ": no such file");
        } catch (IOException e) {
            throw new TandemException(TandemException.BAD_INPUT, fileText + ": cannot read: " + e.getMessage(), e);
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw YamlNodes.error(new Position(fileText, 1, 1), "file is not valid UTF-8");
        }
        String normalised = text.replace("\r\n", "\n").replace('\r', '\n');
        String checksum = Names.sha256Hex(normalised);
        String yamlText = normalised.startsWith("\uFEFF") ? normalised.substring(1) : normalised;
        Node root = compose(fileText, yamlText);
        return parseMigration(fileText, id, checksum, root);
    }

    private static boolean looksLikeYaml(Path p) {
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".yaml") || name.endsWith(".yml");
    }

    /** Validates the file name and returns the id (name without extension). */
    private static String idOf(Path file) {
        Path name = file.getFileName();
        String n = name == null ? "" : name.toString();
        if (!FILE_NAME.matcher(n).matches()) {
            throw YamlNodes.error(new Position(file.toString(), 1, 1), "bad migration file name '" + n
                    + "': expected digits, '_', then letters, digits, '_', '.' or '-', ending in .yaml or .yml"
                    + " (e.g. 0001_rename_full_name.yaml)");
        }
        return n.substring(0, n.lastIndexOf('.'));
    }

    // ---------------------------------------------------------------- YAML

    private static Node compose(String file, String text) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false); // only used by constructors; checked on the node tree too
        options.setMaxAliasesForCollections(MAX_ALIASES);
        options.setAllowRecursiveKeys(false);
        options.setMergeOnCompose(false);
        options.setProcessComments(false);
        Yaml yaml = new Yaml(new SafeConstructor(options));
        try {
            return yaml.compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            Position at = mark == null ? new Position(file, 1, 1)
                    : new Position(file, mark.getLine() + 1, mark.getColumn() + 1);
            String problem = e.getProblem() != null ? e.getProblem() : e.getContext();
            throw new TandemException(TandemException.BAD_INPUT,
                    at + ": invalid YAML: " + oneLine(problem), e);
        } catch (YAMLException e) {
            throw new TandemException(TandemException.BAD_INPUT,
                    new Position(file, 1, 1) + ": invalid YAML: " + oneLine(e.getMessage()), e);
        }
    }

    private static String oneLine(String s) {
        return s == null ? "syntax error" : s.strip().replaceAll("\\s*\\R\\s*", " ");
    }

    private static Migration parseMigration(String file, String id, String checksum, Node root) {
        Position top = new Position(file, 1, 1);
        if (YamlNodes.isNull(root)) {
            throw YamlNodes.error(top, "empty migration file");
        }
        if (!(root instanceof MappingNode rootMap)) {
            throw YamlNodes.error(YamlNodes.position(file, root),
                    "a migration file must be a mapping with 'changes' (and optional 'description'), got "
                            + YamlNodes.describe(root));
        }
        Map<String, YamlNodes.Entry> entries = YamlNodes.entries(file, rootMap, "");
        for (YamlNodes.Entry e : entries.values()) {
            if (!TOP_LEVEL_KEYS.contains(e.key())) {
                throw YamlNodes.error(e.keyPosition(), "unknown top-level key '" + e.key()
                        + "' (allowed: " + String.join(", ", TOP_LEVEL_KEYS) + ")");
            }
        }
        String description = "";
        YamlNodes.Entry d = entries.get("description");
        if (d != null && !YamlNodes.isNull(d.value())) {
            description = YamlNodes.scalarText(file, d.value(), "'description'");
        }
        YamlNodes.Entry c = entries.get("changes");
        if (c == null) {
            throw YamlNodes.error(YamlNodes.position(file, rootMap), "missing required key 'changes'");
        }
        if (YamlNodes.isNull(c.value())) {
            throw YamlNodes.error(c.keyPosition(), "'changes' must not be empty");
        }
        if (!(c.value() instanceof SequenceNode seq)) {
            throw YamlNodes.error(YamlNodes.position(file, c.value()),
                    "'changes' must be a list, got " + YamlNodes.describe(c.value()));
        }
        if (seq.getValue().isEmpty()) {
            throw YamlNodes.error(YamlNodes.position(file, seq), "'changes' must not be empty");
        }
        List<Intent> intents = new ArrayList<>();
        for (Node item : seq.getValue()) {
            intents.add(parseIntent(file, item));
        }
        return new Migration(id, file, description, checksum, intents);
    }

    private static Intent parseIntent(String file, Node item) {
        Position itemPos = YamlNodes.position(file, item);
        String shape = "each entry of 'changes' must be a mapping with one key, the intent kind"
                + " (e.g. '- rename_column: {table: t, column: a, to: b}')";
        if (!(item instanceof MappingNode map)) {
            throw YamlNodes.error(itemPos, shape + ", got " + YamlNodes.describe(item));
        }
        Map<String, YamlNodes.Entry> entries = YamlNodes.entries(file, map, "");
        if (entries.size() != 1) {
            String detail = entries.isEmpty() ? "got an empty mapping"
                    : "got " + entries.size() + " keys (" + String.join(", ", entries.keySet())
                            + "); check the indentation of the intent's fields";
            throw YamlNodes.error(itemPos, shape + ", " + detail);
        }
        YamlNodes.Entry kindEntry = entries.values().iterator().next();
        String kind = kindEntry.key();
        IntentParser parser = PARSERS.get(kind);
        if (parser == null) {
            throw YamlNodes.error(kindEntry.keyPosition(), "unknown intent kind '" + kind
                    + "' (known: " + String.join(", ", PARSERS.keySet()) + ")");
        }
        Position at = kindEntry.keyPosition();
        Node body = kindEntry.value();
        Map<String, YamlNodes.Entry> fields;
        if (YamlNodes.isNull(body)) {
            fields = Map.of();
        } else if (body instanceof MappingNode bodyMap) {
            fields = YamlNodes.entries(file, bodyMap, kind + ": ");
        } else {
            throw YamlNodes.error(YamlNodes.position(file, body), kind + ": expected a mapping of fields ("
                    + String.join(", ", parser.fields()) + "), got " + YamlNodes.describe(body));
        }
        for (YamlNodes.Entry e : fields.values()) {
            if (!parser.fields().contains(e.key())) {
                throw YamlNodes.error(e.keyPosition(), kind + ": unknown field '" + e.key()
                        + "' (allowed: " + String.join(", ", parser.fields()) + ")");
            }
        }
        return parser.parse(new IntentFields(file, kind, at, fields));
    }
}
