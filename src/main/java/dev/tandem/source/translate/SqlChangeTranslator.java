package dev.tandem.source.translate;

import dev.tandem.intent.Intent;
import dev.tandem.intent.Position;
import dev.tandem.intent.RawSql;
import dev.tandem.lint.LintOptions;
import dev.tandem.lint.Linter;
import dev.tandem.lint.SqlStatement;
import dev.tandem.lint.StatementSplitter;
import dev.tandem.plan.LockLevel;
import dev.tandem.plan.Phase;
import dev.tandem.report.Finding;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Turns SQL a changeSet or a migration file carries ({@code sql}, {@code sqlFile}, a formatted-SQL
 * changeSet, a Flyway {@code V…__….sql}) into intents, statement by statement:
 * <ul>
 *   <li>Each statement of a shape {@link SqlStatementTranslator} knows becomes its intents
 *       ({@code ALTER TABLE … RENAME COLUMN} → {@code rename_column}, and so on). Those run through
 *       Tandem's five phases, so their own recipes make them safe and reversible; a rollback the
 *       changeSet carries is then not needed.</li>
 *   <li>Every other statement is linted with Tandem's SQL linter: an error-level finding refuses the
 *       whole unit (exit 2) at the statement's file:line:column with the finding and the linter's safe
 *       alternative, so a blocking DDL never runs silently. A statement lint finds safe runs as a raw
 *       {@code sql} step of the expand phase, irreversible.</li>
 *   <li>When nothing is translated, or when the unit carries a rollback and mixes translated and raw
 *       statements (Tandem cannot tell which part of the rollback undoes the raw part), the whole SQL
 *       is one raw step, linted as a whole, with the rollback as its {@code down}.</li>
 * </ul>
 *
 * <p>It does not infer a {@code down} for raw SQL, and it does not judge data statements
 * ({@code INSERT}, {@code UPDATE}) beyond what the linter does.
 */
public final class SqlChangeTranslator {
    private SqlChangeTranslator() {}

    /** One raw step for the whole SQL (the behaviour for units with nothing translated). */
    public static Intent translate(String sql, Optional<String> rollbackSql, Position at, String changeSetId) {
        refuseErrors(lint(sql, at), "changeSet '" + changeSetId + "'");
        return raw(sql, rollbackSql, at);
    }

    /**
     * The intents of {@code sql}, which starts at {@code at} in its file (see the class comment).
     *
     * @param unit what the SQL belongs to, for messages: {@code changeSet 'ID'} or {@code migration V1__x.sql}
     * @throws dev.tandem.TandemException BAD_INPUT when lint refuses a statement that stays raw
     */
    public static List<Intent> translateAll(String sql, Optional<String> rollbackSql, Position at, String unit) {
        List<SqlStatement> statements = StatementSplitter.split(sql, at.line(), at.column());
        SqlStatementTranslator.SourceText text = new SqlStatementTranslator.SourceText(sql, at.line(), at.column());
        List<Optional<List<Intent>>> translated = new ArrayList<>();
        for (SqlStatement st : statements) {
            translated.add(SqlStatementTranslator.translate(st, at.file(), text));
        }
        long done = translated.stream().filter(Optional::isPresent).count();
        List<Finding> findings = lint(sql, at);
        if (done == 0 || (done < statements.size() && rollbackSql.isPresent())) {
            refuseErrors(findings, unit);
            return List.of(raw(sql, rollbackSql, at));
        }
        for (Finding f : findings) {
            if (!f.isError()) {
                continue;
            }
            int k = statementOf(statements, f);
            if (k < 0 || translated.get(k).isEmpty()) {
                refuseErrors(List.of(f), unit);
            }
        }
        List<Intent> out = new ArrayList<>();
        for (int k = 0; k < statements.size(); k++) {
            if (translated.get(k).isPresent()) {
                out.addAll(translated.get(k).get());
            } else {
                SqlStatement st = statements.get(k);
                out.add(raw(st.text(), Optional.empty(), new Position(at.file(), st.first().line(), st.first().column())));
            }
        }
        return out;
    }

    /** Index of the statement a finding stands in; -1 before the first (e.g. an unterminated string). */
    private static int statementOf(List<SqlStatement> statements, Finding f) {
        int found = -1;
        for (int k = 0; k < statements.size(); k++) {
            SqlStatement.Tok first = statements.get(k).first();
            if (first.line() < f.line() || (first.line() == f.line() && first.column() <= f.column())) {
                found = k;
            }
        }
        return found;
    }

    private static List<Finding> lint(String sql, Position at) {
        // Tandem's executor runs every sql step with lock_timeout and retries: that rule does not apply
        return new Linter(new LintOptions(LintOptions.DEFAULT_PG_VERSION, false, true)).lintSnippet(at.file(), sql, at.line(), at.column());
    }

    private static void refuseErrors(List<Finding> findings, String unit) {
        for (Finding f : findings) {
            if (f.isError()) {
                throw dev.tandem.TandemException.badInput(new Position(f.file(), f.line(), f.column()) + ": " + unit + ": "
                        + "refusing to run SQL that lint finds unsafe: [" + f.rule() + "] " + f.message()
                                + (f.hint() == null || f.hint().isBlank() ? "" : "; safe alternative: " + f.hint()));
            }
        }
    }

    private static RawSql raw(String sql, Optional<String> rollbackSql, Position at) {
        boolean transactional = !sql.toUpperCase(Locale.ROOT).contains("CONCURRENTLY");
        return new RawSql(at, Phase.EXPAND, sql, rollbackSql, LockLevel.ACCESS_EXCLUSIVE, transactional);
    }
}
