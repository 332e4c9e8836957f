package dev.tandem.source.translate;

import dev.tandem.intent.Intent;
import dev.tandem.intent.Position;
import dev.tandem.intent.RawSql;
import dev.tandem.lint.Linter;
import dev.tandem.lint.LintOptions;
import dev.tandem.plan.LockLevel;
import dev.tandem.plan.Phase;
import dev.tandem.report.Finding;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Turns SQL a changeSet carries ({@code sql}, {@code sqlFile}, a formatted-SQL changeSet) into a
 * raw {@code sql} step of the expand phase, after linting it with Tandem's SQL linter: any
 * error-level finding refuses the changeSet (exit 2) at its file:line with the finding and the
 * linter's safe alternative, so a blocking DDL never runs silently. The changeSet's rollback
 * becomes {@code down} when it is plain SQL; without one the step is irreversible.
 *
 * <p>It does not yet translate single statements into intents (e.g. {@code ALTER TABLE … RENAME
 * COLUMN} into {@code rename_column}); such statements are linted and, when the linter refuses
 * them, the message names the structured change type to use instead.
 */
public final class SqlChangeTranslator {
    private SqlChangeTranslator() {}

    public static Intent translate(String sql, Optional<String> rollbackSql, Position at, String changeSetId) {
        List<Finding> findings = new Linter(LintOptions.defaults()).lintSnippet(at.file(), sql, at.line(), 1);
        for (Finding f : findings) {
            if (f.isError()) {
                throw Untranslatable.at(new Position(f.file(), f.line(), f.column()), changeSetId,
                        "refusing to run SQL that lint finds unsafe: [" + f.rule() + "] " + f.message()
                                + (f.hint() == null || f.hint().isBlank() ? "" : "; safe alternative: " + f.hint()));
            }
        }
        boolean transactional = !sql.toUpperCase(Locale.ROOT).contains("CONCURRENTLY");
        return new RawSql(at, Phase.EXPAND, sql, rollbackSql, LockLevel.ACCESS_EXCLUSIVE, transactional);
    }
}
