package dev.tandem.conflict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.intent.ChangelogReader;
import dev.tandem.intent.Migration;
import dev.tandem.plan.PlanOptions;
import dev.tandem.plan.Planner;
import dev.tandem.sql.QualifiedName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Holdings computed offline from plans, and the one waiting rule over them. */
class ConflictModelTest {
    @TempDir
    Path dir;

    private static final QualifiedName T = new QualifiedName("public", "t");

    @Test
    void parsesTouchedNames() {
        assertEquals(HeldObject.column(T, "v"), HeldObject.parse("public.t.v"));
        assertEquals(HeldObject.table(T), HeldObject.parse("public.t.*"));
        assertEquals(HeldObject.table(new QualifiedName("public", "t_idx")), HeldObject.parse("public.t_idx"));
        assertEquals(HeldObject.table(new QualifiedName("s", "a.b")), HeldObject.parse("s.a.b.*"));
    }

    @Test
    void aWholeTableOverlapsEachOfItsColumnsOnly() {
        assertTrue(HeldObject.table(T).overlaps(HeldObject.column(T, "v")));
        assertTrue(HeldObject.column(T, "v").overlaps(HeldObject.table(T)));
        assertFalse(HeldObject.column(T, "v").overlaps(HeldObject.column(T, "w")));
        assertFalse(HeldObject.table(T).overlaps(HeldObject.column(new QualifiedName("public", "u"), "v")));
        assertFalse(HeldObject.table(T).overlaps(HeldObject.table(new QualifiedName("other", "t"))));
    }

    @Test
    void renameTableWaitsForAColumnChangeOfItsTableAndNamesBoth() throws IOException {
        Holdings renameColumn = holdings("0001_a", "changes:\n  - rename_column: {table: t, column: v, to: w}\n");
        Holdings renameTable = holdings("0002_b", "changes:\n  - rename_table: {table: t, to: t2}\n");
        Optional<ConflictModel.Wait> w = ConflictModel.waitFor("0002_b", renameTable, List.of(new ConflictModel.Holder("0001_a", renameColumn)));
        assertTrue(w.isPresent());
        assertEquals("0001_a", w.get().holder());
        assertEquals(HeldObject.table(T), w.get().wanted());
        assertTrue(w.get().message().contains("column public.t.v"), w.get().message());
        // and the other way round: a column change waits for an unpurged table rename under either name
        Holdings onNewName = holdings("0003_c", "changes:\n  - add_column: {table: t2, column: {name: x, type: text}}\n");
        assertEquals("0002_b", ConflictModel.waitFor("0003_c", onNewName, List.of(new ConflictModel.Holder("0002_b", renameTable)))
                .orElseThrow().holder());
    }

    @Test
    void differentColumnsRideTheSameTrain() throws IOException {
        Holdings a = holdings("0001_a", "changes:\n  - rename_column: {table: t, column: v, to: w}\n");
        Holdings b = holdings("0002_b", "changes:\n  - change_column_type: {table: t, column: n, type: bigint}\n");
        assertEquals(Optional.empty(), ConflictModel.waitFor("0002_b", b, List.of(new ConflictModel.Holder("0001_a", a))));
        assertEquals(Optional.empty(), ConflictModel.waitFor("0001_a", a, List.of(new ConflictModel.Holder("0001_a", a))), "never waits for itself");
    }

    @Test
    void touchedNamesReadBackExactlyEvenWithDotsAndQuotes() {
        assertEquals("public.t.v", HeldObject.column(T, "v").touch(), "ordinary names keep the form plans have always stored");
        assertEquals("public.t.*", HeldObject.table(T).touch());
        QualifiedName dotted = new QualifiedName("s.x", "a.b");
        for (HeldObject o : List.of(HeldObject.column(dotted, "c.d"), HeldObject.table(dotted), HeldObject.column(T, "say \"hi\""),
                HeldObject.column(new QualifiedName("s", "a.b"), "c"), HeldObject.EVERYTHING)) {
            assertEquals(o, HeldObject.parse(o.touch()), o.touch());
        }
        // a dotted table name and a column of a shorter table no longer read as one another
        HeldObject columnOfDotted = HeldObject.column(new QualifiedName("s", "a.b"), "c");
        HeldObject columnOfA = HeldObject.column(new QualifiedName("s", "a"), "b.c");
        assertFalse(HeldObject.parse(columnOfDotted.touch()).overlaps(HeldObject.parse(columnOfA.touch())));
    }

