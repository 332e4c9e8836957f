package dev.tandem.baseline;

import dev.tandem.catalog.CatalogSnapshot;
import dev.tandem.catalog.Column;
import dev.tandem.catalog.Constraint;
import dev.tandem.catalog.Index;
import dev.tandem.catalog.Table;
import dev.tandem.catalog.Trigger;
import dev.tandem.sql.QualifiedName;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * Compares two catalog snapshots table by table, as one fact per line, and lists what only one of
 * them has. The facts are what a schema migration decides and what the planner's projection
 * models: the table exists; each column with its type, nullability, identity and generation;
 * each constraint with its kind, columns, referenced table and validation; each index that no
 * constraint owns with its uniqueness, keys and validity; each trigger that is not Tandem's ({@code tandem_…}).
 * <p>It does not compare column order, default expressions, constraint or index definition text
 * beyond those parts, comments, ACLs, owners, row counts, views, functions or data: the projection
 * cannot know them all the way the server spells them.
 */
public final class CatalogDiff {
    private CatalogDiff() {}

    /**
     * The differences over {@code tables}: "+ fact" for a fact only the live catalog has, "- fact"
     * for one only the expected catalog has, sorted; empty when they agree.
     */
    public static List<String> diff(CatalogSnapshot expected, CatalogSnapshot live, Collection<QualifiedName> tables) {
        TreeSet<String> want = new TreeSet<>();
        TreeSet<String> have = new TreeSet<>();
        for (QualifiedName t : tables) {
            expected.table(t).ifPresent(x -> want.addAll(facts(x)));
            live.table(t).ifPresent(x -> have.addAll(facts(x)));
        }
        List<String> out = new ArrayList<>();
        TreeSet<String> all = new TreeSet<>(want);
        all.addAll(have);
        for (String f : all) {
            if (!want.contains(f)) {
                out.add("+ " + f + " (in the database, not in the changelog's result)");
            } else if (!have.contains(f)) {
                out.add("- " + f + " (in the changelog's result, not in the database)");
            }
        }
        return out;
    }

    /** One table's facts, each naming the table. */
    static List<String> facts(Table t) {
        String name = t.name().toString();
        List<String> out = new ArrayList<>();
        out.add("table " + name);
        for (Column c : t.columns()) {
            out.add("column " + name + "." + c.name() + " " + c.type() + (c.notNull() ? " NOT NULL" : "")
                    + (c.identity().isEmpty() ? "" : " identity " + c.identity())
                    + (c.generated().isEmpty() ? "" : " generated " + c.generated()));
        }
        for (Constraint c : t.constraints()) {
            out.add("constraint " + name + "." + c.name() + " " + kind(c.type()) + " (" + String.join(", ", c.columns()) + ")"
                    + (c.isForeignKey() ? " references " + c.referencedTable() + " (" + String.join(", ", c.referencedColumns()) + ")" : "")
                    + (c.validated() ? "" : " NOT VALID"));
        }
        for (Index i : t.indexes()) {
            if (i.constraint().isPresent()) {
                continue; // the primary key or unique constraint's own index: the constraint's fact covers it
            }
            List<String> keys = new ArrayList<>();
            i.keys().forEach(k -> keys.add(k == null ? "(expression)" : k));
            out.add("index " + name + "." + i.name() + (i.unique() ? " unique" : "") + " (" + String.join(", ", keys) + ")"
                    + (i.valid() ? "" : " INVALID"));
        }
        for (Trigger tr : t.triggers()) {
            if (!tr.name().startsWith("tandem_")) {
                out.add("trigger " + name + "." + tr.name());
            }
        }
        return out;
    }

    private static String kind(String type) {
        return switch (type) {
            case "p" -> "primary key";
            case "u" -> "unique";
            case "f" -> "foreign key";
            case "c" -> "check";
            case "x" -> "exclusion";
            case "n" -> "not null";
            default -> type;
        };
    }
}
