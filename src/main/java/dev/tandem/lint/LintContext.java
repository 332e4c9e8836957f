package dev.tandem.lint;

import dev.tandem.plan.LockLevel;
import dev.tandem.report.Finding;
import dev.tandem.report.Severity;
import java.util.List;

/**
 * One statement being judged: where findings go, and the effect the statement has that the
 * cross-statement rules need (the strongest lock it takes on an existing table, whether it does
 * long work).
 */
final class LintContext {
    final String file;
    final LintOptions options;
    final LintState state;
    final SqlStatement stmt;
    private final List<Finding> out;

    LockLevel lock = LockLevel.NONE;
    String lockTable;
    boolean longWork;
    String longWorkWhat;

    LintContext(String file, LintOptions options, LintState state, SqlStatement stmt, List<Finding> out) {
        this.file = file;
        this.options = options;
        this.state = state;
        this.stmt = stmt;
        this.out = out;
    }

    /** Reports an error at the token (unless the statement ignores the rule). */
    void error(Rule rule, SqlStatement.Tok at, String message) {
        report(rule, Severity.ERROR, at, message);
    }

    void warning(Rule rule, SqlStatement.Tok at, String message) {
        report(rule, Severity.WARNING, at, message);
    }

    void report(Rule rule, Severity severity, SqlStatement.Tok at, String message) {
        if (stmt.ignored().contains(rule.id())) {
            return;
        }
        out.add(new Finding(file, at.line(), at.column(), rule.id(), severity, message, rule.hint()));
    }

    /** Records that the statement takes {@code level} on {@code table} (keeps the strongest). */
    void locks(LockLevel level, String table) {
        if (level.compareTo(lock) > 0) {
            lock = level;
            lockTable = table;
        }
    }

    /** Records a table rewrite: ACCESS EXCLUSIVE on the table and long work. */
    void rewrite(String table, String what) {
        locks(LockLevel.ACCESS_EXCLUSIVE, table);
        longWork(what + " (a table rewrite)");
    }

    /** Records that the statement scans or rewrites (described for the long-work message). */
    void longWork(String what) {
        if (!longWork) {
            longWork = true;
            longWorkWhat = what;
        }
    }
}
