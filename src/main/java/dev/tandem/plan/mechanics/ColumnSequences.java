package dev.tandem.plan.mechanics;

import dev.tandem.sql.Ident;
import dev.tandem.sql.QualifiedName;

/**
 * Moves a column's key generator to another column of the same table, in the caller's
 * transaction — for a type change that swaps an old column for a new one under the same name.
 * The catalog snapshot does not know sequence names, so the statement is a {@code DO} block that
 * looks them up when it runs:
 * <ul>
 *   <li>an identity column: the identity is dropped from {@code from} (which drops its sequence)
 *       and added to {@code to} with the same kind (ALWAYS / BY DEFAULT), the same sequence name,
 *       START, INCREMENT, CACHE and CYCLE, MINVALUE/MAXVALUE only when they were not the defaults
 *       (so an {@code integer} sequence becomes a {@code bigint} one with bigint bounds, and back),
 *       and the same current value ({@code setval(last_value, is_called)}). {@code to} must be
 *       NOT NULL and have no default. Moving back to a narrower type fails with PostgreSQL's
 *       "out of bounds" error when the sequence has passed the narrower type's maximum.</li>
 *   <li>sequences OWNED BY {@code from} (serial columns): re-owned by {@code to}; when {@code to}
 *       is smallint, integer or bigint and the sequence is of another of those types, the
 *       sequence's type follows the column's ({@code ALTER SEQUENCE … AS}; PostgreSQL adjusts the
 *       bounds that were the old type's defaults).</li>
 * </ul>
 * Run it while holding ACCESS EXCLUSIVE on the table, so no insert draws a value in between.
 * It does not carry over explicit privileges granted on an identity sequence (the new sequence
 * has the table owner's defaults), nor touch sequences that are merely used in a default without
 * being owned by the column (the default expression itself is moved by the caller).
 */
public final class ColumnSequences {
    private ColumnSequences() {}

    /** The {@code DO} block moving identity and owned sequences from {@code from} to {@code to}. */
    public static String move(QualifiedName table, String from, String to) {
        String body = """

                DECLARE
                  tbl regclass := %1$s::regclass;
                  src text := %2$s;
                  dst text := %3$s;
                  kind "char";
                  seq regclass;
                  s record;
                  nsp text;
                  rel text;
                  last_v bigint;
                  called boolean;
                  typmax numeric;
                  opts text;
                  dst_type oid;
                BEGIN
                  SELECT attidentity INTO kind FROM pg_attribute WHERE attrelid = tbl AND attname = src;
                  SELECT atttypid INTO dst_type FROM pg_attribute WHERE attrelid = tbl AND attname = dst;
                  IF kind IN ('a', 'd') THEN
                    seq := pg_get_serial_sequence(tbl::text, src)::regclass;
                    SELECT * INTO s FROM pg_sequence WHERE seqrelid = seq;
                    SELECT n.nspname, c.relname INTO nsp, rel FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = seq;
                    EXECUTE format('SELECT last_value, is_called FROM %%s', seq) INTO last_v, called;
                    typmax := CASE s.seqtypid WHEN 'int2'::regtype THEN 32767 WHEN 'int4'::regtype THEN 2147483647 ELSE 9223372036854775807 END;
                    EXECUTE format('ALTER TABLE %%s ALTER COLUMN %%I DROP IDENTITY', tbl, src);
                    opts := format('SEQUENCE NAME %%I.%%I START WITH %%s INCREMENT BY %%s CACHE %%s', nsp, rel, s.seqstart, s.seqincrement, s.seqcache);
                    IF s.seqincrement > 0 THEN
                      IF s.seqmin <> 1 THEN opts := opts || format(' MINVALUE %%s', s.seqmin); END IF;
                      IF s.seqmax <> typmax THEN opts := opts || format(' MAXVALUE %%s', s.seqmax); END IF;
                    ELSE
                      IF s.seqmin <> -typmax - 1 THEN opts := opts || format(' MINVALUE %%s', s.seqmin); END IF;
                      IF s.seqmax <> -1 THEN opts := opts || format(' MAXVALUE %%s', s.seqmax); END IF;
                    END IF;
                    IF s.seqcycle THEN opts := opts || ' CYCLE'; END IF;
                    EXECUTE format('ALTER TABLE %%s ALTER COLUMN %%I ADD GENERATED %%s AS IDENTITY (%%s)', tbl, dst,
                                   CASE kind WHEN 'a' THEN 'ALWAYS' ELSE 'BY DEFAULT' END, opts);
                    PERFORM setval(format('%%I.%%I', nsp, rel), last_v, called);
                  END IF;
                  FOREACH seq IN ARRAY ARRAY(
                      SELECT d.objid::regclass
                        FROM pg_depend d
                        JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
                        JOIN pg_class c ON c.oid = d.objid
                       WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass
                         AND d.refobjid = tbl AND a.attname = src AND d.deptype = 'a' AND c.relkind = 'S') LOOP
                    EXECUTE format('ALTER SEQUENCE %%s OWNED BY %%s.%%I', seq, tbl, dst);
                    IF dst_type IN ('int2'::regtype, 'int4'::regtype, 'int8'::regtype)
                       AND (SELECT seqtypid FROM pg_sequence WHERE seqrelid = seq) <> dst_type THEN
                      EXECUTE format('ALTER SEQUENCE %%s AS %%s', seq, format_type(dst_type, NULL));
                    END IF;
                  END LOOP;
                END
                """.formatted(Ident.literal(table.sql()), Ident.literal(from), Ident.literal(to));
        String text = "\n-- Tandem: move identity and owned sequences of " + comment(table.toString()) + "." + comment(from)
                + " to " + comment(to) + body;
        String tag = dev.tandem.sql.PlPgSql.dollarTag(text);
        return "DO " + tag + text + tag;
    }

    private static String comment(String s) {
        return s.replace('\n', ' ').replace('\r', ' ');
    }
}
