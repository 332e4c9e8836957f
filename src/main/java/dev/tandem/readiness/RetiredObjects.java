package dev.tandem.readiness;

import dev.tandem.plan.MigrationPlan;
import dev.tandem.plan.Phase;
import dev.tandem.plan.Step;
import dev.tandem.sql.QualifiedName;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a migration's contract phase takes away from the old application: columns it renames out of
 * sight or drops, and tables or views it renames away or drops. Read from the contract steps' SQL
 * (which Tandem generates itself, with quoted identifiers), so it is pure.
 * <p>It does not see what a raw {@code sql} step retires, nor a same-name type change (both
 * versions use the same column name, so no statement can be told apart by its text).
 *
 * @param columns retired columns, as table + column
 * @param tables retired tables or views
 */
public record RetiredObjects(List<Column> columns, List<QualifiedName> tables) {
    /** One retired column. */
    public record Column(QualifiedName table, String column) {
        @Override
        public String toString() {
            return table + "." + column;
        }
    }

    private static final String ID = "\"((?:[^\"]|\"\")*)\"";
    private static final String QN = ID + "\\." + ID;
    private static final Pattern RENAME_COLUMN = Pattern.compile("^ALTER TABLE " + QN + " RENAME COLUMN " + ID + " TO " + ID + "$");
    private static final Pattern DROP_COLUMN = Pattern.compile("^ALTER TABLE " + QN + " DROP COLUMN " + ID + "$");
    private static final Pattern RENAME_TABLE = Pattern.compile("^ALTER TABLE " + QN + " RENAME TO " + ID + "$");
    private static final Pattern DROP_RELATION = Pattern.compile("^DROP (?:VIEW|TABLE) " + QN + "$");

    public RetiredObjects {
        columns = List.copyOf(columns);
        tables = List.copyOf(tables);
    }

    public boolean isEmpty() {
        return columns.isEmpty() && tables.isEmpty();
    }

    /** The objects the contract phase of {@code plan} retires. */
    public static RetiredObjects of(MigrationPlan plan) {
        Set<Column> columns = new LinkedHashSet<>();
        Set<QualifiedName> tables = new LinkedHashSet<>();
        for (Step s : plan.phase(Phase.CONTRACT).steps()) {
            for (String stmt : statements(s.sql())) {
                Matcher m;
                if ((m = RENAME_COLUMN.matcher(stmt)).matches() || (m = DROP_COLUMN.matcher(stmt)).matches()) {
                    columns.add(new Column(new QualifiedName(unquote(m.group(1)), unquote(m.group(2))), unquote(m.group(3))));
                } else if ((m = RENAME_TABLE.matcher(stmt)).matches() || (m = DROP_RELATION.matcher(stmt)).matches()) {
                    tables.add(new QualifiedName(unquote(m.group(1)), unquote(m.group(2))));
                }
            }
        }
        return new RetiredObjects(new ArrayList<>(columns), new ArrayList<>(tables));
    }

    /** A step's SQL, or the lines of a DO block that renames (e.g. a retire with a trigger swap). */
    private static List<String> statements(String sql) {
        List<String> out = new ArrayList<>();
        for (String line : sql.split("\n")) {
            String l = line.strip();
            if (l.endsWith(";")) {
                l = l.substring(0, l.length() - 1);
            }
            out.add(l);
        }
        return out;
    }

    private static String unquote(String s) {
        return s.replace("\"\"", "\"");
    }
}
