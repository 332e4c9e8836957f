package dev.tandem.source;

import dev.tandem.intent.AddCheck;
import dev.tandem.intent.AddColumn;
import dev.tandem.intent.AddForeignKey;
import dev.tandem.intent.AddUnique;
import dev.tandem.intent.ChangeColumnType;
import dev.tandem.intent.CreateIndex;
import dev.tandem.intent.CreateTable;
import dev.tandem.intent.DropColumn;
import dev.tandem.intent.DropConstraint;
import dev.tandem.intent.DropDefault;
import dev.tandem.intent.DropIndex;
import dev.tandem.intent.DropNotNull;
import dev.tandem.intent.DropTable;
import dev.tandem.intent.Intent;
import dev.tandem.intent.RawSql;
import dev.tandem.intent.RenameColumn;
import dev.tandem.intent.RenameConstraint;
import dev.tandem.intent.RenameTable;
import dev.tandem.intent.SetDefault;
import dev.tandem.intent.SetNotNull;
import dev.tandem.intent.TableRef;
import dev.tandem.util.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;


/**
 * Writes one intent as a Tandem changelog entry ({@code - kind: {field: value, …}}), every value a
 * double-quoted scalar, so {@code ChangelogReader} reads back the same intent.
 *
 * <p>It handles the intents the Liquibase and SQL translations produce; {@code split_column} and
 * {@code merge_columns} are not written (they never come out of them), nor an {@code add_check}'s
 * {@code up}.
 */
final class IntentYaml {
    private IntentYaml() {}

    static String entry(Intent i) {
        List<String> f = new ArrayList<>();
        if (i instanceof RenameColumn r) {
            table(f, r.table()); kv(f, "column", r.column()); kv(f, "to", r.to());
        } else if (i instanceof ChangeColumnType c) {
            table(f, c.table()); kv(f, "column", c.column()); kv(f, "type", c.type());
            c.up().ifPresent(v -> kv(f, "up", v)); c.down().ifPresent(v -> kv(f, "down", v));
        } else if (i instanceof SetNotNull s) {
            table(f, s.table()); kv(f, "column", s.column()); s.up().ifPresent(v -> kv(f, "up", v));
        } else if (i instanceof DropNotNull d) {
            table(f, d.table()); kv(f, "column", d.column());
        } else if (i instanceof AddColumn a) {
            table(f, a.table());
            AddColumn.NewColumn c = a.column();
            List<String> col = new ArrayList<>();
            kv(col, "name", c.name()); kv(col, "type", c.type());
            raw(col, "nullable", String.valueOf(c.nullable()));
            c.defaultExpr().ifPresent(v -> kv(col, "default", v));
            if (c.unique()) {
                raw(col, "unique", "true");
            }
            if (c.checkName().isPresent()) {
                List<String> k = new ArrayList<>();
                kv(k, "name", c.checkName().get()); kv(k, "expression", c.check().orElseThrow());
                raw(col, "check", map(k));
            } else {
                c.check().ifPresent(v -> kv(col, "check", v));
            }
            c.references().ifPresent(r -> {
                List<String> ref = new ArrayList<>();
                kv(ref, "table", r.table().toString()); kv(ref, "column", r.column());
                r.onDelete().ifPresent(v -> raw(ref, "on_delete", action(v)));
                raw(col, "references", map(ref));
            });
            raw(f, "column", map(col));
            a.up().ifPresent(v -> kv(f, "up", v));
        } else if (i instanceof DropColumn d) {
            table(f, d.table()); kv(f, "column", d.column()); d.down().ifPresent(v -> kv(f, "down", v));
        } else if (i instanceof RenameTable r) {
            table(f, r.table()); kv(f, "to", r.to());
        } else if (i instanceof DropTable d) {
            table(f, d.table());
        } else if (i instanceof AddForeignKey k) {
            table(f, k.table()); kv(f, "name", k.name()); raw(f, "columns", list(k.columns()));
            List<String> ref = new ArrayList<>();
            kv(ref, "table", k.referencedTable().toString()); raw(ref, "columns", list(k.referencedColumns()));
            raw(f, "references", map(ref));
            k.onDelete().ifPresent(v -> raw(f, "on_delete", action(v)));
            k.onUpdate().ifPresent(v -> raw(f, "on_update", action(v)));
        } else if (i instanceof AddUnique u) {
            table(f, u.table()); kv(f, "name", u.name()); raw(f, "columns", list(u.columns()));
            if (!u.include().isEmpty()) {
                raw(f, "include", list(u.include()));
            }
            with(f, u.with());
        } else if (i instanceof AddCheck k && k.up().isEmpty()) {
            table(f, k.table()); kv(f, "name", k.name()); kv(f, "check", k.check());
        } else if (i instanceof RenameConstraint r) {
            table(f, r.table()); kv(f, "name", r.name()); kv(f, "to", r.to());
        } else if (i instanceof DropConstraint d) {
            table(f, d.table()); kv(f, "name", d.name());
        } else if (i instanceof CreateIndex c) {
            table(f, c.table()); kv(f, "name", c.name()); raw(f, "columns", list(c.columns()));
            raw(f, "unique", String.valueOf(c.unique()));
            c.method().ifPresent(v -> kv(f, "method", v)); c.where().ifPresent(v -> kv(f, "where", v));
            if (!c.include().isEmpty()) {
                raw(f, "include", list(c.include()));
            }
            with(f, c.with());
        } else if (i instanceof DropIndex d) {
            kv(f, "name", d.index().toString()); d.table().ifPresent(t -> table(f, t));
        } else if (i instanceof SetDefault s) {
            table(f, s.table()); kv(f, "column", s.column()); kv(f, "default", s.defaultExpr());
        } else if (i instanceof DropDefault d) {
            table(f, d.table()); kv(f, "column", d.column());
        } else if (i instanceof CreateTable t) {
            table(f, t.table());
            List<String> cols = new ArrayList<>();
            for (CreateTable.ColumnDef c : t.columns()) {
                List<String> col = new ArrayList<>();
                kv(col, "name", c.name()); kv(col, "type", c.type());
                if (!c.primaryKey() && c.identity() == CreateTable.Identity.NONE) {
                    raw(col, "nullable", String.valueOf(c.nullable()));
                }
                c.defaultExpr().ifPresent(v -> kv(col, "default", v));
                if (c.identity() != CreateTable.Identity.NONE) {
                    raw(col, "identity", c.identity() == CreateTable.Identity.ALWAYS ? "always" : "true");
                }
                if (c.primaryKey()) {
                    raw(col, "primary_key", "true");
                }
                if (c.unique()) {
                    raw(col, "unique", "true");
                }
                c.check().ifPresent(v -> kv(col, "check", v));
                c.references().ifPresent(r -> raw(col, "references", references(r)));
                cols.add(map(col));
            }
            raw(f, "columns", "[" + String.join(", ", cols) + "]");
            if (!t.constraints().isEmpty()) {
                List<String> ks = new ArrayList<>();
                for (CreateTable.TableConstraint k : t.constraints()) {
                    List<String> kf = new ArrayList<>();
                    raw(kf, "type", k.type().yaml());
                    k.name().ifPresent(v -> kv(kf, "name", v));
                    if (!k.columns().isEmpty()) {
                        raw(kf, "columns", list(k.columns()));
                    }
                    k.check().ifPresent(v -> kv(kf, "check", v));
                    k.references().ifPresent(r -> raw(kf, "references", references(r)));
                    ks.add(map(kf));
                }
                raw(f, "constraints", "[" + String.join(", ", ks) + "]");
            }
        } else if (i instanceof RawSql s) {
            kv(f, "phase", s.phase().wireName()); kv(f, "up", s.up());
            if (s.down().isPresent()) {
                kv(f, "down", s.down().get());
            } else {
                raw(f, "irreversible", "true");
            }
            kv(f, "lock", s.lock().sqlName());
            if (!s.transactional()) {
                raw(f, "transaction", "false");
            }
        } else {
            throw new IllegalArgumentException("not written by import: " + i.kind());
        }
        return "  - " + i.kind() + ": " + map(f) + "\n";
    }

