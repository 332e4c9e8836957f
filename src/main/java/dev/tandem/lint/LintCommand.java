package dev.tandem.lint;

import dev.tandem.TandemException;
import dev.tandem.report.Case;
import dev.tandem.report.Finding;
import dev.tandem.report.Report;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * {@code tandem lint}: lints SQL files (or every {@code *.sql} directly in a folder, in name
 * order) in the order given, one report case per file.
 * A Liquibase root changelog is linted as the SQL liquibase-core generates for it
 * ({@link dev.tandem.source.LiquibaseLint}), one case for the whole changelog.
 * A missing, unreadable or non-UTF-8 file is bad input (exit 2), not a finding.
 */
public final class LintCommand {
    private LintCommand() {}

    public static Report run(List<Path> paths, LintOptions options) {
        List<Path> files = new ArrayList<>();
        List<Case> cases = new ArrayList<>();
        for (Path p : paths) {
            if (dev.tandem.source.SourceDetector.isLiquibase(p)) {
                long start = System.nanoTime();
                List<Finding> findings = dev.tandem.source.LiquibaseLint.lint(p, dev.tandem.source.SourceOptions.none(), options);
                cases.add(new Case("lint", p.toString(), (System.nanoTime() - start) / 1e9, findings));
            } else {
                files.addAll(expand(p));
            }
        }
        Linter linter = new Linter(options);
        for (Path f : files) {
            String text = read(f);
            long start = System.nanoTime();
            List<Finding> findings = linter.lintFile(f.toString(), text);
            cases.add(new Case("lint", f.toString(), (System.nanoTime() - start) / 1e9, findings));
        }
        return new Report("lint", cases);
    }

    private static List<Path> expand(Path p) {
        if (!Files.exists(p)) {
            throw TandemException.badInput(p + ": no such file or folder");
        }
        if (!Files.isDirectory(p)) {
            return List.of(p);
        }
        try (Stream<Path> s = Files.list(p)) {
            return s.filter(f -> f.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".sql"))
                    .filter(Files::isRegularFile).sorted((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()))
                    .toList();
        } catch (IOException e) {
            throw new TandemException(TandemException.BAD_INPUT, p + ": cannot list folder: " + e.getMessage(), e);
        }
    }

    /** The file as UTF-8 text (a leading byte order mark dropped). */
    static String read(Path f) {
        try {
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(Files.readAllBytes(f))).toString();
            return text.startsWith("\uFEFF") ? text.substring(1) : text;
        } catch (CharacterCodingException e) {
            throw TandemException.badInput(f + ":1:1: file is not valid UTF-8");
        } catch (IOException e) {
            throw new TandemException(TandemException.BAD_INPUT, f + ": cannot read: " + e.getMessage(), e);
        }
    }
}
