package dev.tandem.source;

import dev.tandem.TandemException;
import dev.tandem.intent.Intent;
import dev.tandem.intent.Migration;
import dev.tandem.intent.RawSql;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code tandem import SOURCE -o DIR}: the one-time move from a Liquibase changelog or a Flyway
 * folder to Tandem YAML. Writes {@code DIR/NNNN_<changeSet id or file name>.yaml} for every
 * changeSet or versioned file Tandem translates (NNNN keeps the source's order), each starting with comments naming the changeSet and its file:line
 * and what stayed raw SQL, and returns the report: translated / kept as raw SQL / refused.
 *
 * <p>It does not overwrite: DIR must be empty or missing. Refused changeSets get no file (the
 * report says why); it does not carry Liquibase's history over (Tandem's state starts empty).
 */
public final class ImportCommand {
    /** One changeSet's outcome: {@code translated}, {@code raw_sql} or {@code refused}. */
    public record Entry(String changeSet, String outcome, Optional<String> file, String detail) {}

    private ImportCommand() {}

    public static List<Entry> run(Path source, SourceOptions options, Path outDir) {
        boolean flyway = FlywaySource.isFlywayFolder(source);
        if (!SourceDetector.isLiquibase(source) && !flyway) {
            throw TandemException.badInput(source + ": not a Liquibase root changelog nor a Flyway folder"
                    + " (import reads those; Tandem YAML needs no import)");
        }
        try {
            if (Files.exists(outDir)) {
                try (var s = Files.list(outDir)) {
                    if (s.findAny().isPresent()) {
                        throw TandemException.badInput(outDir + ": is not empty; import writes into an empty or new folder");
                    }
                }
            }
            Files.createDirectories(outDir);
        } catch (IOException e) {
            throw new TandemException(TandemException.BAD_INPUT, outDir + ": cannot create: " + e.getMessage(), e);
        }
        List<LiquibaseSource.Item> items = flyway ? FlywaySource.read(source).items() : LiquibaseSource.read(source, options).items();
        String from = flyway ? "Flyway migration " : "Liquibase changeSet ";
        List<Entry> out = new ArrayList<>();
        int n = 0;
        for (LiquibaseSource.Item item : items) {
            n++;
            if (item.refusal().isPresent()) {
                out.add(new Entry(item.id(), "refused", Optional.empty(), item.refusal().get().getMessage()));
                continue;
            }
            Migration m = item.migration().orElseThrow();
            Intent first = m.changes().get(0);
            long raw = m.changes().stream().filter(i -> i instanceof RawSql).count();
            StringBuilder y = new StringBuilder();
            y.append("# imported from ").append(from).append(m.id()).append('\n');
            y.append("# at ").append(first.position()).append('\n');
            if (raw > 0) {
                y.append("# ").append(raw).append(" change(s) kept as raw SQL (linted, no finding): review them\n");
            }
            y.append("description: ").append(dev.tandem.util.Json.quote(m.description())).append('\n');
            y.append("changes:\n");
            for (Intent i : m.changes()) {
                y.append(IntentYaml.entry(i));
            }
            String name = String.format("%04d_%s.yaml", n, slug(m.id()));
            try {
                Files.writeString(outDir.resolve(name), y.toString(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new TandemException(TandemException.RUNTIME, outDir.resolve(name) + ": cannot write: " + e.getMessage(), e);
            }
            out.add(new Entry(m.id(), raw > 0 ? "raw_sql" : "translated", Optional.of(name),
                    m.changes().stream().map(Intent::kind).reduce((a, b) -> a + ", " + b).orElse("")));
        }
        return out;
    }

    /** The report as JSON: {@code {"changesets":[{change_set, outcome, file, detail}], "translated", "raw_sql", "refused"}}. */
    public static String json(List<Entry> entries) {
        List<Object> rows = new ArrayList<>();
        Map<String, Object> root = new LinkedHashMap<>();
        for (String k : List.of("translated", "raw_sql", "refused")) {
            root.put(k, entries.stream().filter(e -> e.outcome().equals(k)).count());
        }
        for (Entry e : entries) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("change_set", e.changeSet());
            r.put("outcome", e.outcome());
            r.put("file", e.file().orElse(null));
            r.put("detail", e.detail());
            rows.add(r);
        }
        root.put("changesets", rows);
        return dev.tandem.util.Json.pretty(root);
    }

    /** The report as text, one line per changeSet and a summary line. */
    public static String text(List<Entry> entries) {
        StringBuilder sb = new StringBuilder();
        for (Entry e : entries) {
            sb.append(e.outcome()).append("  ").append(e.changeSet()).append(e.file().map(f -> " -> " + f).orElse(""))
                    .append(": ").append(e.detail()).append('\n');
        }
        sb.append(entries.stream().filter(e -> e.outcome().equals("translated")).count()).append(" translated, ")
                .append(entries.stream().filter(e -> e.outcome().equals("raw_sql")).count()).append(" kept as raw SQL, ")
                .append(entries.stream().filter(e -> e.outcome().equals("refused")).count()).append(" refused\n");
        return sb.toString();
    }

    private static String slug(String id) {
        String s = id.replaceAll("[^A-Za-z0-9_.-]+", "_").replaceAll("_+", "_");
        s = s.replaceAll("^[_.-]+|[_.-]+$", "");
        return s.isEmpty() ? "changeset" : s.length() > 80 ? s.substring(0, 80) : s;
    }
}