    private static String references(CreateTable.References r) {
        List<String> ref = new ArrayList<>();
        kv(ref, "table", r.table().toString());
        if (r.columns().size() == 1) {
            kv(ref, "column", r.columns().get(0));
        } else if (!r.columns().isEmpty()) {
            raw(ref, "columns", list(r.columns()));
        }
        if (r.onDelete() != CreateTable.Action.NO_ACTION) {
            raw(ref, "on_delete", action(r.onDelete().sql()));
        }
        if (r.onUpdate() != CreateTable.Action.NO_ACTION) {
            raw(ref, "on_update", action(r.onUpdate().sql()));
        }
        return map(ref);
    }

    private static void table(List<String> f, TableRef t) {
        kv(f, "table", t.toString());
    }

    private static void kv(List<String> f, String key, String value) {
        f.add(key + ": " + Json.quote(value));
    }

    private static void with(List<String> f, java.util.Map<String, String> parameters) {
        if (!parameters.isEmpty()) {
            List<String> p = new ArrayList<>();
            parameters.forEach((k, v) -> kv(p, k, v));
            raw(f, "with", map(p));
        }
    }

    private static void raw(List<String> f, String key, String yaml) {
        f.add(key + ": " + yaml);
    }

    private static String map(List<String> f) {
        return "{" + String.join(", ", f) + "}";
    }

    private static String list(List<String> items) {
        return "[" + String.join(", ", items.stream().map(Json::quote).toList()) + "]";
    }

    /** {@code SET NULL} → {@code set_null}. */
    private static String action(String sql) {
        return sql.strip().toLowerCase(Locale.ROOT).replace(' ', '_');
    }

}
