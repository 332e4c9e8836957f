package dev.tandem.source;

import dev.tandem.lint.Linter;
import dev.tandem.lint.LintOptions;
import dev.tandem.report.Finding;
import dev.tandem.report.Severity;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import liquibase.change.Change;
import liquibase.change.core.RawSQLChange;
import liquibase.database.core.PostgresDatabase;
import liquibase.sql.Sql;
import liquibase.sqlgenerator.SqlGeneratorFactory;

/**
 * {@code tandem lint} on a Liquibase changelog: for every changeSet that passes the filters, the
 * SQL liquibase-core generates for PostgreSQL (offline, no connection), linted with Tandem's
 * linter. Findings of a {@code sql} change point at its line in the changelog; findings of a
 * structured change point at the changeSet's line. Every message starts with the changeSet id.
 *
 * <p>It does not lint what Tandem would run instead (see {@code tandem plan}); a change
 * liquibase-core cannot generate offline is reported as a warning.
 */
public final class LiquibaseLint {
    private LiquibaseLint() {}

    public static List<Finding> lint(Path changelog, SourceOptions source, LintOptions options) {
        Linter linter = new Linter(options);
        PostgresDatabase pg = new PostgresDatabase();
        List<Finding> out = new ArrayList<>();
        for (LiquibaseSource.Located l : LiquibaseSource.parse(changelog, source)) {
            String prefix = "changeSet '" + l.changeSet().getId() + "' (" + l.changeSet().getAuthor() + "): ";
            for (Change change : l.changeSet().getChanges()) {
                if (change instanceof RawSQLChange r && r.getSql() != null) {
                    int line = r.getSqlStartLine() != null ? r.getSqlStartLine() : l.at().line();
                    for (Finding f : linter.lintSnippet(l.at().file(), r.getSql(), line, 1)) {
                        out.add(new Finding(f.file(), f.line(), f.column(), f.rule(), f.severity(), prefix + f.message(), f.hint()));
                    }
                    continue;
                }
                String sql;
                try {
                    StringBuilder sb = new StringBuilder();
                    for (Sql s : SqlGeneratorFactory.getInstance().generateSql(change, pg)) {
                        sb.append(s.toSql()).append(";\n");
                    }
                    sql = sb.toString();
                } catch (RuntimeException e) {
                    out.add(new Finding(l.at().file(), l.at().line(), 1, "liquibase/generate", Severity.WARNING,
                            prefix + change.getSerializedObjectName() + ": liquibase-core cannot generate its SQL offline: " + e.getMessage(),
                            "lint it with a database, or write it as a sql change"));
                    continue;
                }
                for (Finding f : linter.lintSnippet(l.at().file(), sql, l.at().line(), 1)) {
                    out.add(new Finding(f.file(), l.at().line(), 1, f.rule(), f.severity(),
                            prefix + change.getSerializedObjectName() + " generates: " + f.message(), f.hint()));
                }
            }
        }
        return out;
    }
}