    @Test
    void rawSqlHoldsTheTablesItsStatementsName() throws IOException {
        Holdings sql = holdings("0002_sql", "changes:\n  - sql: {phase: expand, up: \"ALTER TABLE t ADD COLUMN z int; CREATE INDEX CONCURRENTLY"
                + " u_x ON s.u (x)\", down: \"DROP INDEX s.u_x; ALTER TABLE ONLY t DROP COLUMN z\"}\n");
        assertTrue(sql.objects().contains(HeldObject.table(T)), sql.toString());
        assertTrue(sql.objects().contains(HeldObject.table(new QualifiedName("s", "u"))), sql.toString());
        assertTrue(sql.objects().contains(HeldObject.table(new QualifiedName("s", "u_x"))), sql.toString());
        assertFalse(sql.unknown());
        Holdings renameColumn = holdings("0001_a", "changes:\n  - rename_column: {table: t, column: v, to: w}\n");
        Holdings other = holdings("0001_o", "changes:\n  - rename_column: {table: elsewhere, column: v, to: w}\n");
        assertEquals("0001_a", ConflictModel.waitFor("0002_sql", sql, List.of(new ConflictModel.Holder("0001_o", other),
                new ConflictModel.Holder("0001_a", renameColumn))).orElseThrow().holder());
        assertEquals(Optional.empty(), ConflictModel.waitFor("0002_sql", sql, List.of(new ConflictModel.Holder("0001_o", other))));
    }

    @Test
    void rawSqlItCannotReadWaitsForEveryMigrationInFlightAndSaysSo() throws IOException {
        Holdings sql = holdings("0002_do", "changes:\n  - sql: {phase: expand, up: \"DO $$ BEGIN EXECUTE 'ALTER TABLE t ADD z int'; END $$\","
                + " down: \"ALTER TABLE t DROP COLUMN z\"}\n");
        assertTrue(sql.unknown(), sql.toString());
        Holdings other = holdings("0001_o", "changes:\n  - rename_column: {table: elsewhere, column: v, to: w}\n");
        ConflictModel.Wait w = ConflictModel.waitFor("0002_do", sql, List.of(new ConflictModel.Holder("0001_o", other))).orElseThrow();
        assertEquals("0001_o", w.holder());
        assertTrue(w.message().contains("waits for every unpurged migration in flight"), w.message());
        // held, it holds only what it could read: a later change of another table rides along
        Holdings later = holdings("0003_l", "changes:\n  - rename_column: {table: third, column: v, to: w}\n");
        assertEquals(Optional.empty(), ConflictModel.waitFor("0003_l", later, List.of(new ConflictModel.Holder("0002_do", sql))));
        // statements that name no table hold nothing and wait for nobody
        Holdings ext = holdings("0004_ext", "changes:\n  - sql: {phase: expand, up: \"CREATE EXTENSION IF NOT EXISTS pg_trgm\", down: \"DROP EXTENSION pg_trgm\"}\n");
        assertTrue(ext.isEmpty(), ext.toString());
        assertEquals(Optional.empty(), ConflictModel.waitFor("0004_ext", ext, List.of(new ConflictModel.Holder("0001_o", other))));
    }

    @Test
    void droppedConstraintsAndIndexesHoldWhatTheirRollbackNeeds() throws IOException {
        Holdings retype = holdings("0001_n", "changes:\n  - change_column_type: {table: t, column: n, type: bigint}\n");
        // offline the definition is unknown: the whole table the constraint is on (or the index names)
        Holdings dropCheck = holdings("0002_k", "changes:\n  - drop_constraint: {table: t, name: t_n_pos}\n");
        assertEquals("0001_n", ConflictModel.waitFor("0002_k", dropCheck, List.of(new ConflictModel.Holder("0001_n", retype))).orElseThrow().holder());
        Holdings dropIndex = holdings("0003_i", "changes:\n  - drop_index: {table: t, name: t_n_idx}\n");
        assertEquals("0001_n", ConflictModel.waitFor("0003_i", dropIndex, List.of(new ConflictModel.Holder("0001_n", retype))).orElseThrow().holder());
        // and their own names: a rename_constraint of the same constraint waits too
        Holdings renameCheck = holdings("0004_r", "changes:\n  - rename_constraint: {table: t, name: t_n_pos, to: t_n_nonneg}\n");
        assertTrue(dropCheck.objects().contains(HeldObject.column(T, "*constraint t_n_pos")), dropCheck.toString());
        assertTrue(renameCheck.firstOverlap(dropCheck).isPresent(), renameCheck + " / " + dropCheck);
    }

    private Holdings holdings(String id, String yaml) throws IOException {
        Path f = dir.resolve(id + ".yaml");
        Files.writeString(f, yaml);
        Migration m = ChangelogReader.readFile(f);
        return Holdings.of(new Planner(PlanOptions.defaults()).plan(m, Optional.empty()));
    }
}
